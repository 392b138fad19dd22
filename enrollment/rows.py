"""The rows of a trainee list: which are trainees.

Under the header, a row is a trainee's unless it is blank, a totals line, a
note, part of the signature block, the header's second row, the numbers of
the columns or the template's example; each row left out is kept with its
reason, for the preview. Among the trainees, one person written twice is kept
once (or, when the copies disagree, is an error); enrollment/matching.py
finds who they are. Nothing here writes; enrollment/importing.py reads the
list with these.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _, gettext_lazy

from enrollment.cells import CellError, clean_date
from trainingcenter.text import identity_key, plain_text, search_key

if TYPE_CHECKING:  # the list's types; importing.py imports this module
    from enrollment.importing import ListRow, ParsedList


@dataclass(frozen=True)
class SkippedRow:
    """A row (or a run of blank rows) that is not a trainee, and why."""

    number: int
    reason: str
    text: str = ""
    last: int = 0  # the last row of a run of blank rows, else 0


# Rows that are not trainees -------------------------------------------------

ROW_ABOVE_HEADER = gettext_lazy("Above the header row (title of the list).")
ROW_BLANK = gettext_lazy("Blank row.")
ROW_NUMBER_ONLY = gettext_lazy("Only a row number, no name.")
ROW_EXAMPLE = gettext_lazy("The example row of the template.")
ROW_TOTALS = gettext_lazy("Totals row.")
ROW_NOTE = gettext_lazy("Note under the list.")
ROW_SIGNATURE = gettext_lazy("Signature block under the list.")
ROW_PLACE_DATE = gettext_lazy("Place and date of signing.")
ROW_SIGNER = gettext_lazy("Name of the signer, under the signature block.")
ROW_HEADING = gettext_lazy("A heading inside the list, not a person.")
ROW_NO_NAME = gettext_lazy("No name, no row number, no date of birth.")
ROW_SECOND_HEADER = gettext_lazy("Second row of the header.")
ROW_COLUMN_NUMBERS = gettext_lazy("Column numbers under the header: (1), (2), …")

# Search keys (no diacritics, lower case) of cells that are not a person.
TOTALS = re.compile(
    r"(tong cong|tong so|cong lai)\b.*"
    r"|(tong|cong)(\s*[:.=\-(].*|\s+\d.*|\s+(danh sach|toan bo|tat ca)\b.*)?"
    r"|(tong|cong)\s+(co|gom)\s+\d.*"
    r"|danh sach (nay )?(co|gom)\b.*"
)
TOTALS_IN_NAME = re.compile(r"(tong cong|tong so)\b.*|(tong|cong)(\s*[:.=].*)?")
NOTES = re.compile(r"ghi chu\b.*|(luu y|chu y|nb)\s*[:.\-].*|\(?\*+\)?\s.*")
SIGNATURE = re.compile(
    r"(t/m|tm|t\.m|kt|tl|tuq|q|thay mat|ky thay)[.:]?\s.*"
    r"|xac nhan\b.*|nguoi lap\b.*|nguoi ke khai\b.*"
    r"|(pho )?bi thu( chi bo| dang uy| chi uy)?|(pho )?chu tich|(pho )?giam doc"
    r"|thu truong( co quan| don vi)?|truong ban|can bo phu trach"
    r"|\((da )?ky\b.*|da ky\b.*|ky,.*|ky ten\b.*|ky va\b.*"
)
PLACE_DATE = re.compile(r".*\bngay\b.*\bthang\b.*\bnam\b.*|.*,\s*ngay\s+\d.*")
HEADING = re.compile(
    r"[ivxl]+\s*[.)]\s.*|[a-z]\s*[.)]\s.*"
    r"|(chi bo|dang bo|dang uy|to dan pho|thon|khoi|cum|don vi)\b.*"
)
NUMBER = re.compile(r"\d{1,5}\s*\.?")
COLUMN_NUMBER = re.compile(r"\(?\s*(\d{1,2})\s*\)?")
STT_HEADERS = {"stt", "tt", "so tt", "so thu tu", "thu tu", "s.t.t", "s tt"}
EXAMPLES = {"vi du", "dong vi du", "(vi du)"}  # the old template's example row


class RowReader:
    """Tells the rows under the header that are not trainees, in order.

    A row with a row number (STT), a date of birth or a citizen ID is a
    person's; a row with none of them and no name is not. Otherwise a totals
    line, a note, a signature role ("T/M CHI ỦY", "NGƯỜI LẬP DANH SÁCH", "KT.
    BÍ THƯ", "XÁC NHẬN CỦA …") or a place-and-date line ends the list: below
    it, a row without any of the three is part of the signature block, such as
    the signer's name.
    """

    def __init__(self, columns: dict[int, str], header: tuple):
        self.name_index = next(i for i, key in columns.items() if key == "full_name")
        self.number_index = next(
            (
                index
                for index, cell in enumerate(header)
                if isinstance(cell, str)
                and search_key(cell).strip(" .:") in STT_HEADERS
            ),
            None,
        )
        self.ended = False

    def not_a_trainee(self, raw: tuple, cells: dict) -> str:
        """Why the row is not a trainee, or "" for a trainee's row."""
        filled = [i for i, value in enumerate(raw) if value not in (None, "")]
        if not filled:
            return ROW_BLANK
        if filled == [self.number_index] and self._numbered(raw):
            return ROW_NUMBER_ONLY
        if _column_numbers(raw, filled):
            return ROW_COLUMN_NUMBERS
        last = raw[-1]  # the notes column of the old template
        if isinstance(last, str) and len(last) < 12 and search_key(last) in EXAMPLES:
            return ROW_EXAMPLE
        name = raw[self.name_index] if self.name_index < len(raw) else None
        name = search_key(name) if isinstance(name, str) else ""
        if name and TOTALS_IN_NAME.fullmatch(name):
            self.ended = True
            return ROW_TOTALS
        if self._has_person_data(raw, cells):
            return ""
        texts = {i: search_key(raw[i]) for i in filled if isinstance(raw[i], str)}
        reason = self._footer(texts if not name else {self.name_index: name})
        if reason:
            self.ended = True
            return reason
        if self.ended:
            return ROW_SIGNER if filled == [self.name_index] else ROW_SIGNATURE
        if len(texts) == 1 == len(filled):
            (text,) = texts.values()
            if HEADING.fullmatch(text) or text.endswith(":"):
                return ROW_HEADING
        if not name:
            return ROW_NO_NAME
        return ""

    def _has_person_data(self, raw: tuple, cells: dict) -> bool:
        """A row number, a date of birth or a citizen ID."""
        if self._numbered(raw):
            return True
        birth = cells.get("birth_date")
        if birth not in (None, ""):
            try:
                if clean_date(birth, allow_year_only=True)[0]:
                    return True
            except CellError:
                pass
        citizen_id = cells.get("citizen_id")
        return (
            citizen_id not in (None, "")
            and sum(ch.isdigit() for ch in str(citizen_id)) >= 9
        )

    def _numbered(self, raw: tuple) -> bool:
        """The row number column (STT) holds a number."""
        if self.number_index is None or self.number_index >= len(raw):
            return False
        number = raw[self.number_index]
        if isinstance(number, str):
            return bool(NUMBER.fullmatch(number))
        return isinstance(number, int | float) and not isinstance(number, bool)

    @staticmethod
    def _footer(texts: dict[int, str]) -> str:
        """The reason a row of totals, notes or signatures is skipped, or ""."""
        for text in texts.values():
            text = text.strip(" :")
            if TOTALS.fullmatch(text):
                return ROW_TOTALS
            if PLACE_DATE.fullmatch(text):
                return ROW_PLACE_DATE
            if NOTES.fullmatch(text):
                return ROW_NOTE
            if SIGNATURE.fullmatch(text):
                return ROW_SIGNATURE
        return ""


def _column_numbers(raw: tuple, filled: list[int]) -> bool:
    """The row under a header that numbers its columns: "(1)", "(2)", … (or
    1, 2, …) in every filled cell, counting up from column to column, perhaps
    after letters "A", "B", … as statistical forms write them."""
    if len(filled) < 3:
        return False
    letters, numbers = [], []
    for index in filled:
        value = raw[index]
        if isinstance(value, bool):
            return False
        if isinstance(value, int | float) and float(value).is_integer():
            numbers.append(int(value))
            continue
        text = str(value).strip()
        if not numbers and re.fullmatch(r"\(?[A-Z]\)?", text):
            letters.append(ord(text.strip("()")))
            continue
        match = COLUMN_NUMBER.fullmatch(text)
        if not match:
            return False
        numbers.append(int(match.group(1)))
    counting = [*letters, *numbers]
    return (
        len(numbers) >= 2
        and all(b == a + 1 for a, b in zip(letters, letters[1:], strict=False))
        and all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))
        and len(counting) >= 3
    )


