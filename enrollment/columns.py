"""Which column of an uploaded trainee list holds what.

Headers are recognised through names compared without diacritics, case,
spaces or punctuation (`header_key`): the built-in names and those in
HeaderSynonym. A mapping chosen in the preview is kept per centre and header
row (ColumnMapping) and applied to the next list with the same headers. Every
column that holds something and is not read is listed, with sample values,
and the preview shows a column for every field read.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import TYPE_CHECKING, NamedTuple

from django.utils.translation import gettext as _

from enrollment.cells import CellError, clean_date
from enrollment.models import ColumnMapping, HeaderSynonym, ListField, Trainee
from enrollment.models.imports import header_key, header_row_key
from trainingcenter.models import Organization
from trainingcenter.text import search_key
from trainingcenter.uploads import Sheet

if TYPE_CHECKING:
    from enrollment.importing import ListRow, ParsedList

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
    "position": ("Chức vụ", "Chức danh", "Chức vụ, đơn vị công tác",
                 "Chức vụ, đơn vị", "Chức vụ, nơi công tác"),
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
# A header of two rows: the second splits a column of the first ("Ngày,
# tháng, năm sinh" over "Nam" | "Nữ", "Họ và tên" over "Họ đệm" | "Tên").
# These names count only in such a second row; "given_name" is read with
# the name ("Họ đệm" + "Tên").
SUB_HEADERS = {
    "Nam": "male_mark",
    "Nữ": "female_mark",
    "Họ đệm": "full_name",
    "Họ và đệm": "full_name",
    "Họ và tên đệm": "full_name",
    "Họ, tên đệm": "full_name",
    "Họ": "full_name",
    "Tên": "given_name",
}
# The fields of the first row that a second row may split (or repeat, when
# a mapping chosen before already reads the first row's column as "Nam").
SPLIT = {"birth_date", "full_name", "gender"}
HEADER_ROWS_SCANNED = 20
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


def read_gender_marks(row: ListRow, cells: dict) -> None:
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


# Column detection -----------------------------------------------------------


class Header(NamedTuple):
    """Where the list's header is and which column holds what."""

    row: int  # 1-based; 0 when no header row was found
    columns: dict[int, str]  # index -> field, for the columns read
    headers: dict[int, str]  # index -> header as written (STT included)
    second_row: int = 0  # the header's second row, when it has one


def find_columns(
    sheet: Sheet,
    remembered: dict[str, str] | None = None,
    known: dict[str, str] | None = None,
) -> Header:
    """The header row among the first twenty, and which column holds what.

    Headers are matched by name in any order through `known_headers`
    (diacritics, case, spacing and punctuation ignored); a mapping remembered or
    chosen for this header row comes first. A second header row that splits a
    column of the first (see SUB_HEADERS) is read with it.
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
    second = (
        _second_row(sheet, number, columns, headers, remembered or {}) if number else 0
    )
    read = {i: k for i, k in columns.items() if k not in NOT_STORED}
    return Header(number, read, headers, second)


def _second_row(
    sheet: Sheet, number: int, columns: dict, headers: dict, remembered: dict
) -> int:
    """Read the row under the header into `columns` and `headers` when it is
    the header's second row; its number, else 0.

    It is when it names at least one of SUB_HEADERS under a column it can
    split (or under a merged cell's empty rest) and nothing in it reads as a
    person: no number, no date, no name under "Họ và tên". A mapping chosen
    for these words wins ("" leaves the column out); a column whose second
    header the app does not know is left out and shown as not imported.
    """
    if number >= len(sheet.rows):
        return 0
    below = sheet.rows[number]
    split = {header_key(text): key for text, key in SUB_HEADERS.items()}
    split.update(remembered or {})
    found, unknown = {}, []
    for index, cell in enumerate(below):
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        if not isinstance(cell, str) or any(ch.isdigit() for ch in cell):
            return 0
        key = split.get(header_key(cell))
        above = columns.get(index)
        if key and (above is None or above in SPLIT or above == key):
            found[index] = (key, " ".join(cell.split()))
        elif above == "full_name" and key is None:
            return 0  # a person's name
        else:
            unknown.append(index)
    if not any(key != "" for key, _text in found.values()):
        return 0
    for index, (key, text) in found.items():
        if key:
            columns[index], headers[index] = key, text
        else:  # chosen: not read
            columns.pop(index, None)
    for index in unknown:
        columns.pop(index, None)
        headers.pop(index, None)
    return number + 1


GENDER_WORDS = {"nam", "nu"}


def given_name_column(sheet: Sheet, header: Header) -> int | None:
    """The column right of the name that holds the given name, when "Họ và
    tên" is written over two columns ("Nguyễn Văn" | "An", so that the list
    sorts by given name): it has no header of its own, and beside most names
    it holds one word. Its index, or None."""
    name = next((i for i, key in header.columns.items() if key == "full_name"), None)
    if name is None:
        return None
    index = name + 1
    above = [sheet.rows[n - 1] for n in (header.row, header.second_row) if n]
    if index in header.headers or any(
        index < len(row) and row[index] not in (None, "") for row in above
    ):
        return None
    names = words = 0
    seen = set()
    first = max(header.row, header.second_row)
    for raw in sheet.rows[first : first + 30]:
        if name >= len(raw) or not isinstance(raw[name], str) or not raw[name].strip():
            continue
        names += 1
        value = raw[index] if index < len(raw) else None
        word = (
            unicodedata.normalize("NFC", value.strip())
            if isinstance(value, str)
            else ""
        )
        if len(word) >= 2 and re.fullmatch(r"[^\W\d_]+", word):
            words += 1
            seen.add(search_key(word))
    if words < 2 or words < 0.8 * names or seen <= GENDER_WORDS | MARKS:
        return None
    if words >= 4 and len(seen) < words / 2:
        return None  # a few words over and over: ethnicity, a status, not names
    return index


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
    without one the fullest of the first twenty rows (0 for an empty sheet)."""
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
    texts = dict(enumerate(sheet.rows[number - 1]))
    if parsed.second_header_row:  # its words name the columns they split
        second = sheet.rows[parsed.second_header_row - 1]
        texts.update((i, cell) for i, cell in enumerate(second) if cell)
    return [
        (index, " ".join(str(cell).split()), parsed.recognised.get(index, ""))
        for index, cell in sorted(texts.items())
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
    """The mapping the centre chose for one of the first twenty rows as a header
    row, the highest such row first. One query."""
    keys = [header_row_key(row) for row in sheet.rows[:HEADER_ROWS_SCANNED]]
    found = {
        mapping.header_row: mapping
        for mapping in ColumnMapping.objects.filter(
            center=center, header_row__in=[key for key in keys if key]
        ).order_by("updated_at")  # the newest wins
    }
    return next((found[key] for key in keys if key in found), None)
