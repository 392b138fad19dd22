"""Trainee lists from Excel: find the columns, clean every row, match the registry.

Nothing here writes; `services.imports.import_trainee_list` does, in one
transaction, after every row is clean, so a list is imported whole or not at
all. Row errors name the Excel row and the column title, in Vietnamese. One
cell is cleaned by enrollment/cells.py.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy, pgettext_lazy

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
from enrollment.models import ColumnMapping, HeaderSynonym, ListField, Trainee
from enrollment.models.imports import header_key, header_row_key
from enrollment.services.trainees import (
    PROBATION_MONTHS,
    completed_classes,
    eligibility_warnings,
)
from trainingcenter.bulk import paused_gc
from trainingcenter.dates import add_months
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
}
# Header names seen in real lists, for each field. The table HeaderSynonym
# holds them too (seeded by a migration, extended in the admin); they stay here
# so that an emptied table still reads the template's own headers.
BUILT_IN_HEADERS = {
    "sequence": ("STT", "TT", "Số TT", "Số thứ tự"),
    "full_name": ("Họ và tên", "Họ tên", "Họ tên học viên", "Họ và tên học viên",
                  "Tên học viên", "Họ và tên đảng viên", "Họ và tên quần chúng"),
    "birth_date": ("Ngày sinh", "Ngày tháng năm sinh", "Năm sinh", "Sinh ngày",
                   "Ngày/tháng/năm sinh"),
    "gender": ("Giới tính", "Nam/Nữ", "Phái", "Giới"),
    "male_mark": ("Nam",),
    "female_mark": ("Nữ",),
    "ethnicity": ("Dân tộc",),
    "unit": ("Đơn vị", "Đơn vị công tác", "Cơ quan, đơn vị", "Nơi công tác",
             "Chi bộ", "Cơ quan", "Đơn vị / Chi bộ", "Chi bộ / Đơn vị",
             "Chi bộ sinh hoạt", "Nơi sinh hoạt Đảng", "Nơi sinh hoạt",
             "Đảng bộ, chi bộ"),
    "position": ("Chức vụ", "Chức danh"),
    "party_status": ("Tình trạng đảng viên", "Đảng viên", "Là đảng viên",
                     "Đối tượng"),
    "admission_date": ("Ngày vào Đảng", "Ngày kết nạp", "Ngày kết nạp Đảng",
                       "Ngày kết nạp vào Đảng", "Ngày vào Đảng dự bị"),
    "full_membership_date": ("Ngày chính thức", "Ngày vào Đảng chính thức",
                             "Ngày chuyển chính thức", "Ngày công nhận chính thức"),
    "citizen_id": ("Số CCCD", "CCCD", "Số căn cước", "Số căn cước công dân",
                   "Căn cước công dân", "Số định danh", "Số định danh cá nhân",
                   "CCCD/CMND", "Số CCCD/CMND", "CMND", "Số CMND"),
    "notes": ("Ghi chú",),
}  # fmt: skip
# Recognised columns that hold nothing to store: the row number.
NOT_STORED = {"sequence"}
HEADER_ROWS_SCANNED = 10
MARKS = {"x", "v", "1", "✓", "✔", "co"}  # a tick in a "Nam" / "Nữ" column


def known_headers() -> dict[str, str]:
    """`header_key` -> field: the built-in names, then HeaderSynonym's (which win).

    One query.
    """
    known = {
        header_key(text): key
        for key, texts in BUILT_IN_HEADERS.items()
        for text in texts
    }
    known.update(HeaderSynonym.objects.values_list("normalised", "field"))
    return known


def _field_of(text: str, known: dict[str, str]) -> str | None:
    """The field a header names, also with a bracketed hint dropped
    ("Ngày sinh (dd/mm/yyyy)"); "" when the mapping leaves it out."""
    for candidate in (text, re.sub(r"\(.*?\)", " ", text)):
        key = header_key(candidate)
        if key and key in known:
            return known[key]
    return None


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
    ignored: int = 0  # blank and totals rows
    # Recognised columns (index -> field), those not stored (STT) included.
    recognised: dict[int, str] = field(default_factory=dict)
    unread: list["UnreadColumn"] = field(default_factory=list)  # columns not read

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)


# Column detection -----------------------------------------------------------


def find_columns(
    sheet: Sheet,
    remembered: dict[str, str] | None = None,
    known: dict[str, str] | None = None,
) -> tuple[int, dict[int, str], dict[int, str]]:
    """The header row among the first ten, and which column holds what.

    Headers are matched by name in any order through `known_headers`
    (diacritics, case, spacing and punctuation ignored); a mapping remembered or
    chosen for this header row comes first. Returns (header row, index -> field
    for the columns read, index -> header as written for every recognised
    column, STT included).
    """
    known = {**(known if known is not None else known_headers()), **(remembered or {})}
    best = (0, {}, {})
    for number, row in enumerate(sheet.rows[:HEADER_ROWS_SCANNED], start=1):
        columns, headers = {}, {}
        for index, cell in enumerate(row):
            if cell is None:
                continue
            text = " ".join(str(cell).split())
            key = _field_of(text, known)
            if key and key not in columns.values():
                columns[index] = key
                headers[index] = text
        if "full_name" in columns.values() and len(columns) > len(best[1]):
            best = (number, columns, headers)
    number, columns, headers = best
    return number, {i: k for i, k in columns.items() if k not in NOT_STORED}, headers


# The whole list ---------------------------------------------------------------


def parse_batch(
    batch, training_class: TrainingClass, *, sheet: Sheet | None = None
) -> ParsedList:
    """`parse_list` for a stored upload, with the columns chosen for it."""
    sheet = sheet or Sheet.from_json(batch.sheet)
    return parse_list(
        sheet,
        training_class=training_class,
        remembered=batch.mapping,
        sending_unit_id=batch.sending_unit_id,
    )


@paused_gc()
def parse_list(
    sheet: Sheet,
    *,
    training_class: TrainingClass,
    remembered: dict[str, str] | None = None,
    sending_unit_id: int | None = None,
) -> ParsedList:
    """Every data row of the sheet, cleaned and matched against the registry.

    Rows naming no unit take `sending_unit_id`, the unit chosen for the whole
    list. Each row carries the eligibility warnings that enrolling the person
    by hand would give; the columns not read are listed with sample values.
    Queries do not grow with the rows.
    """
    header_row, columns, headers = find_columns(sheet, remembered)
    if not header_row:
        return ParsedList(0, {}, {}, [])
    units = _unit_index(training_class)
    parsed = ParsedList(header_row, columns, headers, [])
    parsed.recognised = {i: columns.get(i, "sequence") for i in headers}
    for number, raw in enumerate(sheet.rows[header_row:], start=header_row + 1):
        cells = {
            key: raw[index] if index < len(raw) else None
            for index, key in columns.items()
        }
        if all(
            value in (None, "") or str(value).strip() == "" for value in cells.values()
        ) or _is_totals_row(cells, raw):
            parsed.ignored += 1  # blank and totals rows
            continue
        row = ListRow(number, raw_name=str(cells.get("full_name") or "")[:200])
        _clean_row(row, cells, units)
        _check_formulas(row, cells, columns, sheet.formulas)
        parsed.rows.append(row)
    _mark_duplicates(parsed.rows)
    match_registry(parsed.rows, training_class)
    today = timezone.localdate()
    for row in parsed.rows:
        _read_party_status(row, today)
    _fill_sending_unit(parsed.rows, sending_unit_id)
    parsed.unread = unread_columns(sheet, parsed)
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


def _is_totals_row(cells: dict, raw: tuple) -> bool:
    """A totals row: "Tổng cộng: 45 người", "Cộng" … (or, with no name, anywhere)."""
    name = search_key(str(cells.get("full_name") or ""))
    if name.startswith(("tong cong", "tong so", "cong:", "cong ")) or name in (
        "tong",
        "cong",
    ):
        return True
    return not name and any(
        search_key(str(value or "")).startswith(("tong cong", "tong so", "cong"))
        for value in raw
    )


def _clean_row(row: ListRow, cells: dict, units: dict[str, int]) -> None:
    """Clean every cell of the row into `row.values`; each bad cell is an error."""
    values = row.values
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


def _clean_choices(row: ListRow, cells: dict) -> None:
    """Gender and party status, from the words centres write for them."""
    if "gender" not in cells and ("male_mark" in cells or "female_mark" in cells):
        _read_gender_marks(row, cells)
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


def _read_gender_marks(row: ListRow, cells: dict) -> None:
    """Two columns "Nam" and "Nữ": a tick in one gives the gender; lists that
    write the birth date (or year) under "Nam" or "Nữ" give both."""
    filled = [
        (key, value)
        for key, value in (
            ("male_mark", cells.get("male_mark")),
            ("female_mark", cells.get("female_mark")),
        )
        if value not in (None, "") and str(value).strip()
    ]
    if len(filled) != 1:
        row.error(
            "gender",
            _("Mark exactly one of the columns “Nam” and “Nữ”.")
            if filled
            else _("Write “Nam” or “Nữ”."),
        )
        return
    key, value = filled[0]
    row.values["gender"] = "male" if key == "male_mark" else "female"
    if search_key(str(value)) in MARKS:
        return
    if "birth_date" in cells:
        row.error(key, _("Mark the column with “x”; the date of birth has its own."))
        return
    try:
        day, only_year = clean_date(value, allow_year_only=True)
    except CellError as error:
        row.error(key, str(error))
        return
    row.values["birth_date"], row.values["birth_year_only"] = day, only_year


def _read_party_status(row: ListRow, today: datetime.date) -> None:
    """Party status from the dates the list gives, as the Party's rules set it.

    A date of admission makes a party member: probationary for
    PROBATION_MONTHS after it, full once a date of full membership is given or
    the probation is over. A status written in the list stands, except "Quần
    chúng" beside a date of admission, which is an error.
    """
    values = row.values
    written = values.get("party_status")  # only when the cell is filled in
    admitted, full = values.get("admission_date"), values.get("full_membership_date")
    for key, day in (("admission_date", admitted), ("full_membership_date", full)):
        if day and day > today:
            row.error(key, _("This date is in the future."))
            return
    if admitted and full and full < admitted:
        row.error(
            "full_membership_date",
            _("Full membership comes after admission to the Party."),
        )
        return
    if written == Trainee.PartyStatus.NON_MEMBER and (admitted or full):
        row.error(
            "party_status",
            _("Written as “Quần chúng”, but the list gives a date of admission."),
        )
        return
    if written:
        return
    if full or (admitted and add_months(admitted, PROBATION_MONTHS) <= today):
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


class UnreadColumn(NamedTuple):
    index: int  # 0-based
    header: str  # as written; "" when the column has none
    samples: list[str]  # up to three values from the data rows

    @property
    def letter(self) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.index + 1)


def unread_columns(sheet: Sheet, parsed: ParsedList) -> list[UnreadColumn]:
    """Every column that holds something and is not read, in sheet order."""
    header = sheet.rows[parsed.header_row - 1] if parsed.header_row else ()
    width = max((len(sheet.rows[row.number - 1]) for row in parsed.rows), default=0)
    samples = {
        i: [] for i in range(max(width, len(header))) if i not in parsed.recognised
    }
    wanted = set(samples)
    for row in parsed.rows:
        if not wanted:
            break
        raw = sheet.rows[row.number - 1]
        for index in [i for i in wanted if i < len(raw)]:
            value = raw[index]
            if value is not None and str(value).strip():
                samples[index].append(_sample(value))
                if len(samples[index]) == 3:
                    wanted.discard(index)
    unread = []
    for index, found in samples.items():
        title = header[index] if index < len(header) else None
        title = " ".join(str(title).split()) if title is not None else ""
        if title or found:
            unread.append(UnreadColumn(index, title, found))
    return unread


def _sample(value) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)[:60]


@dataclass
class _Person:
    """What `eligibility_warnings` reads of a trainee, for a row of the list:
    cheaper than a model instance per row, with the status labels translated
    once per list."""

    full_name: str
    birth_date: datetime.date | None
    party_status: str
    admission_date: datetime.date | None
    labels: dict
    pk: int | None = None

    def get_party_status_display(self) -> str:
        return self.labels[self.party_status]


def add_eligibility_warnings(
    rows: list[ListRow], training_class: TrainingClass
) -> None:
    """Per row, the warnings `eligibility_warnings` gives on manual enrolment,
    about the person as they would be enrolled: a registered person with the
    party status the list gives, if it gives one. Two queries whatever the
    number of rows."""
    rows = [row for row in rows if not row.errors and not row.already_enrolled]
    matched = {row.match_id for row in rows if row.match_id}
    fields = ("full_name", "birth_date", "party_status", "admission_date")
    registry = {
        pk: dict(zip(fields, rest, strict=True))
        for pk, *rest in Trainee.objects.filter(pk__in=matched).values_list(
            "pk", *fields
        )
    }
    completed = completed_classes(matched, training_class) if matched else {}
    labels = {value: str(label) for value, label in Trainee.PartyStatus.choices}
    for row in rows:
        values = row.values
        person = _Person(
            **registry.get(row.match_id)
            or {
                "full_name": values.get("full_name", ""),
                "birth_date": values.get("birth_date"),
                "party_status": Trainee.PartyStatus.NON_MEMBER,
                "admission_date": None,
            },
            labels=labels,
            pk=row.match_id,
        )
        if values.get("party_status"):
            person.party_status = values["party_status"]
            person.admission_date = values.get("admission_date") or (
                person.admission_date
            )
        row.warnings = eligibility_warnings(
            person, training_class, completed=completed.get(row.match_id, [])
        )


def _unit_index(training_class: TrainingClass) -> dict[str, int]:
    """Units by code (case-insensitive) and by name without diacritics or spaces."""
    index = {}
    for pk, code, name_key in Organization.objects.units_of(
        training_class.center
    ).values_list("pk", "code", "name_key"):
        index[name_key.replace(" ", "")] = pk
        index[code.casefold()] = pk
    return index


def _mark_duplicates(rows: list[ListRow]) -> None:
    """The same person twice in one file: an error on every copy."""
    seen = defaultdict(list)
    for row in rows:
        name = row.values.get("full_name")
        if row.values.get("citizen_id"):
            seen[("id", row.values["citizen_id"])].append(row)
        if name and row.values.get("birth_date"):
            seen[("name", search_key(name), row.values["birth_date"])].append(row)
    marked = set()
    for copies in seen.values():
        if len(copies) > 1:
            numbers = ", ".join(str(row.number) for row in copies)
            for row in copies:
                if row.number not in marked:
                    marked.add(row.number)
                    row.error(
                        "full_name",
                        _("The same person appears on rows %(rows)s.")
                        % {"rows": numbers},
                    )


def match_registry(rows: list[ListRow], training_class: TrainingClass) -> None:
    """Offer the registry's record for a person already known, so that a list
    never makes a second record of someone already registered.

    Same citizen ID, or same birth date and a name that differs only by
    diacritics placement, spacing or case. A person already in the class
    is left as it is (an exported roster imports back as no change). Three
    queries whatever the number of rows.
    """
    center = training_class.center
    ids = {row.values.get("citizen_id") for row in rows} - {"", None}
    names = {
        search_key(row.values["full_name"])
        for row in rows
        if row.values.get("full_name")
    }
    by_id = dict(
        center.trainees.filter(citizen_id__in=ids).values_list("citizen_id", "pk")
    )
    by_name = {
        (name_key, birth): pk
        for pk, name_key, birth in center.trainees.filter(name_key__in=names)
        .exclude(birth_date=None)
        .values_list("pk", "name_key", "birth_date")
    }
    enrolled = set(training_class.enrollments.values_list("trainee_id", flat=True))
    by_citizen_id, by_name_and_birth = (
        _("same citizen ID"),
        _("same name and date of birth"),
    )
    for row in rows:
        values = row.values
        pk = by_id.get(values.get("citizen_id"))
        how = by_citizen_id
        if pk is None and values.get("full_name") and values.get("birth_date"):
            pk = by_name.get((search_key(values["full_name"]), values["birth_date"]))
            how = by_name_and_birth
        if pk is None:
            continue
        row.match_id, row.match_how = pk, how
        row.already_enrolled = pk in enrolled


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


PREVIEW_FIELDS = [
    "ethnicity",
    "unit",
    "position",
    "party_status",
    "citizen_id",
    "notes",
]
PARTY_FIELDS = {"party_status", "admission_date", "full_membership_date"}


def preview_fields(parsed: ParsedList) -> list[str]:
    """The preview's columns beyond name, birth date and gender: one for every
    field read, so that a field dropped or misread shows."""
    read = set(parsed.columns.values())
    if read & PARTY_FIELDS:
        read.add("party_status")
    if any(row.unit_from_list for row in parsed.rows):
        read.add("unit")
    return [key for key in PREVIEW_FIELDS if key in read]


def preview_cells(rows: list[ListRow], fields: list[str]) -> list[tuple[ListRow, list]]:
    """Each row with the text of its cells for `fields`, as it will be stored.

    One query for the units' names.
    """
    unit_ids = {row.values["unit_id"] for row in rows if row.values.get("unit_id")}
    names = dict(
        Organization.objects.filter(pk__in=unit_ids).values_list("pk", "name")
        if unit_ids and "unit" in fields
        else ()
    )
    statuses = dict(Trainee.PartyStatus.choices)
    shown = []
    for row in rows:
        values, cells = row.values, []
        for key in fields:
            if key == "unit":
                text = names.get(values.get("unit_id")) or row.unknown_unit
                if row.unit_from_list:
                    text = _("%(unit)s (the unit that sent the list)") % {"unit": text}
            elif key == "party_status":
                parts = [str(statuses.get(values.get("party_status"), ""))]
                for day, label in (
                    (values.get("admission_date"), _("admitted %(day)s")),
                    (values.get("full_membership_date"), _("full member %(day)s")),
                ):
                    if day:
                        parts.append(label % {"day": f"{day:%d/%m/%Y}"})
                text = " · ".join(part for part in parts if part)
            else:
                text = values.get(key) or ""
            cells.append(text)
        shown.append((row, cells))
    return shown


def mapping_row(sheet: Sheet, parsed: ParsedList) -> int:
    """The row whose headers the mapping form offers: the header row, or
    without one the fullest of the first ten rows (0 for an empty sheet)."""
    if parsed.header_row:
        return parsed.header_row
    candidates = sheet.rows[:HEADER_ROWS_SCANNED]
    if not candidates:
        return 0
    return 1 + max(
        range(len(candidates)),
        key=lambda i: sum(1 for cell in candidates[i] if cell not in (None, "")),
    )


def header_cells(sheet: Sheet, parsed: ParsedList) -> list[tuple[int, str, str]]:
    """(column index, header as written, field it is read as) for the mapping form."""
    number = mapping_row(sheet, parsed)
    if not number:
        return []
    return [
        (index, " ".join(str(cell).split()), parsed.recognised.get(index, ""))
        for index, cell in enumerate(sheet.rows[number - 1])
        if cell not in (None, "")
    ]


def remap(parsed: ParsedList, choices, sheet: Sheet | None = None) -> dict[str, str]:
    """The mapping the user chose on the preview: `header_key` -> field ("" leaves
    the column out), for every header of the row the form showed."""
    mapping = {}
    for index, header, _current in header_cells(sheet or Sheet(), parsed):
        chosen = choices.get(f"col-{index}", "")
        mapping[header_key(header)] = chosen if chosen in ListField.values else ""
    return mapping


def remembered_mapping(sheet: Sheet, center) -> ColumnMapping | None:
    """The mapping the centre chose for one of the first ten rows as a header
    row, the highest such row first. One query."""
    keys = [header_row_key(row) for row in sheet.rows[:HEADER_ROWS_SCANNED]]
    found = {
        mapping.header_row: mapping
        for mapping in ColumnMapping.objects.filter(
            center=center, header_row__in=[key for key in keys if key]
        ).order_by("updated_at")  # the newest wins
    }
    return next((found[key] for key in keys if key in found), None)
