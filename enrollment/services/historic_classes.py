"""Classes from before the system: counts only, no roster.

It lives beside the trainee-list import, whose cell cleaning it shares.

A centre enters its past classes from an Excel file so that a report over
many years is possible. Each row is one class with its programme, dates and
the numbers its records give; the counting module counts such a class by
those numbers. A number left empty is not known, and is stored as such (NULL),
never as 0. Headers are recognised by their usual names, whatever the
diacritics, case, spacing or punctuation; every other non-empty column is
listed as not imported in the preview, before anything is recorded. The upload
is all or nothing: any bad row refuses the file, with an error that names the
row and the column.
"""

import dataclasses
import datetime
import re

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from courses.models import ClassType, CoOrganizer, TrainingClass
from enrollment.cells import CellError, clean_date, clean_text
from enrollment.importing import HEADER_ROWS_SCANNED, read_list
from enrollment.services import summaries
from trainingcenter.models import Organization
from trainingcenter.text import search_key
from trainingcenter.uploads import Sheet, UploadRefused

# Files are checked and read as trainee lists are, within the same limits.
read = read_list

# A centre's past classes fit in far fewer rows; the preview keeps the file
# in the session between the check and the confirmation.
MAX_ROWS = 5000


@dataclasses.dataclass(frozen=True)
class HistoryColumn:
    key: str
    title: str
    required: bool
    width: int
    synonyms: tuple[str, ...] = ()


# The headers each field is read from, as centres write them. A plain table
# for now; the trainee lists' synonym table (kept as data, editable in the
# admin) can take these entries over when the two are joined. Compared
# through `header_key`: diacritics, case, spacing and punctuation do not count.
COLUMNS = [
    HistoryColumn("programme", "Chương trình", True, 40, (
        "Mã chương trình", "Tên chương trình", "Chương trình bồi dưỡng",
        "Chương trình đào tạo", "Loại lớp")),
    HistoryColumn("start_date", "Ngày khai giảng", True, 16, (
        "Ngày bắt đầu", "Từ ngày", "Khai giảng", "Bắt đầu", "Ngày mở lớp")),
    HistoryColumn("end_date", "Ngày bế giảng", True, 16, (
        "Ngày kết thúc", "Đến ngày", "Bế giảng", "Kết thúc")),
    HistoryColumn("intake_label", "Khóa, lớp", False, 16, (
        "Khóa", "Lớp", "Tên lớp", "Khóa lớp", "Đợt", "Khóa học")),
    HistoryColumn("venue", "Địa điểm", False, 28, (
        "Nơi học", "Địa điểm tổ chức", "Nơi tổ chức", "Địa điểm học")),
    HistoryColumn("counted_in_plan", "Tính vào kế hoạch", False, 12, (
        "Trong kế hoạch", "Theo kế hoạch", "Kế hoạch")),
    HistoryColumn("co_organizers", "Phối hợp với", False, 28, (
        "Đơn vị phối hợp", "Phối hợp tổ chức", "Cơ quan phối hợp", "Phối hợp",
        "Liên kết với", "Đơn vị phối hợp tổ chức")),
    HistoryColumn("called", "Số được triệu tập", False, 12, (
        "Số triệu tập", "Triệu tập", "Số học viên được triệu tập",
        "Được triệu tập")),
    HistoryColumn("attended", "Số tham gia", False, 12, (
        "Tham gia", "Số học viên tham gia", "Số dự học", "Số có mặt")),
    HistoryColumn("enrolled", "Số học viên", False, 12, (
        "Lượt học viên", "Số lượng học viên", "Tổng số học viên", "Sĩ số",
        "Học viên")),
    HistoryColumn("completed", "Số hoàn thành", False, 12, (
        "Hoàn thành", "Số học viên hoàn thành", "Số hoàn thành khóa học")),
    HistoryColumn("certified", "Số được cấp giấy chứng nhận", False, 14, (
        "Được cấp GCN", "Số được cấp GCN", "Cấp GCN", "Số cấp giấy chứng nhận",
        "Được cấp giấy chứng nhận", "Số cấp GCN")),
    HistoryColumn("issuer", "Cơ quan cấp", False, 28, (
        "Cơ quan cấp giấy chứng nhận", "Cơ quan cấp GCN", "Đơn vị cấp",
        "Nơi cấp")),
]  # fmt: skip
TITLES = {column.key: column.title for column in COLUMNS}
COUNTS = ["called", "attended", "enrolled", "completed", "certified"]
# A running number column carries nothing to keep.
ROW_NUMBER = "row_number"
ROW_NUMBER_HEADERS = ("STT", "TT", "Số thứ tự")
YES = {"co", "x", "1", "true", "yes"}
NO = {"khong", "0", "false", "no"}
SAMPLES = 3


