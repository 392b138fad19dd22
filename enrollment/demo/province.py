"""The demo province: its organizations, the demo centre and its lecturers.

Writes (or brings up to date, keyed by code, slug and name) the Lâm Đồng
party committee, the city of Đà Lạt's bodies until the 1 July 2025 merger
and the two wards that took over with their cells, offices and mass
organizations; the centre "da-lat" serving the two wards; four lecturers.
Each is a single row with no side effects, written with `update_or_create`.
"""

import datetime

from courses.models import Lecturer
from trainingcenter.models import Center, Organization

K = Organization.Kind
L = Organization.Level
MERGER = datetime.date(2025, 7, 1)
UNTIL_MERGER = MERGER - datetime.timedelta(days=1)
COMMITTEE_CODE = "LD-XH"  # the committee user's ward

# code, name, kind, level, parent code, valid from, valid to
ORGANIZATIONS = [
    ("LD", "Đảng bộ tỉnh Lâm Đồng", K.PARTY_COMMITTEE, L.PROVINCE, None, None, None),
    ("LD-DALAT", "Đảng bộ thành phố Đà Lạt", K.PARTY_COMMITTEE, L.DISTRICT, "LD",
     None, UNTIL_MERGER),
    ("LD-TTCT-DALAT-CU", "Trung tâm Chính trị thành phố Đà Lạt", K.TRAINING_CENTER,
     L.DISTRICT, "LD-DALAT", None, UNTIL_MERGER),
    # The city's bodies that co-organised the centre's classes until the merger.
    ("LD-DALAT-DTN", "Thành đoàn Đà Lạt", K.MASS_ORGANIZATION, L.DISTRICT,
     "LD-DALAT", None, UNTIL_MERGER),
    ("LD-DALAT-BCHQS", "Ban Chỉ huy Quân sự thành phố Đà Lạt", K.MILITARY,
     L.DISTRICT, "LD-DALAT", None, UNTIL_MERGER),
    ("LD-DALAT-GDDT", "Phòng Giáo dục và Đào tạo thành phố Đà Lạt",
     K.GOVERNMENT_OFFICE, L.DISTRICT, "LD-DALAT", None, UNTIL_MERGER),
    ("LD-XH", "Đảng bộ phường Xuân Hương – Đà Lạt", K.PARTY_COMMITTEE, L.COMMUNE,
     "LD", MERGER, None),
    ("LD-CL", "Đảng bộ phường Cam Ly – Đà Lạt", K.PARTY_COMMITTEE, L.COMMUNE, "LD",
     MERGER, None),
    ("LD-TTCT-DALAT", "Trung tâm Chính trị Đà Lạt", K.TRAINING_CENTER, L.COMMUNE,
     "LD-XH", MERGER, None),
    ("LD-XH-CB1", "Chi bộ Tổ dân phố 1", K.PARTY_CELL, L.CELL, "LD-XH", MERGER, None),
    ("LD-XH-CB2", "Chi bộ Tổ dân phố 2", K.PARTY_CELL, L.CELL, "LD-XH", MERGER, None),
    ("LD-XH-CBTH", "Chi bộ Trường Tiểu học Đoàn Thị Điểm", K.PARTY_CELL, L.CELL,
     "LD-XH", MERGER, None),
    ("LD-XH-UBND", "Ủy ban nhân dân phường Xuân Hương – Đà Lạt",
     K.GOVERNMENT_OFFICE, L.COMMUNE, "LD-XH", MERGER, None),
    ("LD-XH-MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam phường Xuân Hương – Đà Lạt",
     K.MASS_ORGANIZATION, L.COMMUNE, "LD-XH", MERGER, None),
    ("LD-XH-DTN",
     "Đoàn Thanh niên Cộng sản Hồ Chí Minh phường Xuân Hương – Đà Lạt",
     K.MASS_ORGANIZATION, L.COMMUNE, "LD-XH", MERGER, None),
    ("LD-XH-PN", "Hội Liên hiệp Phụ nữ phường Xuân Hương – Đà Lạt",
     K.MASS_ORGANIZATION, L.COMMUNE, "LD-XH", MERGER, None),
    ("LD-XH-VHXH", "Phòng Văn hóa – Xã hội phường Xuân Hương – Đà Lạt",
     K.GOVERNMENT_OFFICE, L.COMMUNE, "LD-XH", MERGER, None),
    ("LD-CL-CB3", "Chi bộ Tổ dân phố 3", K.PARTY_CELL, L.CELL, "LD-CL", MERGER, None),
    ("LD-CL-BCHQS", "Ban Chỉ huy Quân sự phường Cam Ly – Đà Lạt", K.MILITARY,
     L.COMMUNE, "LD-CL", MERGER, None),
    ("LD-CL-CBQS", "Chi bộ Quân sự phường Cam Ly – Đà Lạt", K.PARTY_CELL, L.CELL,
     "LD-CL", MERGER, None),
    ("LD-CL-UBND", "Ủy ban nhân dân phường Cam Ly – Đà Lạt", K.GOVERNMENT_OFFICE,
     L.COMMUNE, "LD-CL", MERGER, None),
    ("LD-CL-ND", "Hội Nông dân phường Cam Ly – Đà Lạt", K.MASS_ORGANIZATION,
     L.COMMUNE, "LD-CL", MERGER, None),
    ("LD-CL-CCB", "Hội Cựu chiến binh phường Cam Ly – Đà Lạt", K.MASS_ORGANIZATION,
     L.COMMUNE, "LD-CL", MERGER, None),
    ("LD-CL-CD", "Công đoàn cơ sở phường Cam Ly – Đà Lạt", K.MASS_ORGANIZATION,
     L.COMMUNE, "LD-CL", MERGER, None),
]  # fmt: skip

