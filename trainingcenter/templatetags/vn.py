"""Vietnamese presentation filters: numbers, percentages, document dates and
header lines.

Nothing else formats a number or a document date by hand.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template

from trainingcenter import text

register = template.Library()


def _group(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ".".join(groups)


@register.filter
def unbroken_name(line) -> str:
    """A document header's line that wraps before the body's own name."""
    return text.unbroken_name(str(line or ""))


@register.filter
def vn_number(value) -> str:
    """168151 -> "168.151"; 2.5 -> "2,5"."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    text = _group(whole)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


@register.filter
def vn_score(value) -> str:
    """A score on the 10-point scale with its one decimal, as results are
    written: 9 -> "9,0", 7.5 -> "7,5"; the class page, the person's file and
    the papers alike."""
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)):.1f}".replace(".", ",")


@register.filter
def vn_percent(value) -> str:
    """A share as a percentage with one decimal, rounded half up: 0.9615 -> "96,2%".

    Pass a fraction (0..1); None (no denominator) gives "–".
    """
    if value is None or value == "":
        return "–"
    percent = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    sign = "-" if percent < 0 else ""
    whole, _, fraction = f"{abs(percent):f}".partition(".")
    return f"{sign}{_group(whole)},{fraction}%"


@register.filter
def vn_document_date(value: datetime.date) -> str:
    """The date line of a party document: "ngày 08 tháng 11 năm 2019".

    Days below 10 and the months 1 and 2 are written with two digits, as
    party documents do: "ngày 03 tháng 4 năm 2018", "ngày 20 tháng 02 năm 2018".
    """
    if not value:
        return ""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


@register.filter
def staff_name(user) -> str:
    """A user as the centre knows them, in the Vietnamese order: family name
    (last_name) then given name (first_name), "Nguyễn Thị Hòa"; the username
    when neither is filled in; "–" for nobody."""
    if user is None:
        return "–"
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


@register.filter
def minutes(value: datetime.timedelta) -> int:
    """A duration in whole minutes, rounded up."""
    if not value:
        return 0
    return int(-(-value.total_seconds() // 60))


@register.filter
def get_item(mapping: dict, key):
    """mapping[key] in a template (for dictionaries built by the view)."""
    return mapping.get(key, "") if mapping else ""


@register.filter
def grade_share(figures, name: str):
    """The share of one grade among those graded, for `vn_percent`."""
    return figures.grade_share(name)
