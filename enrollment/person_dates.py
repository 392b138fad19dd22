"""What a person's dates must agree with, wherever they are entered: the
trainee form and an imported list give the same messages.

A birth date or an admission in the future is a typing error; the Party
admits no one under 18 (a year of birth alone is read the lenient way); full
membership follows admission.
"""

import datetime

from django.utils.translation import gettext as _

ADMISSION_AGE = 18


def date_problems(
    *,
    birth: datetime.date | None,
    birth_year_only: bool,
    admission: datetime.date | None,
    full_membership: datetime.date | None,
    today: datetime.date,
) -> dict[str, str]:
    """{field: message} for each date that cannot be right; empty if none."""
    problems = {}
    for field, day in (
        ("birth_date", birth),
        ("admission_date", admission),
        ("full_membership_date", full_membership),
    ):
        if day and day > today:
            problems[field] = _("This date is in the future.")
    if birth and admission and not problems.keys() & {"birth_date", "admission_date"}:
        if _too_young(birth, birth_year_only, admission):
            problems["admission_date"] = _(
                "The date of admission is before the person turned 18."
            )
    if (
        admission
        and full_membership
        and full_membership <= admission
        and "full_membership_date" not in problems
    ):
        problems["full_membership_date"] = _(
            "Full membership comes after admission to the Party."
        )
    return problems


def _too_young(birth: datetime.date, year_only: bool, day: datetime.date) -> bool:
    if year_only:  # born some day of that year: surely too young only a year short
        return day.year - birth.year < ADMISSION_AGE
    try:
        of_age = birth.replace(year=birth.year + ADMISSION_AGE)
    except ValueError:  # born on 29 February
        of_age = datetime.date(birth.year + ADMISSION_AGE, 3, 1)
    return day < of_age