def header_key(text: str) -> str:
    """A header without diacritics, case, spacing or punctuation."""
    return "".join(ch for ch in search_key(text) if ch.isalnum())


HEADERS = {
    header_key(name): column.key
    for column in COLUMNS
    for name in (column.title, *column.synonyms)
} | {header_key(name): ROW_NUMBER for name in ROW_NUMBER_HEADERS}


@dataclasses.dataclass
class HistoryRow:
    number: int
    values: dict
    errors: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    @property
    def counts(self) -> list[int | None]:
        """Called, attended, enrolled, completed, certified; None: not known."""
        return [self.values.get(key) for key in COUNTS]

    @property
    def co_organizers_text(self) -> str:
        found, others = self.values.get("co_organizers", ([], ""))
        return "; ".join([o.name for o in found] + ([others] if others else []))

    @property
    def issuer_text(self) -> str:
        issuer, text = self.values.get("issuer", (None, ""))
        return issuer.name if issuer else text


@dataclasses.dataclass
class UnreadColumn:
    """A non-empty column that no field is read from."""

    letter: str
    header: str
    samples: list[str]


@dataclasses.dataclass
class HistoryFile:
    """What the preview shows and the confirmation records."""

    header_row: int
    read: list[tuple[str, str]]  # (header as written, field title)
    unread: list[UnreadColumn]
    rows: list[HistoryRow]
    skipped: list[tuple[int, str]]  # (row number, text): totals, notes, signatures

    count_titles = [TITLES[key] for key in COUNTS]

    @property
    def error_rows(self) -> list[HistoryRow]:
        return [row for row in self.rows if row.errors]


def parse(sheet: Sheet, center) -> HistoryFile:
    """Read and clean every row; rows with errors carry them, by column title.

    Raises UploadRefused when the file has no usable header or no class.
    """
    header_row, columns, headers = _find_header(sheet)
    missing = [c.title for c in COLUMNS if c.required and c.key not in columns.values()]
    if missing:
        raise UploadRefused(
            _("The file has no column %(columns)s; use the template.")
            % {"columns": ", ".join(f"“{m}”" for m in missing)}
        )
    body = sheet.rows[header_row:]
    if len(body) > MAX_ROWS:
        raise UploadRefused(
            _("The file has more than %(limit)s rows; split it and upload the parts.")
            % {"limit": MAX_ROWS}
        )
    lookup = _Lookup(center)
    rows, skipped, seen = [], [], set()
    for number, raw in enumerate(body, start=header_row + 1):
        cells = {
            key: raw[i] if i < len(raw) else None
            for i, key in columns.items()
            if key != ROW_NUMBER
        }
        if all(_blank(v) for v in raw):
            continue
        if _not_a_class(cells, lookup):
            skipped.append((number, " ".join(str(v) for v in raw if not _blank(v))))
            continue
        row = HistoryRow(number, {})
        for key, value in cells.items():
            try:
                row.values[key] = _clean(key, value, lookup)
            except CellError as error:
                row.errors.append((TITLES[key], str(error)))
        _fill_enrolled(row.values)
        _check_row(row, lookup.existing, seen)
        rows.append(row)
    if not rows:
        raise UploadRefused(_("The file has no classes below the header row."))
    return HistoryFile(
        header_row=header_row,
        read=[
            (headers[i], TITLES[key])
            for i, key in sorted(columns.items())
            if key != ROW_NUMBER
        ],
        unread=_unread(sheet, header_row, columns),
        rows=rows,
        skipped=skipped,
    )


