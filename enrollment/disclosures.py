"""The workbooks that account for personal data: a person's own file (all
the centre holds on them, for their request) and the centre's export log."""

from django.utils import timezone, translation

from enrollment.exports import GENDER_LABELS, PARTY_LABELS
from enrollment.services.export_filters import with_filter_texts
from trainingcenter.templatetags.vn import staff_name
from trainingcenter.xlsx import Column, Exporter, SheetSpec

DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"


def _local(moment):
    """An aware time as the centre's local time, without the zone (Excel
    has none)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def identity_rows(trainee) -> list[tuple[str, object]]:
    """The person's details, label and value, in the order the file prints them."""
    birth = trainee.birth_display
    return [
        ("Họ và tên", trainee.full_name),
        ("Ngày sinh", birth),
        ("Giới tính", GENDER_LABELS.get(trainee.gender, "")),
        ("Dân tộc", trainee.ethnicity),
        ("Đơn vị", trainee.unit.name if trainee.unit else ""),
        ("Chức vụ", trainee.position),
        ("Đảng viên", PARTY_LABELS.get(trainee.party_status, "")),
        ("Ngày vào Đảng", trainee.admission_date),
        ("Ngày chính thức", trainee.full_membership_date),
        ("Số CCCD", trainee.citizen_id),
        ("Ghi chú", trainee.notes),
    ]


class PersonFileExporter(Exporter):
    """Everything the centre holds on one person, one sheet per kind."""

    def __init__(self, center, held, *, purpose: str):
        self.center = center
        self.held = held
        self.purpose = purpose

    def filename(self) -> str:
        return "ho-so-du-lieu.xlsx"

    def _titles(self, heading: str) -> list[str]:
        return [
            str(self.center.name).upper(),
            f"{heading}: {self.held.trainee.full_name}",
            f"Mục đích: {self.purpose}",
        ]

    def sheets(self):
        held = self.held
        yield SheetSpec(
            "Thông tin",
            [Column("Thông tin", 24), Column("Giá trị", 48, DATE)],
            rows=identity_rows(held.trainee),
            title_lines=self._titles("DỮ LIỆU CÁ NHÂN DO TRUNG TÂM LƯU GIỮ"),
        )
        yield SheetSpec(
            "Lớp học",
            [
                Column("Lớp", 40),
                Column("Từ ngày", 12, DATE),
                Column("Đến ngày", 12, DATE),
                Column("Có mặt", 8),
                Column("Vắng", 8),
                Column("Lý do vắng (có phép)", 30),
                Column("Kết quả", 14),
                Column("Điểm", 8),
                Column("Xếp loại", 14),
            ],
            rows=(
                [
                    f"{e.training_class.class_type.name} "
                    f"{e.training_class.intake_label}",
                    e.training_class.start_date,
                    e.training_class.end_date,
                    *held.attendance[e.pk][:2],
                    "; ".join(held.attendance[e.pk][2]),
                    str(e.get_status_display()),
                    e.score,
                    e.grade,
                ]
                for e in held.enrollments
            ),
            title_lines=self._titles("CÁC LỚP ĐÃ HỌC"),
        )
        yield SheetSpec(
            "Giấy chứng nhận",
            [
                Column("Số", 16),
                Column("Chương trình", 40),
                Column("Ngày cấp", 12, DATE),
                Column("Có giá trị đến", 12, DATE),
                Column("Tình trạng", 14),
            ],
            rows=(
                [
                    c.number_text,
                    c.enrollment.training_class.class_type.name,
                    c.issued_on,
                    c.valid_until,
                    str(c.status_label),
                ]
                for c in held.certificates
            ),
            title_lines=self._titles("GIẤY CHỨNG NHẬN"),
        )
        yield from self._trail()

    def _trail(self):
        held = self.held
        yield SheetSpec(
            "Lịch sử thay đổi",
            [
                Column("Thời điểm", 17, DATETIME),
                Column("Người sửa", 18),
                Column("Nội dung", 36),
                Column("Kết quả", 14),
                Column("Điểm", 8),
                Column("Lý do", 30),
            ],
            rows=(
                [
                    _local(c["at"]),
                    c["user"],
                    c["what"],
                    str(c["status"]),
                    c["score"],
                    c["reason"],
                ]
                for c in held.changes
            ),
            title_lines=self._titles("LỊCH SỬ THAY ĐỔI"),
        )
        yield SheetSpec(
            "Người đã xem",
            [Column("Thời điểm", 17, DATETIME), Column("Người xem", 24)],
            rows=([_local(a.at), staff_name(a.user)] for a in held.accesses),
            title_lines=self._titles("NGƯỜI ĐÃ MỞ HỒ SƠ"),
        )
        yield SheetSpec(
            "Lần xuất",
            [
                Column("Thời điểm", 17, DATETIME),
                Column("Người xuất", 24),
                Column("Mục đích", 40),
            ],
            rows=(
                [_local(e.at), staff_name(e.user), e.purpose_label]
                for e in held.exports
            ),
            title_lines=self._titles("CÁC LẦN XUẤT HỒ SƠ"),
        )
        yield SheetSpec(
            "Yêu cầu",
            [
                Column("Ngày nhận", 12, DATE),
                Column("Yêu cầu", 30),
                Column("Ngày phản hồi", 12, DATE),
                Column("Ngày giải quyết xong", 12, DATE),
                Column("Kết quả", 20),
                Column("Nội dung kết quả", 40),
            ],
            rows=(
                [
                    r.received_on,
                    str(r.get_kind_display()),
                    r.answered_on,
                    r.closed_on,
                    str(r.get_outcome_display()) if r.outcome else "Đang giải quyết",
                    r.outcome_note,
                ]
                for r in held.requests
            ),
            title_lines=self._titles("CÁC YÊU CẦU VỀ DỮ LIỆU CÁ NHÂN"),
        )

    def export(self, out=None):
        with translation.override("vi"):
            return super().export(out)


class ExportLogExporter(Exporter):
    """The centre's exports of personal data, newest first, as filtered."""

    def __init__(self, center, rows):
        self.center = center
        self.rows = rows

    def filename(self) -> str:
        return f"nhat-ky-xuat-du-lieu-{self.center.slug}.xlsx"

    def sheets(self):
        yield SheetSpec(
            "Nhật ký xuất",
            [
                Column("Thời điểm", 17, DATETIME),
                Column("Người xuất", 20),
                Column("Nội dung", 34),
                Column("Định dạng", 9),
                Column("Điều kiện lọc", 30),
                Column("Số người", 9),
                Column("Mục đích", 40),
            ],
            rows=(
                [
                    _local(e.at),
                    # A committee's export: its member and the organization.
                    f"{staff_name(e.user)} ({e.organization.name})"
                    if e.center_id is None and e.organization_id
                    else staff_name(e.user),
                    str(e.get_kind_display()),
                    e.file_format,
                    e.filters_text,
                    e.people,
                    e.purpose_label,
                ]
                for e in with_filter_texts(self.rows.iterator(chunk_size=1000))
            ),
            title_lines=[str(self.center.name).upper(), "NHẬT KÝ XUẤT DỮ LIỆU CÁ NHÂN"],
        )

    def export(self, out=None):
        with translation.override("vi"):
            return super().export(out)
