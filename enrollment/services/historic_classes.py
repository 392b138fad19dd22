"""Classes from before the system: counts only, no roster.

It lives beside the trainee-list import, whose cell cleaning it shares.

A centre enters its past classes from an Excel template so that a report over
many years is possible. Each row is one class with its programme, dates and
declared counts; the counting module counts such a class by those numbers.
The upload is all or nothing: any bad row refuses the file, with an error that
names the row and the column.
"""

import dataclasses
import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import ClassType, TrainingClass
from enrollment.cells import CellError, clean_date, clean_text
from enrollment.importing import HEADER_ROWS_SCANNED, read_list
from trainingcenter.text import search_key
from trainingcenter.uploads import Sheet, UploadRefused

# Files are checked and read as trainee lists are, within the same limits.
read = read_list


@dataclasses.dataclass(frozen=True)
class HistoryColumn:
    key: str
    title: str
    required: bool
    width: int
    aliases: tuple[str, ...] = ()


COLUMNS = [
    HistoryColumn("programme", "Chương trình", True, 40, ("Mã chương trình",)),
    HistoryColumn("start_date", "Ngày khai giảng", True, 16, ("Từ ngày",)),
    HistoryColumn("end_date", "Ngày bế giảng", True, 16, ("Đến ngày",)),
    HistoryColumn("intake_label", "Khóa, lớp", False, 16, ("Khóa", "Lớp")),
    HistoryColumn("venue", "Địa điểm", False, 28),
    HistoryColumn("counted_in_plan", "Tính vào kế hoạch", False, 12),
    HistoryColumn("enrolled", "Số học viên", True, 12, ("Lượt học viên",)),
    HistoryColumn("completed", "Số hoàn thành", False, 12),
    HistoryColumn("certified", "Số được cấp giấy chứng nhận", False, 14),
]
ALIASES = {
    search_key(name): column.key
    for column in COLUMNS
    for name in (column.title, *column.aliases)
}
YES = {"co", "x", "1", "true", "yes"}
NO = {"khong", "0", "false", "no"}


@dataclasses.dataclass
class HistoryRow:
    number: int
    values: dict
    errors: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def parse(sheet: Sheet, center) -> list[HistoryRow]:
    """Clean every row; rows with errors carry them, by column title."""
    header_row, columns = _find_header(sheet)
    missing = [c.title for c in COLUMNS if c.required and c.key not in columns.values()]
    if missing:
        raise UploadRefused(
            _("The file has no column %(columns)s; use the template.")
            % {"columns": ", ".join(f"“{m}”" for m in missing)}
        )
    programmes = {}
    for class_type in ClassType.objects.all():
        programmes[class_type.code] = class_type
        programmes[search_key(class_type.name)] = class_type
    existing = set(
        TrainingClass.objects.filter(center=center).values_list(
            "class_type_id", "start_date", "intake_label"
        )
    )
    rows, seen = [], set()
    titles = {c.key: c.title for c in COLUMNS}
    for number, raw in enumerate(sheet.rows[header_row:], start=header_row + 1):
        cells = {key: raw[i] if i < len(raw) else None for i, key in columns.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        row = HistoryRow(number, {})
        for key, value in cells.items():
            try:
                row.values[key] = _clean(key, value, programmes)
            except CellError as error:
                row.errors.append((titles[key], str(error)))
        _check_row(row, titles, existing, seen)
        rows.append(row)
    if not rows:
        raise UploadRefused(_("The file has no classes below the header row."))
    return rows


def _find_header(sheet: Sheet) -> tuple[int, dict[int, str]]:
    best = (0, {})
    for number, row in enumerate(sheet.rows[:HEADER_ROWS_SCANNED], start=1):
        columns = {}
        for index, cell in enumerate(row):
            key = ALIASES.get(search_key(str(cell or "")).rstrip(":* "))
            if key and key not in columns.values():
                columns[index] = key
        if len(columns) > len(best[1]):
            best = (number, columns)
    return best


def _clean(key: str, value, programmes: dict):
    if key == "programme":
        text = clean_text(value, 255)
        found = programmes.get(text) or programmes.get(search_key(text))
        if not text:
            raise CellError(_("Name the programme."))
        if found is None:
            raise CellError(
                _("“%(value)s” is not a programme of the catalogue.") % {"value": text}
            )
        return found
    if key in ("start_date", "end_date"):
        day, _year_only = clean_date(value)
        if day is None:
            raise CellError(_("The date is empty."))
        return day
    if key in ("intake_label", "venue"):
        return clean_text(value, 60 if key == "intake_label" else 255)
    if key == "counted_in_plan":
        text = search_key(str(value if value is not None else "có"))
        if text in YES:
            return True
        if text in NO:
            return False
        raise CellError(_("Write “Có” or “Không”."))
    # The counts.
    if value is None or str(value).strip() == "":
        if key == "enrolled":
            raise CellError(_("The number of trainees is empty."))
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().replace(".", "").isdigit():
        value = int(value.strip().replace(".", ""))  # "1.250" as typed
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    return value


def _check_row(row: HistoryRow, titles, existing: set, seen: set) -> None:
    values = row.values
    start, end = values.get("start_date"), values.get("end_date")
    if isinstance(start, datetime.date) and isinstance(end, datetime.date):
        if end < start:
            row.errors.append(
                (titles["end_date"], _("The end date is before the start date."))
            )
        if start > datetime.date.today():
            row.errors.append(
                (titles["start_date"], _("A past class cannot start in the future."))
            )
    enrolled, completed = values.get("enrolled"), values.get("completed")
    certified = values.get("certified")
    if (
        isinstance(enrolled, int)
        and isinstance(completed, int)
        and completed > enrolled
    ):
        row.errors.append((titles["completed"], _("More completed than enrolled.")))
    limit = completed if isinstance(completed, int) else enrolled
    if isinstance(limit, int) and isinstance(certified, int) and certified > limit:
        row.errors.append((titles["certified"], _("More certified than completed.")))
    programme = values.get("programme")
    if isinstance(programme, ClassType) and isinstance(start, datetime.date):
        key = (programme.pk, start, values.get("intake_label", ""))
        if key in existing:
            row.errors.append(
                (titles["programme"], _("This class is already recorded."))
            )
        elif key in seen:
            row.errors.append(
                (titles["programme"], _("The same class appears twice in the file."))
            )
        seen.add(key)


@transaction.atomic
def import_classes(center, rows: list[HistoryRow]) -> list[TrainingClass]:
    """Record the past classes, closed, with their declared counts. Refuses
    the whole file if any row has an error."""
    if any(row.errors for row in rows):
        raise ValueError("rows with errors")
    made = []
    for row in rows:
        values = row.values
        programme = values["programme"]
        training_class = TrainingClass(
            center=center,
            class_type=programme,
            start_date=values["start_date"],
            end_date=values["end_date"],
            intake_label=values.get("intake_label", ""),
            venue=values.get("venue", ""),
            counted_in_plan=values.get("counted_in_plan", True),
            status=TrainingClass.Status.CLOSED,
            assessment=programme.assessment,
            award=programme.award,
            periods=programme.periods,
            sessions=programme.sessions,
            declared_enrolled=values["enrolled"],
            declared_completed=values.get("completed"),
            declared_certified=values.get("certified"),
        )
        training_class.save()
        made.append(training_class)
    return made