def _blank(value) -> bool:
    return value is None or str(value).strip() == ""


def _find_header(sheet: Sheet) -> tuple[int, dict[int, str], dict[int, str]]:
    """The row among the first ones naming the most fields, and its columns."""
    best = (0, {}, {})
    for number, row in enumerate(sheet.rows[:HEADER_ROWS_SCANNED], start=1):
        columns, headers = {}, {}
        for index, cell in enumerate(row):
            if _blank(cell):
                continue
            text = " ".join(str(cell).split())
            key = HEADERS.get(header_key(text)) or HEADERS.get(
                header_key(re.sub(r"\(.*?\)", "", text))
            )
            if key and key not in columns.values():
                columns[index], headers[index] = key, text
        if len(columns) > len(best[1]):
            best = (number, columns, headers)
    return best


def _unread(sheet: Sheet, header_row: int, columns: dict) -> list[UnreadColumn]:
    """Every column with a header or a value that no field is read from."""
    header_cells = sheet.rows[header_row - 1] if header_row else ()
    width = max((len(row) for row in sheet.rows[max(header_row - 1, 0) :]), default=0)
    unread = []
    for index in range(width):
        if index in columns:
            continue
        header = header_cells[index] if index < len(header_cells) else None
        samples = []
        for row in sheet.rows[header_row:]:
            if index < len(row) and not _blank(row[index]):
                value = row[index]
                if isinstance(value, datetime.date):
                    value = f"{value:%d/%m/%Y}"
                samples.append(" ".join(str(value).split()))
                if len(samples) == SAMPLES:
                    break
        if not _blank(header) or samples:
            unread.append(
                UnreadColumn(
                    get_column_letter(index + 1),
                    "" if _blank(header) else " ".join(str(header).split()),
                    samples,
                )
            )
    return unread


def _not_a_class(cells: dict, lookup: "_Lookup") -> bool:
    """A line that is not a class: no dates, and no programme of the catalogue
    (totals, notes, the signature block under the list). A programme without
    dates stays a row, so that its missing dates are an error."""
    if not (_blank(cells.get("start_date")) and _blank(cells.get("end_date"))):
        return False
    programme = cells.get("programme")
    return _blank(programme) or lookup.programme(str(programme).strip()) is None


class _Lookup:
    """The catalogue, the centre's recorded classes and the bodies it deals with."""

    def __init__(self, center):
        self.programmes = {}
        for class_type in ClassType.objects.all():
            self.programmes[class_type.code] = class_type
            self.programmes[search_key(class_type.name)] = class_type
        self.existing = {
            _identity(type_id, start, label, venue)
            for type_id, start, label, venue in TrainingClass.objects.filter(
                center=center
            ).values_list("class_type_id", "start_date", "intake_label", "venue")
        }
        self.center = center
        self._organizations = None

    def programme(self, text: str) -> ClassType | None:
        """The programme of this code or official name."""
        return self.programmes.get(text) or self.programmes.get(search_key(text))

    def organization(self, name: str) -> Organization | None:
        """The one body of the centre's province with this name, if exactly one."""
        if self._organizations is None:
            self._organizations = {}
            for organization in Organization.objects.units_of(self.center):
                self._organizations.setdefault(organization.name_key, []).append(
                    organization
                )
        found = self._organizations.get(search_key(name), [])
        return found[0] if len(found) == 1 else None


def _identity(type_id, start, label: str, venue: str) -> tuple:
    """What makes two rows one class: programme, opening day, label and venue.

    Two classes of one programme on the same days with different labels (or
    at different venues) are two classes.
    """
    return (type_id, start, search_key(label or ""), search_key(venue or ""))


def _clean(key: str, value, lookup: _Lookup):
    if key == "programme":
        text = clean_text(value, 255)
        found = lookup.programme(text)
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
    if key == "co_organizers":
        return _split_names(clean_text(value, 255), lookup)
    if key == "issuer":
        text = clean_text(value, 255)
        return (lookup.organization(text) if text else None), text
    if key == "counted_in_plan":
        text = search_key(str(value if value is not None else "có"))
        if text in YES:
            return True
        if text in NO:
            return False
        raise CellError(_("Write “Có” or “Không”."))
    return _clean_count(value)