def plain_row(raw: tuple) -> tuple:
    """The row with invisible characters and odd spaces taken out of its text,
    before anything reads it; trailing empty cells dropped."""
    row = [
        plain_text(value).strip() if value.__class__ is str else value for value in raw
    ]
    while row and row[-1] in (None, ""):
        row.pop()
    return tuple(row)


def row_text(raw: tuple) -> str:
    """The row's cells as one line, for the list of skipped rows."""
    parts = []
    for value in raw:
        if value in (None, ""):
            continue
        if isinstance(value, datetime.datetime | datetime.date):
            value = f"{value:%d/%m/%Y}"
        parts.append(" ".join(str(value).split()))
    return " · ".join(parts)[:300]


# One person twice, and people already registered --------------------------------

# The cells two copies of one person must agree on (when both give them).
AGREEING = ("birth_date", "gender", "ethnicity", "unit_id", "position",
            "party_status", "admission_date", "citizen_id")  # fmt: skip


def mark_duplicates(parsed: "ParsedList") -> None:
    """One person written twice in one file.

    Rows are taken for one person when they give the same citizen ID, or the
    same name (without diacritics) and the same date of birth. Written alike
    but for encoding (NFC, NFD), tone placement ("Hòa", "Hoà"), capitals or
    spacing, and agreeing on every other cell, they are one person: the later
    copies are skipped, and the first row says so. Otherwise every copy is an
    error: one citizen ID under different names (on "Số CCCD"), names that
    differ in their letters, or cells that disagree.
    """
    repeated = []
    for copies in _same_person_groups(parsed.rows):
        numbers = ", ".join(str(row.number) for row in copies)
        names = {identity_key(row.values.get("full_name", "")) for row in copies}
        shared_id = _shared_citizen_id(copies)
        if len(names) > 1 and shared_id:
            listed = "; ".join(
                f"{row.number}: {row.values.get('full_name') or row.raw_name}"
                for row in copies
            )
            for row in copies:
                row.error(
                    "citizen_id",
                    _("Citizen ID %(id)s is given to different names: rows %(rows)s.")
                    % {"id": shared_id, "rows": listed},
                )
        elif len(names) > 1 or any(row.errors for row in copies):
            for row in copies:
                row.error(
                    "full_name",
                    _("The same person appears on rows %(rows)s.") % {"rows": numbers},
                )
        elif disagreeing := _disagreeing(copies):
            for row in copies:
                for key in disagreeing:
                    row.error(
                        key,
                        _("Rows %(rows)s are one person with different values here.")
                        % {"rows": numbers},
                    )
        else:
            repeated += _keep_first(parsed, copies)
    if repeated:
        dropped = {id(row) for row in repeated}
        parsed.rows = [row for row in parsed.rows if id(row) not in dropped]
        parsed.skipped.sort(key=lambda skip: skip.number)