# name, kind, qualifications, position, unit code
LECTURERS = [
    ("Nguyễn Thị Thu Hà", Lecturer.Kind.FULL_TIME, "Thạc sĩ Triết học; Cao cấp LLCT",
     "Phó Giám đốc", "LD-TTCT-DALAT"),
    ("Trần Văn Đức", Lecturer.Kind.FULL_TIME, "Cử nhân Lịch sử Đảng; Cao cấp LLCT",
     "Giảng viên", "LD-TTCT-DALAT"),
    ("Phạm Ngọc Ánh", Lecturer.Kind.CONCURRENT, "Cử nhân Luật; Trung cấp LLCT",
     "Phó Chủ tịch", "LD-XH-UBND"),
    ("Lê Hoàng Long", Lecturer.Kind.CONCURRENT, "Cử nhân Quân sự; Trung cấp LLCT",
     "Chỉ huy trưởng", "LD-CL-BCHQS"),
]  # fmt: skip


def build_province() -> tuple[Center, Organization]:
    """The organization tree and the demo centre; returns the centre and the
    ward whose committee the demo committee user sits on."""
    by_code = {}
    for code, name, kind, level, parent, valid_from, valid_to in ORGANIZATIONS:
        by_code[code], _ = Organization.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "level": level,
                "parent": by_code.get(parent),
                "valid_from": valid_from,
                "valid_to": valid_to,
            },
        )
    # 1 July 2025: the city's committee and centre end; the wards take over.
    by_code["LD-DALAT"].successors.set([by_code["LD-XH"], by_code["LD-CL"]])
    by_code["LD-TTCT-DALAT-CU"].successors.set([by_code["LD-TTCT-DALAT"]])
    center, _ = Center.objects.update_or_create(
        slug="da-lat",
        defaults={
            "name": "Trung tâm Chính trị Đà Lạt",
            "organization": by_code["LD-TTCT-DALAT"],
            "superior_body_line": "ĐẢNG ỦY PHƯỜNG XUÂN HƯƠNG – ĐÀ LẠT",
            "issuing_body_name": "TRUNG TÂM CHÍNH TRỊ",
            "place_name": "Đà Lạt",
            "director_name": "Nguyễn Thị Hòa",
        },
    )
    center.communes.set([by_code["LD-XH"], by_code["LD-CL"]])
    return center, by_code[COMMITTEE_CODE]


def add_lecturers(center: Center) -> None:
    """The centre's four lecturers, two full-time and two concurrent."""
    units = dict(
        Organization.objects.filter(
            code__in=[code for *_rest, code in LECTURERS]
        ).values_list("code", "pk")
    )
    for full_name, kind, qualifications, position, unit in LECTURERS:
        Lecturer.objects.update_or_create(
            center=center,
            full_name=full_name,
            defaults={
                "kind": kind,
                "qualifications": qualifications,
                "position": position,
                "unit_id": units.get(unit),
            },
        )
