"""Enrollment's workbooks: trainee lists, the certificate register, templates.

Every one is an `Exporter` (trainingcenter/xlsx.py) and returns
(filename, content type, bytes). The trainee lists share the columns of
`importing.COLUMNS`, so an exported list can be edited and imported back
unchanged. The views that send a file with personal data ask its purpose and
log it (enrollment/services/privacy.py).
"""

import datetime

from django.utils import timezone, translation
from django.utils.text import slugify

from enrollment.importing import COLUMNS, ParsedList
from enrollment.models import Trainee
from enrollment.services import certificates as certificate_service
from enrollment.services.historic_classes import COLUMNS as HISTORIC_COLUMNS
from trainingcenter.privacy import citizen_id_for
from trainingcenter.text import search_key
from trainingcenter.uploads import Sheet
from trainingcenter.xlsx import RISKY_PREFIXES, Column, Exporter, SheetSpec

WIDTHS = {"full_name": 28, "unit": 36, "position": 20, "party_status": 22, "notes": 24}
GENDER_LABELS = {"male": "Nam", "female": "Nữ"}
PARTY_LABELS = {
    "non_member": "Quần chúng",
    "probationary": "Đảng viên dự bị",
    "full": "Đảng viên chính thức",
}


def _columns() -> list[Column]:
    return [
        Column(
            c.title, WIDTHS.get(c.key, 14), "dd/mm/yyyy" if "date" in c.key else None
        )
        for c in COLUMNS
    ]


def _exported_on() -> str:
    """A list of people says which day it was taken: a copy passed on later
    is then known to be that day's."""
    return f"Xuất ngày {timezone.localdate():%d/%m/%Y}"


def _row(trainee: Trainee, unit_name: str, place: str, role: str) -> list:
    birth = trainee.birth_date
    if birth and trainee.birth_year_only:
        birth = str(birth.year)  # a number in a date-formatted cell reads as 1905
    return [
        trainee.full_name,
        birth,
        GENDER_LABELS.get(trainee.gender, ""),
        trainee.ethnicity,
        unit_name,
        trainee.position,
        PARTY_LABELS.get(trainee.party_status, ""),
        trainee.admission_date,
        citizen_id_for(place, role, trainee.citizen_id),
        trainee.notes,
    ]


class RosterExporter(Exporter):
    """The class's trainees (not withdrawn), in Vietnamese order; the citizen
    ID as `role` may see it in this export (trainingcenter/privacy.py)."""

    def __init__(self, training_class, *, by, role="staff"):
        self.training_class = training_class
        self.by = by
        self.role = role

    def filename(self) -> str:
        slug = slugify(search_key(self.training_class.class_type.name))
        return f"danh-sach-{slug}-{self.training_class.pk}.xlsx"

    def sheets(self):
        training_class = self.training_class
        enrollments = (
            training_class.enrollments.active()
            .select_related("trainee__unit")
            .order_by("trainee__sort_key", "trainee__birth_date", "pk")
        )
        # "STT" first, as every list of people is numbered; the import reads
        # it as the row number, so the file goes back in as it is.
        yield SheetSpec(
            "Danh sách",
            [Column("STT", 6), *_columns()],
            rows=(
                [
                    number,
                    *_row(
                        e.trainee,
                        e.trainee.unit.name if e.trainee.unit else "",
                        "roster_export",
                        self.role,
                    ),
                ]
                for number, e in enumerate(enrollments, start=1)
            ),
            title_lines=[
                str(training_class.center.name).upper(),
                _class_title(training_class),
                _exported_on(),
            ],
        )

    def export(self, out=None):
        with translation.override("vi"):
            return super().export(out)


class RegistryExporter(Exporter):
    """Every trainee of the centre, in Vietnamese order, streamed from the
    database; the citizen ID as `role` may see it in this export."""

    def __init__(self, center, *, by, role="staff"):
        self.center = center
        self.by = by
        self.role = role

    def filename(self) -> str:
        return f"hoc-vien-{self.center.slug}.xlsx"

    def sheets(self):
        trainees = (
            self.center.trainees.select_related("unit")
            .in_vietnamese_order()
            .iterator(chunk_size=2000)
        )
        yield SheetSpec(
            "Học viên",
            _columns(),
            rows=(
                _row(t, t.unit.name if t.unit else "", "registry_export", self.role)
                for t in trainees
            ),
            title_lines=[
                str(self.center.name).upper(),
                "DANH SÁCH HỌC VIÊN",
                _exported_on(),
            ],
        )

    def export(self, out=None):
        with translation.override("vi"):
            return super().export(out)