def _same_person_groups(rows: list["ListRow"]) -> list[list["ListRow"]]:
    """Rows linked by one citizen ID or by one name and date of birth, in
    groups of two or more, in row order."""
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with, linked = {}, set()
    for i, row in enumerate(rows):
        values = row.values
        keys = []
        if values.get("citizen_id"):
            keys.append(("id", values["citizen_id"]))
        if values.get("full_name") and values.get("birth_date"):
            keys.append(
                (
                    "name",
                    search_key(values["full_name"]),
                    values["birth_date"],
                    values.get("birth_year_only", False),
                )
            )
        for key in keys:
            j = first_with.setdefault(key, i)
            if j != i:
                parent[root(i)] = root(j)
                linked.update((i, j))
    groups = defaultdict(list)
    for i in sorted(linked):
        groups[root(i)].append(rows[i])
    return list(groups.values())


def _shared_citizen_id(copies: list["ListRow"]) -> str:
    ids = [
        row.values.get("citizen_id") for row in copies if row.values.get("citizen_id")
    ]
    return next((cid for cid in ids if ids.count(cid) > 1), "")


def _disagreeing(copies: list["ListRow"]) -> list[str]:
    """The columns in which the copies give different values."""
    return [
        key
        for key in AGREEING
        if len({row.values.get(key) for row in copies} - {None, ""}) > 1
    ]


def _keep_first(parsed: "ParsedList", copies: list["ListRow"]) -> list["ListRow"]:
    """Keep the first copy, completed from the others; skip the others."""
    first, others = copies[0], copies[1:]
    for row in others:
        for key, value in row.values.items():
            if value not in (None, "") and first.values.get(key) in (None, ""):
                first.values[key] = value
        parsed.skipped.append(
            SkippedRow(
                row.number,
                _("The same person as row %(row)s (“%(name)s”).")
                % {"row": first.number, "name": first.values["full_name"]},
                row_text(row.cells),
            )
        )
    first.notes.append(
        _("The same person is also on rows %(rows)s (%(names)s): enrolled once.")
        % {
            "rows": ", ".join(str(row.number) for row in others),
            "names": ", ".join(f"“{row.values['full_name']}”" for row in others),
        }
    )
    return others
