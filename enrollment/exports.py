"""Trainee lists to Excel: the class template, the roster and registry exports,
and the error workbook of a rejected upload.

All share the columns of `importing.COLUMNS`, so an exported list can be
edited and imported back unchanged (SECURITY.md R24). Every file output is
(filename, content_type, bytes) (STYLE.md S13).
"""

import io
import logging

from django.utils import timezone, translation
from django.utils.text import slugify

from enrollment.importing import COLUMNS, ParsedList
from enrollment.models import Trainee
from trainingcenter.http import XLSX
from trainingcenter.text import search_key
from trainingcenter.xlsx import RISKY_PREFIXES, Column, Sheet, write_workbook

audit = logging.getLogger("trainingcenter.audit")

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


def _row(trainee: Trainee, unit_name: str) -> list:
    birth = trainee.birth_date
    if birth and trainee.birth_year_only:
        birth = birth.year
    return [
        trainee.full_name,
        birth,
        GENDER_LABELS.get(trainee.gender, ""),
        trainee.ethnicity,
        unit_name,
        trainee.position,
        PARTY_LABELS.get(trainee.party_status, ""),
        trainee.admission_date,
        trainee.citizen_id,
        trainee.notes,
    ]


def roster_workbook(training_class, *, by) -> tuple[str, str, bytes]:
    """The class's trainees (not withdrawn), in Vietnamese order."""
    enrollments = (
        training_class.enrollments.active()
        .select_related("trainee__unit")
        .order_by("trainee__sort_key", "trainee__birth_date", "pk")
    )
    rows = (
        _row(e.trainee, e.trainee.unit.name if e.trainee.unit else "")
        for e in enrollments
    )
    _log_export("roster", training_class.center, by, training_class.pk)
    with translation.override("vi"):
        content = write_workbook(
            [("Danh sách", _columns(), rows)],
            title_lines=[
                str(training_class.center.name).upper(),
                _class_title(training_class),
            ],
        )
    slug = slugify(search_key(training_class.class_type.name))
    name = f"danh-sach-{slug}-{training_class.pk}.xlsx"
    return name, XLSX, content


def registry_workbook(center, *, by) -> tuple[str, str, bytes]:
    """Every trainee of the centre, in Vietnamese order, streamed from the database."""
    trainees = (
        center.trainees.select_related("unit")
        .in_vietnamese_order()
        .iterator(chunk_size=2000)
    )
    rows = (_row(t, t.unit.name if t.unit else "") for t in trainees)
    _log_export("registry", center, by, None)
    content = write_workbook(
        [("Học viên", _columns(), rows)],
        title_lines=[str(center.name).upper(), "DANH SÁCH HỌC VIÊN"],
    )
    return f"hoc-vien-{center.slug}.xlsx", XLSX, content


def class_template(training_class) -> tuple[str, str, bytes]:
    """An empty list for a class: title block, headers, drop-downs, an example row."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append([str(training_class.center.name).upper()])
    sheet.append([_class_title(training_class)])
    sheet.append(["Điền từ dòng 6; dòng 5 là ví dụ, hãy xóa hoặc ghi đè."])
    sheet.append([c.title for c in COLUMNS])
    sheet.append(
        ["Nguyễn Thị Hòa", "17/05/1995", "Nữ", "Kinh", "Chi bộ Tổ dân phố 1",
         "Đoàn viên", "Quần chúng", None, None, "Ví dụ"]
    )  # fmt: skip
    for cell in sheet[1] + sheet[2] + sheet[4]:
        cell.font = Font(bold=True)
    for cell in sheet[5]:
        cell.fill = PatternFill("solid", fgColor="FFF2CC")
    sheet["A5"].comment = Comment("Dòng ví dụ", "Trung tâm")
    for index, column in enumerate(_columns(), start=1):
        sheet.column_dimensions[sheet.cell(4, index).column_letter].width = column.width
        if "date" in COLUMNS[index - 1].key:
            for row in range(5, 1006):
                sheet.cell(
                    row, index
                ).number_format = "@"  # typed dd/mm/yyyy stays text
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
    sheet.freeze_panes = "A5"
    out = io.BytesIO()
    book.save(out)
    slug = slugify(search_key(training_class.class_type.name))
    return f"mau-danh-sach-{slug}-{training_class.pk}.xlsx", XLSX, out.getvalue()


def error_workbook(
    sheet: Sheet, parsed: ParsedList, file_name: str
) -> tuple[str, str, bytes]:
    """The uploaded rows back, each bad cell red with a comment saying what is wrong."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    book = Workbook()
    out_sheet = book.active
    out_sheet.title = "Danh sách"
    for row in sheet.rows:
        out_sheet.append(list(row))
    for number, row in enumerate(sheet.rows, start=1):
        for index, value in enumerate(row, start=1):
            if isinstance(value, str) and value.startswith(RISKY_PREFIXES):
                out_sheet.cell(number, index).data_type = "s"
    column_of = {key: index + 1 for index, key in parsed.columns.items()}
    titles = {c.title: c.key for c in COLUMNS}
    red = PatternFill("solid", fgColor="FFC7CE")
    for list_row in parsed.rows:
        for title, message in list_row.errors:
            column = column_of.get(titles.get(title), 1)
            cell = out_sheet.cell(list_row.number, column)
            cell.fill = red
            previous = cell.comment.text + "\n" if cell.comment else ""
            cell.comment = Comment(previous + message, "Trung tâm")
    out = io.BytesIO()
    book.save(out)
    stem = file_name.rsplit(".", 1)[0]
    return f"{slugify(search_key(stem)) or 'danh-sach'}-loi.xlsx", XLSX, out.getvalue()


def _class_title(training_class) -> str:
    return (
        f"{training_class.class_type.name} {training_class.intake_label} "
        f"({training_class.start_date:%d/%m/%Y} – {training_class.end_date:%d/%m/%Y})"
    ).replace("  ", " ")


def _log_export(what: str, center, by, object_id) -> None:
    """Exports carry sensitive fields (ethnicity, party status, CCCD): log them."""
    audit.info(
        "export %s centre=%s object=%s user=%s at=%s",
        what,
        center.slug,
        object_id,
        getattr(by, "username", by),
        timezone.now().isoformat(),
    )