def _split_names(text: str, lookup: _Lookup) -> tuple[list[Organization], str]:
    """The bodies named (by ";", "," or a line break): those of the register,
    and the others as written."""
    found, others = [], []
    for name in re.split(r"[;,\n]", text):
        name = name.strip(" -.")
        if not name:
            continue
        organization = lookup.organization(name)
        if organization is None:
            others.append(name)
        elif organization not in found:
            found.append(organization)
    return found, "; ".join(others)


def _clean_count(value) -> int | None:
    """A whole number, or None for an empty cell: the number is not known."""
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        # "1.546" as typed in Vietnamese, "1,546" from an English Excel.
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+|\d+", text):
            value = int(re.sub(r"[.,]", "", text))
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    return value


def _fill_enrolled(values: dict) -> None:
    """Those who attended are the trainees when the file gives no other number."""
    if values.get("enrolled") is None and isinstance(values.get("attended"), int):
        values["enrolled"] = values["attended"]


def _check_row(row: HistoryRow, existing: set, seen: set) -> None:
    values = row.values
    start, end = values.get("start_date"), values.get("end_date")
    if isinstance(start, datetime.date) and isinstance(end, datetime.date):
        if end < start:
            row.errors.append(
                (TITLES["end_date"], _("The end date is before the start date."))
            )
        if start > datetime.date.today():
            row.errors.append(
                (TITLES["start_date"], _("A past class cannot start in the future."))
            )
    called, attended = values.get("called"), values.get("attended")
    enrolled, completed = values.get("enrolled"), values.get("completed")
    certified = values.get("certified")
    if isinstance(called, int) and isinstance(attended, int) and attended > called:
        row.errors.append((TITLES["attended"], _("More attended than were called.")))
    if (
        isinstance(enrolled, int)
        and isinstance(completed, int)
        and completed > enrolled
    ):
        row.errors.append((TITLES["completed"], _("More completed than enrolled.")))
    limit = completed if isinstance(completed, int) else enrolled
    if isinstance(limit, int) and isinstance(certified, int) and certified > limit:
        row.errors.append((TITLES["certified"], _("More certified than completed.")))
    programme = values.get("programme")
    if isinstance(programme, ClassType) and isinstance(start, datetime.date):
        key = _identity(
            programme.pk, start, values.get("intake_label"), values.get("venue")
        )
        if key in existing:
            row.errors.append(
                (TITLES["programme"], _("This class is already recorded."))
            )
        elif key in seen:
            row.errors.append(
                (TITLES["programme"], _("The same class appears twice in the file."))
            )
        seen.add(key)


@transaction.atomic
def import_classes(center, rows: list[HistoryRow], *, by=None) -> list[TrainingClass]:
    """Record the past classes, closed, with the numbers their rows give.

    All or nothing: refuses the whole file if any row has an error. An empty
    number is stored as not known (NULL). Co-organisers and the issuing body
    found in the register are linked; the other names are kept as written.
    `by` (a user; None for a command) is kept in each class's history.
    """
    if any(row.errors for row in rows):
        raise ValueError("rows with errors")
    made, partners = [], []
    with summaries.batched():
        for row in rows:
            values = row.values
            programme = values["programme"]
            organizations, other_names = values.get("co_organizers", ([], ""))
            issuer, issuer_text = values.get("issuer", (None, ""))
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
                historic=True,
                declared_called=values.get("called"),
                declared_attended=values.get("attended"),
                declared_enrolled=values.get("enrolled"),
                declared_completed=values.get("completed"),
                declared_certified=values.get("certified"),
                co_organizer_names=other_names,
                certificate_issuer=issuer,
                issuer_name="" if issuer else issuer_text,
            )
            training_class._history_user = by
            training_class.save()
            made.append(training_class)
            partners += [
                CoOrganizer(
                    training_class=training_class,
                    organization=organization,
                    role=CoOrganizer.Role.PARTNER,
                )
                for organization in organizations
            ]
        # Recounted with the classes at the end of the batch, partners included.
        CoOrganizer.objects.bulk_create(partners)
    return made