REGISTER_COLUMNS = [
    Column("Số", 16),
    Column("Loại", 14),
    Column("Họ và tên", 28),
    Column("Ngày sinh", 12, "dd/mm/yyyy"),  # a year alone stays "1995"
    Column("Chương trình", 36),
    Column("Lớp", 16),
    Column("Từ ngày", 12, "dd/mm/yyyy"),
    Column("Đến ngày", 12, "dd/mm/yyyy"),
    Column("Ngày cấp", 12, "dd/mm/yyyy"),
    Column("Người ký", 24),
    Column("Tình trạng", 14),
    Column("Ghi chú", 40),
]


class CertificateRegisterExporter(Exporter):
    """The register (sổ cấp giấy chứng nhận) of one issuer and year: one row
    per certificate or diploma ever recorded, in number order, with its chain
    and status in words."""

    def __init__(self, issuer, *, year: int, entries):
        self.issuer = issuer
        self.year = year
        self.entries = entries

    def filename(self) -> str:
        name = slugify(search_key(self.issuer.name))
        return f"so-cap-giay-chung-nhan-{self.year}-{name}.xlsx"

    def sheets(self):
        yield SheetSpec(
            f"Sổ cấp GCN {self.year}",
            REGISTER_COLUMNS,
            rows=(
                _register_row(entry) for entry in self.entries.iterator(chunk_size=500)
            ),
            title_lines=[
                str(self.issuer.name).upper(),
                f"SỔ CẤP GIẤY CHỨNG NHẬN NĂM {self.year}",
                _exported_on(),
            ],
        )

    def export(self, out=None):
        with translation.override("vi"):
            return super().export(out)


def _register_row(entry) -> list:
    fields = entry.fields
    return [
        entry.number_text,
        str(entry.get_kind_display()),
        fields.get("full_name", ""),
        _day(fields.get("birth")),
        fields.get("programme", ""),
        fields.get("class_label", ""),
        _day(fields.get("start")),
        _day(fields.get("end")),
        entry.issued_on,
        entry.signer_name,
        str(entry.status_label),
        certificate_service.register_remark(entry),
    ]


def _day(text):
    """A printed dd/mm/yyyy back to a date, so that Excel sorts it as one."""
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except (TypeError, ValueError):
        return text or None


class HistoricClassesTemplateExporter(Exporter):
    """The empty list of classes held before the system, with one example row."""

    EXAMPLE = [
        "nhan-thuc-ve-dang",
        datetime.date(2015, 3, 2),
        datetime.date(2015, 3, 6),
        "khóa I",
        "Hội trường Trung tâm",
        "Có",
        "",
        125,
        120,
        120,
        118,
        118,
        "",
    ]

    def filename(self) -> str:
        return "mau-lop-da-mo.xlsx"

    def sheets(self):
        yield SheetSpec(
            "Lớp đã mở",
            [
                Column(
                    c.title, c.width, "dd/mm/yyyy" if c.key.endswith("date") else None
                )
                for c in HISTORIC_COLUMNS
            ],
            rows=[self.EXAMPLE],
            title_lines=[
                "CÁC LỚP ĐÃ MỞ TRƯỚC KHI DÙNG HỆ THỐNG",
                "Chương trình: mã hoặc tên chính thức. Tính vào kế hoạch: Có/Không.",
                "Số không rõ thì để trống (không ghi 0).",
            ],
        )


# The template's example, kept out of the rows to fill: written in the note
# above the header and in a comment on each header cell.
TEMPLATE_EXAMPLE = {
    "full_name": "Nguyễn Thị Hòa",
    "birth_date": "17/05/1995",
    "gender": "Nữ",
    "ethnicity": "Kinh",
    "unit": "Chi bộ Tổ dân phố 1",
    "position": "Đoàn viên",
    "party_status": "Quần chúng",
}


class ClassTemplateExporter(Exporter):
    """An empty list for a class: title block, headers, drop-downs, an example.

    The example is in the note above the header and in each header's comment,
    never in a row to fill, so a list filled from the first empty row holds
    only real people. Built in openpyxl's normal mode, not write-only:
    drop-down lists (data validations), comments and a text format on empty
    date cells are things a write-only sheet cannot hold.
    """

    def __init__(self, training_class):
        self.training_class = training_class

    def filename(self) -> str:
        slug = slugify(search_key(self.training_class.class_type.name))
        return f"mau-danh-sach-{slug}-{self.training_class.pk}.xlsx"

    def workbook(self):
        from openpyxl import Workbook
        from openpyxl.comments import Comment
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = "Danh sách"
        sheet.append([str(self.training_class.center.name).upper()])
        sheet.append([_class_title(self.training_class)])
        example = "; ".join(
            TEMPLATE_EXAMPLE[c.key] for c in COLUMNS if c.key in TEMPLATE_EXAMPLE
        )
        sheet.append([f"Điền từ dòng 5, ngay dưới dòng tiêu đề. Ví dụ: {example}."])
        sheet.append([c.title for c in COLUMNS])
        for cell in sheet[1] + sheet[2] + sheet[4]:
            cell.font = Font(bold=True)
        sheet["A3"].font = Font(italic=True)
        for index, column in enumerate(COLUMNS, start=1):
            if column.key in TEMPLATE_EXAMPLE:
                sheet.cell(4, index).comment = Comment(
                    f"Ví dụ: {TEMPLATE_EXAMPLE[column.key]}", "Trung tâm"
                )
        for index, column in enumerate(_columns(), start=1):
            letter = sheet.cell(4, index).column_letter
            sheet.column_dimensions[letter].width = column.width
            if "date" in COLUMNS[index - 1].key:
                for row in range(5, 1006):
                    # A typed dd/mm/yyyy stays text, not a date Excel guesses.
                    sheet.cell(row, index).number_format = "@"
        _add_drop_downs(sheet)
        sheet.freeze_panes = "A5"
        return book


