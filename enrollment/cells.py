"""Cleaning one cell of an uploaded list into a plain value, or a CellError.

Names, dates, choices, citizen IDs and free text, as centres type them in
Excel. Invisible characters, odd spaces and the apostrophe Excel uses to mark
text are taken off every cell first (`plain_text`). Nothing here knows the
list's columns or the registry: the trainee list (enrollment/importing.py)
and the historic classes import (enrollment/services/historic_classes.py)
both read their cells with these.
"""

import datetime
import re
import unicodedata

from django.utils.translation import gettext as _

from trainingcenter.text import plain_text, search_key
from trainingcenter.xlsx import RISKY_PREFIXES

GENDERS = {"nam": "male", "male": "male", "nu": "female", "female": "female"}
PARTY_STATUSES = {
    "": "non_member",
    "quan chung": "non_member",
    "khong": "non_member",
    "doan vien": "non_member",
    "du bi": "probationary",
    "dang vien du bi": "probationary",
    "chinh thuc": "full",
    "dang vien chinh thuc": "full",
    "dang vien": "full",
}
# Letters a Vietnamese name may hold (plus space, apostrophe, hyphen, dot):
# anything else, such as a Cyrillic "а" that looks Latin, is flagged.
NAME_LETTERS = set(
    "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
    "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
NAME_MARKS = set(" '-.’")
NAME_ALLOWED = frozenset(NAME_LETTERS | NAME_MARKS)
# As long as the registry keeps a name.
NAME_LIMIT = 120
DATE_PATTERN = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})")
ISO_PATTERN = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# Typed before a value to keep Excel from reading it as a number or a date.
TEXT_MARKS = "'’‘`"


class CellError(ValueError):
    """A cell that cannot be read; the message is Vietnamese."""


def clean_name(raw) -> tuple[str, list[str]]:
    """NFC, single spaces, proper case when typed all in capitals or small letters.

    Zero-width characters, soft hyphens and odd spaces are gone before the name
    is checked; a leading apostrophe is removed with a note.
    """
    notes = []
    text = unicodedata.normalize("NFC", plain_text("" if raw is None else str(raw)))
    text = " ".join(text.split())
    if text[:1] in TEXT_MARKS:
        text = text.lstrip(TEXT_MARKS + " ")
        notes.append(_("The apostrophe before the name was removed."))
    if not text:
        raise CellError(_("The name is empty."))
    if text.startswith(RISKY_PREFIXES):
        raise CellError(_("A name cannot start with = + - or @."))
    if len(text) > NAME_LIMIT:
        raise CellError(_("Longer than %(limit)s characters.") % {"limit": NAME_LIMIT})
    strange = sorted(set(text.lower()) - NAME_ALLOWED)
    if strange:
        raise CellError(
            _("The name has unusual characters (%(chars)s); retype it.")
            % {"chars": " ".join(_visible(ch) for ch in strange)}
        )
    if text.isupper() or text.islower():
        text = " ".join(word[:1].upper() + word[1:].lower() for word in text.split(" "))
        notes.append(_("Name rewritten as “%(name)s”.") % {"name": text})
    if len(text.split()) < 2:
        raise CellError(_("Write the full name: family name and given name."))
    return text, notes


def _visible(ch: str) -> str:
    """A character as an error message can show it: a mark, a control or a
    space that shows nothing is named by its code (U+0301)."""
    if unicodedata.category(ch)[0] in "CMZ":
        return f"U+{ord(ch):04X}"
    return ch


def clean_date(
    raw, *, allow_year_only: bool = False
) -> tuple[datetime.date | None, bool]:
    """A date from an Excel date, "dd/mm/yyyy", "d/m/yy" or (if allowed) a year alone.

    Returns (date, year_only).
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, False
    if isinstance(raw, datetime.datetime):
        return raw.date(), False
    if isinstance(raw, datetime.date):
        return raw, False
    if isinstance(raw, int | float):
        number = int(raw)
        if raw == number and 1900 <= number <= 2100 and allow_year_only:
            return datetime.date(number, 1, 1), True
        if 1 <= raw < 80000:  # an Excel serial day number kept as a plain number
            from openpyxl.utils.datetime import from_excel

            return from_excel(raw).date(), False
        raise CellError(_("“%(value)s” is not a date.") % {"value": raw})
    text = plain_text(str(raw)).strip().lstrip(TEXT_MARKS).strip()
    if not text:
        return None, False
    try:
        if match := DATE_PATTERN.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
            if year < 100:
                this_year = datetime.date.today().year % 100
                year += 2000 if year <= this_year else 1900
            return datetime.date(year, month, day), False
        if match := ISO_PATTERN.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
            return datetime.date(year, month, day), False
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a real date.") % {"value": text}
        ) from None
    if allow_year_only and re.fullmatch(r"(19|20)\d\d", text):
        return datetime.date(int(text), 1, 1), True
    raise CellError(
        _("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": text}
    )


def clean_choice(raw, choices: dict[str, str], key: str) -> str:
    value = search_key("" if raw is None else str(raw)).lstrip(TEXT_MARKS + " ")
    if value in choices:
        return choices[value]
    raise CellError(_("“%(value)s” is not one of the allowed values.") % {"value": raw})


def clean_citizen_id(raw) -> str:
    if raw is None or str(raw).strip() == "":
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = re.sub(r"[\s.]", "", plain_text(str(raw))).lstrip(TEXT_MARKS)
    if text.isdigit() and len(text) == 11 and isinstance(raw, int):
        text = "0" + text  # Excel dropped the leading zero of a number cell
    if not re.fullmatch(r"\d{12}", text):
        raise CellError(_("A citizen ID has 12 digits."))
    return text


def clean_text(raw, limit: int) -> str:
    if raw is None:
        return ""
    text = " ".join(unicodedata.normalize("NFC", plain_text(str(raw))).split())
    text = text.lstrip(TEXT_MARKS).lstrip()
    if len(text) > limit:
        raise CellError(_("Longer than %(limit)s characters.") % {"limit": limit})
    return text
