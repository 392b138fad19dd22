"""The programmes the generator draws classes from, and each centre's lecturers.

Loads the programme catalogue fixture when the database has none (the same
`loaddata` a new installation runs). Writes thirteen `Lecturer` rows for each
generated centre that has no active lecturer yet, as plain rows through the
run's writer with their name keys computed the way the model computes them.
"""

import random

from django.core.management import call_command

from courses.models import ClassType, Lecturer
from enrollment.demo.generator import GeneratorError
from enrollment.demo.generator.structure import GeneratedCentre
from enrollment.demo.generator.writer import Writer

# Programme, share of the classes (%), trainees per class before scaling,
# half-day sessions when the catalogue gives none. The Party programmes lead.
PROGRAMMES = [
    ("nhan-thuc-ve-dang", 22, (45, 85), 10),
    ("dang-vien-moi", 18, (30, 65), 14),
    ("bi-thu-chi-bo", 5, (50, 90), 6),
    ("nghiep-vu-cong-tac-dang", 8, (30, 60), 4),
    ("cap-nhat-kien-thuc", 7, (35, 65), 4),
    ("lich-su-dang-bo", 4, (50, 90), 2),
    ("quoc-phong-an-ninh", 9, (35, 60), 8),
    ("chinh-tri-he", 5, (80, 140), 2),
    ("mat-tran-doan-the", 11, (35, 65), 4),
    ("so-cap-llct", 3, (35, 50), 44),
    ("trung-cap-llct", 1, (40, 60), 30),
    ("hoc-tap-nghi-quyet", 7, (70, 130), 1),
]
# A programme as the generator uses it: the catalogue's row, its share of
# the classes, its class size range and its default number of sessions.
Programme = tuple[ClassType, int, tuple[int, int], int]

# kind, position, qualifications
LECTURERS = [
    ("full_time", "Giám đốc", "Thạc sĩ; Cao cấp lý luận chính trị"),
    ("full_time", "Phó Giám đốc", "Cử nhân; Cao cấp lý luận chính trị"),
    ("full_time", "Giảng viên", "Thạc sĩ; Trung cấp lý luận chính trị"),
    *[("concurrent", "Phó Bí thư Đảng ủy", "Cao cấp lý luận chính trị")] * 3,
    *[("concurrent", "Trưởng ban Xây dựng Đảng", "Trung cấp lý luận chính trị")] * 3,
    *[("concurrent", "Chủ tịch Ủy ban Mặt trận Tổ quốc", "Trung cấp lý luận chính trị")]
    * 2,
    *[("guest", "Giảng viên Trường Chính trị tỉnh", "Tiến sĩ")] * 2,
]
LECTURER_COLUMNS = [
    "id", "center_id", "full_name", "kind", "unit_id", "position",
    "qualifications", "is_active", "name_key", "sort_key",
]  # fmt: skip


def load_programmes() -> list[Programme]:
    """The active programmes of `PROGRAMMES`, in its order; the catalogue is
    loaded first if the database has none."""
    if not ClassType.objects.exists():
        call_command("loaddata", "class_types", verbosity=0)
    types = {t.code: t for t in ClassType.objects.filter(is_active=True)}
    found = [
        (types[code], weight, size, sessions)
        for code, weight, size, sessions in PROGRAMMES
        if code in types
    ]
    if not found:
        raise GeneratorError(
            "Danh mục chương trình không có chương trình nào của dữ liệu mẫu."
        )
    return found


def ensure_lecturers(writer: Writer, centres: list[GeneratedCentre], names) -> None:
    """Set each centre's `lecturer_ids`: its active lecturers, or thirteen new
    ones (three full-time, eight concurrent, two guests) named from `names`."""
    have: dict[int, list[int]] = {}
    for center_id, pk in Lecturer.objects.filter(
        center__in=[c.center.pk for c in centres], is_active=True
    ).values_list("center_id", "pk"):
        have.setdefault(center_id, []).append(pk)
    rows = []
    for centre in centres:
        if centre.center.pk in have:
            centre.lecturer_ids = have[centre.center.pk]
            continue
        first = writer.reserve(Lecturer, len(LECTURERS))
        rows += _lecturer_rows(centre, first, names)
        centre.lecturer_ids = list(range(first, first + len(LECTURERS)))
    writer.write(Lecturer, LECTURER_COLUMNS, rows)


def _lecturer_rows(centre: GeneratedCentre, first: int, names) -> list[tuple]:
    """One centre's lecturers, ids from `first`; the concurrent ones belong
    to its communes in turn."""
    rng = random.Random(f"lecturers-{centre.center.slug}")
    rows = []
    for i, (kind, position, qualifications) in enumerate(LECTURERS):
        gender = rng.choice(["male", "female"])
        fields, cumulative = names[gender, "Kinh"]
        person = rng.choices(fields, cum_weights=cumulative)[0]
        unit = centre.communes[i % len(centre.communes)].pk
        rows.append(
            (
                first + i,
                centre.center.pk,
                person["full_name"],
                kind,
                unit if kind == "concurrent" else None,
                position,
                qualifications,
                True,
                person["name_key"],
                person["sort_key"],
            )
        )
    return rows