def _add_drop_downs(sheet) -> None:
    """Gender and party status chosen from a list, on the template's rows."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for key, values in (
        ("gender", ["Nam", "Nữ"]),
        ("party_status", list(PARTY_LABELS.values())),
    ):
        letter = sheet.cell(4, 1 + [c.key for c in COLUMNS].index(key)).column_letter
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Giá trị không hợp lệ",
            error="Chọn một giá trị trong danh sách.",
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letter}5:{letter}5005")


class ErrorWorkbookExporter(Exporter):
    """The uploaded rows back, each bad cell red with a comment saying what is wrong.

    Built in openpyxl's normal mode, not write-only: the rows are written
    first and the bad cells coloured and commented afterwards, by row and
    column, which a write-only sheet (rows written once, in order) cannot do.
    """

    def __init__(self, sheet: Sheet, parsed: ParsedList, file_name: str):
        self.sheet = sheet
        self.parsed = parsed
        self.file_name = file_name

    def filename(self) -> str:
        stem = self.file_name.rsplit(".", 1)[0]
        return f"{slugify(search_key(stem)) or 'danh-sach'}-loi.xlsx"

    def workbook(self):
        from openpyxl import Workbook
        from openpyxl.comments import Comment
        from openpyxl.styles import PatternFill

        book = Workbook()
        out_sheet = book.active
        out_sheet.title = "Danh sách"
        for row in self.sheet.rows:
            out_sheet.append(list(row))
        for number, row in enumerate(self.sheet.rows, start=1):
            for index, value in enumerate(row, start=1):
                if isinstance(value, str) and value.startswith(RISKY_PREFIXES):
                    out_sheet.cell(number, index).data_type = "s"
        _lay_out_as_a_list(out_sheet, self.sheet.rows, self.parsed.header_row)
        column_of = {key: index + 1 for index, key in self.parsed.columns.items()}
        titles = {c.title: c.key for c in COLUMNS}
        red = PatternFill("solid", fgColor="FFC7CE")
        for list_row in self.parsed.rows:
            for title, message in list_row.errors:
                column = column_of.get(titles.get(title), 1)
                cell = out_sheet.cell(list_row.number, column)
                cell.fill = red
                previous = cell.comment.text + "\n" if cell.comment else ""
                cell.comment = Comment(previous + message, "Trung tâm")
        return book


def _lay_out_as_a_list(sheet, rows: list, header_row: int) -> None:
    """What the cell's file looked like, as far as its values tell: dates as
    dd/mm/yyyy (not 1990-03-05 00:00:00), the column headers bold, wrapped
    and frozen, a title line alone on its row centred across the list, and
    each column as wide as its texts."""
    import datetime

    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    width = max((len(row) for row in rows), default=0)
    longest = [8] * width
    for number, row in enumerate(rows, start=1):
        filled = [index for index, value in enumerate(row) if value not in (None, "")]
        for index, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.cell(number, index + 1).number_format = "DD/MM/YYYY"
                longest[index] = max(longest[index], 11)
            elif value is not None and number >= (header_row or 1):
                longest[index] = max(longest[index], min(len(str(value)), 40) + 2)
        if header_row and number < header_row and len(filled) == 1 and width > 1:
            sheet.merge_cells(
                start_row=number, start_column=1, end_row=number, end_column=width
            )
            title = sheet.cell(number, 1, row[filled[0]])
            if isinstance(title.value, str) and title.value.startswith(RISKY_PREFIXES):
                title.data_type = "s"  # text, never a formula
            title.font, title.alignment = Font(bold=True), Alignment("center")
    if header_row:
        for index in range(1, width + 1):
            cell = sheet.cell(header_row, index)
            cell.font = Font(bold=True)
            cell.alignment = Alignment("center", "center", wrap_text=True)
        sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    for index, chars in enumerate(longest, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = chars


def _class_title(training_class) -> str:
    return (
        f"{training_class.class_type.name} {training_class.intake_label} "
        f"({training_class.start_date:%d/%m/%Y} – {training_class.end_date:%d/%m/%Y})"
    ).replace("  ", " ")
