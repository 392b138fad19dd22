"""Trainee lists from Excel: find the columns, clean every row, match the registry.

Nothing here writes; `services.imports.import_trainee_list` does, in one
transaction, after every row is clean, so a list is imported whole or not at
all. Row errors name the Excel row and the column title, in Vietnamese. Which
column holds what is found by enrollment/columns.py; one cell is cleaned by
enrollment/cells.py; enrollment/rows.py tells the rows that are not trainees
(title block, totals, notes, the signature block), finds one person written
twice and matches the registry.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy, pgettext_lazy
from openpyxl.utils import get_column_letter

from courses.models import TrainingClass
from enrollment.cells import (
    GENDERS,
    PARTY_STATUSES,
    CellError,
    clean_choice,
    clean_citizen_id,
    clean_date,
    clean_name,
    clean_text,
)
from enrollment.columns import (
    HEADER_ROWS_SCANNED,
    UnreadColumn,
    find_columns,
    given_name_column,
    read_gender_marks,
    unread_columns,
)
from enrollment.matching import match_registry, note_registry_differences
from enrollment.models import Trainee
from enrollment.person_dates import date_problems
from enrollment.rows import (
    ROW_ABOVE_HEADER,
    ROW_BLANK,
    ROW_NUMBER_ONLY,
    ROW_SECOND_HEADER,
    RowReader,
    SkippedRow,
    mark_duplicates,
    plain_row,
    row_text,
)
from enrollment.services.trainees import (
    eligibility_warnings_for_many,
)
from trainingcenter.bulk import paused_gc
from trainingcenter.models import Organization
from trainingcenter.text import search_key
from trainingcenter.uploads import Sheet


@dataclass(frozen=True)
class ListColumn:
    key: str
    title: str  # the header the template writes, Vietnamese


# The template's columns, in its order (exports write the same ones).
COLUMNS = [
    ListColumn("full_name", "Họ và tên"),
    ListColumn("birth_date", "Ngày sinh"),
    ListColumn("gender", "Giới tính"),
    ListColumn("ethnicity", "Dân tộc"),
    ListColumn("unit", "Đơn vị"),
    ListColumn("position", "Chức vụ"),
    ListColumn("party_status", "Tình trạng đảng viên"),
    ListColumn("admission_date", "Ngày vào Đảng"),
    ListColumn("citizen_id", "Số CCCD"),
    ListColumn("notes", "Ghi chú"),
]
TITLES = {
    **{column.key: column.title for column in COLUMNS},
    "full_membership_date": "Ngày chính thức",
    "male_mark": "Nam",
    "female_mark": "Nữ",
    "given_name": "Tên",
}


@dataclass
class ListRow:
    number: int  # the row number in Excel
    values: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    notes: list[str] = field(default_factory=list)
    match_id: int | None = None
    match_how: str = ""
    unknown_unit: str = ""
    already_enrolled: bool = False
    raw_name: str = ""  # as written, shown when the name itself is wrong
    warnings: list[str] = field(default_factory=list)  # eligibility, as on enrolment
    unit_from_list: bool = False  # the unit is the one chosen for the whole list
    cells: tuple = ()  # the row as read, for the list of skipped rows
    # Registered people who are probably this row's person (same name, and a
    # birth year where one side gives only the year): (pk, label, in the class).
    # The first is taken unless the user chooses another or a new person.
    candidates: list[tuple[int, str, bool]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if self.errors:
            return "error"
        if self.already_enrolled:
            return "enrolled"
        return "match" if self.match_id else "new"

    def error(self, key: str, message: str) -> None:
        self.errors.append((TITLES.get(key, key), message))


@dataclass
class ParsedList:
    header_row: int  # 0 when no header row was found
    columns: dict[int, str]  # column index (0-based) -> key
    headers: dict[int, str]  # column index -> header text as written
    rows: list[ListRow]
    # Recognised columns (index -> field), those not stored (STT) included.
    recognised: dict[int, str] = field(default_factory=dict)
    unread: list[UnreadColumn] = field(default_factory=list)  # columns not read
    skipped: list[SkippedRow] = field(default_factory=list)
    second_header_row: int = 0  # the header's second row, when it has one
    given_name_letter: str = ""  # the column read as the names' last word
    other_sheets: list[str] = field(default_factory=list)  # not read

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def ignored(self) -> int:
        """How many rows under the header were skipped."""
        return self._skipped_rows(below=True)

    @property
    def above_header(self) -> int:
        """How many rows above the header were skipped (the list's heading)."""
        return self._skipped_rows(below=False)

    def _skipped_rows(self, *, below: bool) -> int:
        return sum(
            (skip.last or skip.number) - skip.number + 1
            for skip in self.skipped
            if (skip.number > self.header_row) == below
        )

    @property
    def probable_rows(self) -> list[ListRow]:
        """Rows whose person is probably registered: the user confirms each."""
        return [row for row in self.rows if row.candidates]

    def skip(self, number: int, reason, raw: tuple = ()) -> None:
        """Add a skipped row; a run of blank rows (or of rows holding only a
        row number) makes one entry."""
        last = self.skipped[-1] if self.skipped else None
        if reason is ROW_BLANK or reason is ROW_NUMBER_ONLY:
            if (
                last
                and last.reason is reason
                and (last.last or last.number) == number - 1
            ):
                self.skipped[-1] = SkippedRow(last.number, reason, "", number)
                return
            raw = ()
        self.skipped.append(SkippedRow(number, reason, row_text(raw)))


# The whole list ---------------------------------------------------------------


def parse_batch(
    batch,
    training_class: TrainingClass,
    *,
    sheet: Sheet | None = None,
    warnings: bool = True,
) -> ParsedList:
    """`parse_list` for a stored upload, with the columns chosen for it."""
    sheet = sheet or Sheet.from_json(batch.sheet)
    return parse_list(
        sheet,
        training_class=training_class,
        remembered=batch.mapping,
        sending_unit_id=batch.sending_unit_id,
        warnings=warnings,
    )


@paused_gc()
def parse_list(
    sheet: Sheet,
    *,
    training_class: TrainingClass,
    remembered: dict[str, str] | None = None,
    sending_unit_id: int | None = None,
    warnings: bool = True,
) -> ParsedList:
    """Every trainee row of the sheet, cleaned and matched against the registry.

    Rows that are not trainees (the title block, blank rows, totals, notes,
    the signature block under the list, the template's example) are listed in
    `skipped` with the reason. Rows naming no unit take `sending_unit_id`, the
    unit chosen for the whole list. Each row carries the eligibility warnings
    that enrolling the person by hand would give (unless `warnings` is off:
    the confirm, which shows none); the columns not read are listed with
    sample values. Queries do not grow with the rows.
    """
    header = find_columns(sheet, remembered)
    header_row, columns, headers, second = header
    given = given_name_column(sheet, header)
    if given is not None:
        columns[given], headers[given] = "given_name", TITLES["given_name"]
    if not header_row:
        return ParsedList(0, {}, {}, [], other_sheets=sheet.other_sheets)
    units = _unit_index(training_class)
    parsed = ParsedList(header_row, columns, headers, [], second_header_row=second)
    if given is not None:
        parsed.given_name_letter = get_column_letter(given + 1)
    parsed.other_sheets = sheet.other_sheets
    parsed.recognised = {i: columns.get(i, "sequence") for i in headers}
    for number, raw in enumerate(sheet.rows[: header_row - 1], start=1):
        raw = plain_row(raw)
        parsed.skip(number, ROW_ABOVE_HEADER if raw else ROW_BLANK, raw)
    if second:
        parsed.skip(second, ROW_SECOND_HEADER, plain_row(sheet.rows[second - 1]))
    reader = RowReader(columns, sheet.rows[header_row - 1])
    today = timezone.localdate()
    first = max(header_row, second)
    for number, raw in enumerate(sheet.rows[first:], start=first + 1):
        raw = plain_row(raw)
        cells = {
            key: raw[index] if index < len(raw) else None
            for index, key in columns.items()
        }
        if reason := reader.not_a_trainee(raw, cells):
            parsed.skip(number, reason, raw)
            continue
        row = ListRow(
            number, raw_name=str(cells.get("full_name") or "")[:200], cells=raw
        )
        _clean_row(row, cells, units)
        _check_dates(row, today)
        _check_formulas(row, cells, columns, sheet.formulas)
        parsed.rows.append(row)
    _note_empty_cells(parsed.rows)
    mark_duplicates(parsed)
    match_registry(parsed.rows, training_class)
    for row in parsed.rows:
        _read_party_status(row)
    note_registry_differences(parsed.rows)
    _fill_sending_unit(parsed.rows, sending_unit_id)
    parsed.unread = unread_columns(sheet, parsed)
    if warnings:
        add_eligibility_warnings(parsed.rows, training_class)
    return parsed


def _check_formulas(row: ListRow, cells: dict, columns: dict, formulas: set) -> None:
    """A formula's cached value is used, with a note; without one, an error."""
    for index, key in columns.items():
        if (row.number, index + 1) in formulas:
            if cells[key] in (None, ""):
                row.error(key, _("The cell holds a formula without a value."))
            else:
                row.notes.append(
                    _("Column “%(column)s” holds a formula; its value was used.")
                    % {"column": TITLES[key]}
                )


def _clean_row(row: ListRow, cells: dict, units: dict[str, int]) -> None:
    """Clean every cell of the row into `row.values`; each bad cell is an error."""
    values = row.values
    if cells.get("given_name") not in (None, ""):  # "Họ đệm" | "Tên"
        cells["full_name"] = f"{cells.get('full_name') or ''} {cells['given_name']}"
    try:
        values["full_name"], notes = clean_name(cells.get("full_name"))
        row.notes += notes
    except CellError as error:
        row.error("full_name", str(error))
    for key, year_only in (
        ("birth_date", True),
        ("admission_date", False),
        ("full_membership_date", False),
    ):
        if key in cells:
            try:
                day, only_year = clean_date(cells[key], allow_year_only=year_only)
                values[key] = day
                if key == "birth_date":
                    values["birth_year_only"] = only_year
            except CellError as error:
                row.error(key, str(error))
    _clean_choices(row, cells)
    try:
        values["citizen_id"] = clean_citizen_id(cells.get("citizen_id"))
    except CellError as error:
        row.error("citizen_id", str(error))
    for key, limit in (("ethnicity", 40), ("position", 120), ("notes", 255)):
        try:
            values[key] = clean_text(cells.get(key), limit)
        except CellError as error:
            row.error(key, str(error))
    _clean_unit(row, cells, units)


def _check_dates(row: ListRow, today) -> None:
    """Dates that cannot be right together (born in the future, admitted
    before 18, ...) are errors of their cells, as the trainee form says."""
    values = row.values
    problems = date_problems(
        birth=values.get("birth_date"),
        birth_year_only=values.get("birth_year_only", False),
        admission=values.get("admission_date"),
        full_membership=values.get("full_membership_date"),
        today=today,
    )
    for key, message in problems.items():
        row.error(key, message)


def _note_empty_cells(rows: list[ListRow]) -> None:
    """A birth date or a citizen ID that other rows give and this one leaves
    empty is said, not refused: the summons and the lists print a blank, and
    a namesake is then hard to tell apart. A column the list leaves empty
    throughout is no news about any one row."""
    given = [
        key
        for key in ("birth_date", "citizen_id")
        if any(row.values.get(key) for row in rows)
    ]
    for row in rows:
        empty = [TITLES[key] for key in given if not row.values.get(key)]
        if empty and not row.errors:
            row.notes.append(
                _("Left empty: %(fields)s; the papers print a blank.")
                % {"fields": ", ".join(str(title) for title in empty)}
            )


def _clean_choices(row: ListRow, cells: dict) -> None:
    """Gender and party status, from the words centres write for them."""
    if "gender" not in cells and ("male_mark" in cells or "female_mark" in cells):
        read_gender_marks(row, cells)
    else:
        try:
            row.values["gender"] = clean_choice(cells.get("gender"), GENDERS, "gender")
        except CellError:
            row.error("gender", _("Write “Nam” or “Nữ”."))
    if "party_status" in cells and str(cells["party_status"] or "").strip():
        try:
            row.values["party_status"] = clean_choice(
                cells["party_status"], PARTY_STATUSES, "party_status"
            )
        except CellError:
            row.error(
                "party_status",
                _("Write “Quần chúng”, “Đảng viên dự bị” or “Đảng viên chính thức”."),
            )


def _clean_unit(row: ListRow, cells: dict, units: dict[str, int]) -> None:
    """The sending unit, by code or by name; one not in the catalogue is an error
    that a director may resolve by adding the unit."""
    unit = clean_text(cells.get("unit"), 255)
    if not unit:
        return
    unit_id = units.get(unit.casefold()) or units.get(search_key(unit).replace(" ", ""))
    if unit_id:
        row.values["unit_id"] = unit_id
    else:
        row.unknown_unit = unit
        row.error(
            "unit", _("Unit “%(unit)s” is not in the list of units.") % {"unit": unit}
        )


def _read_party_status(row: ListRow) -> None:
    """Party status from the dates the list gives, as the Party's rules set it.

    A date of admission makes a party member, probationary until a date of
    full membership is given: full membership is a decision of the party
    organisation, not the end of the probation, and a probation often runs
    past its 12 months (for the new-member course, the preview warns when a
    probation ends before the class does). A
    status written in the list stands, except "Quần chúng" beside a date of
    admission, which is an error.
    """
    values = row.values
    written = values.get("party_status")  # only when the cell is filled in
    admitted, full = values.get("admission_date"), values.get("full_membership_date")
    dates = {TITLES["admission_date"], TITLES["full_membership_date"]}
    if any(column in dates for column, _message in row.errors):
        return  # said by `_check_dates`
    if written == Trainee.PartyStatus.NON_MEMBER and (admitted or full):
        row.error(
            "party_status",
            _("Written as “Quần chúng”, but the list gives a date of admission."),
        )
        return
    if written:
        return
    if full:
        values["party_status"] = Trainee.PartyStatus.FULL
    elif admitted:
        values["party_status"] = Trainee.PartyStatus.PROBATIONARY


def _fill_sending_unit(rows: list[ListRow], sending_unit_id: int | None) -> None:
    """Rows that name no unit (and have no unit error) take the list's unit."""
    if not sending_unit_id:
        return
    for row in rows:
        if not row.values.get("unit_id") and not row.unknown_unit:
            row.values["unit_id"] = sending_unit_id
            row.unit_from_list = True


def add_eligibility_warnings(
    rows: list[ListRow], training_class: TrainingClass
) -> None:
    """Per row, the warnings that enrolling the person by hand would give, about
    the person as they would be enrolled: a registered one with the party
    status the list gives, if it gives one. Queries do not grow with the rows."""
    rows = [row for row in rows if not row.errors and not row.already_enrolled]
    people = []
    for row in rows:
        person = {"pk": row.match_id}
        if not row.match_id:
            person.update(
                full_name=row.values.get("full_name", ""),
                birth_date=row.values.get("birth_date"),
            )
        if row.values.get("party_status"):
            person["party_status"] = row.values["party_status"]
            if row.values.get("admission_date"):
                person["admission_date"] = row.values["admission_date"]
        people.append(person)
    for row, warnings in zip(
        rows, eligibility_warnings_for_many(people, training_class), strict=True
    ):
        row.warnings += warnings


def _unit_index(training_class: TrainingClass) -> dict[str, int]:
    """Units by code (case-insensitive) and by name without diacritics or spaces."""
    index = {}
    for pk, code, name_key in Organization.objects.units_of(
        training_class.center
    ).values_list("pk", "code", "name_key"):
        index[name_key.replace(" ", "")] = pk
        index[code.casefold()] = pk
    return index


def read_list(content: bytes) -> Sheet:
    """Check and read an uploaded list within the configured limits.

    The row limit counts data rows: the title block and header rows above them
    (at most ten) come on top.
    """
    from trainingcenter.uploads import check_upload, read_first_sheet

    max_bytes, max_rows = upload_limits()
    check_upload(content, max_bytes=max_bytes)
    with paused_gc():
        return read_first_sheet(
            content, max_rows=max_rows + HEADER_ROWS_SCANNED, reported_limit=max_rows
        )


def upload_limits() -> tuple[int, int]:
    """(maximum bytes, maximum rows) from settings."""
    return (
        getattr(settings, "TRAINEE_IMPORT_MAX_BYTES", 5 * 1024 * 1024),
        getattr(settings, "TRAINEE_IMPORT_MAX_ROWS", 5000),
    )


KIND_LABELS = {
    "new": pgettext_lazy("import", "New person"),
    "match": gettext_lazy("Already registered"),
    "enrolled": gettext_lazy("Already in the class"),
    "error": gettext_lazy("Error"),
}
