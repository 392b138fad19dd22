"""How classes and trainees are counted: the one place (DESIGN.md, STYLE.md S06).

A class counts in the period in which it opens. "Lượt học viên" counts
enrolments that were not withdrawn, not persons (DOMAIN.md section 0, item 4);
a class from before the system, with no roster, counts its declared numbers.
Everything is computed in the database.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from courses.models import TrainingClass
from enrollment.models import Enrollment


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


@dataclass(frozen=True)
class Totals:
    classes: int
    enrollments: int
    persons: int


def totals(classes: QuerySet[TrainingClass], period: Period) -> Totals:
    """Classes opened in `period`, their enrolments ("lượt") and distinct persons.

    Three queries whatever the number of classes.
    """
    opened = classes.opened_between(period.start, period.end)
    counted = Enrollment.objects.filter(training_class__in=opened).active()
    with_roster = counted.aggregate(
        enrollments=Count("pk"), persons=Count("trainee", distinct=True)
    )
    declared = opened.filter(enrollments__isnull=True).aggregate(
        classes=Count("pk", distinct=True),
        enrolled=Coalesce(Sum("declared_enrolled"), 0),
    )
    return Totals(
        classes=opened.count(),
        enrollments=with_roster["enrollments"] + declared["enrolled"],
        persons=with_roster["persons"],
    )


def classes_by_status(
    classes: QuerySet[TrainingClass], period: Period
) -> dict[str, int]:
    """How many of the period's classes are planned, open, in progress or closed."""
    rows = (
        classes.opened_between(period.start, period.end)
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = {status: 0 for status in TrainingClass.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def open_outcomes(classes: QuerySet[TrainingClass], today: datetime.date) -> int:
    """Enrolments of classes that ended before `today` and still have no result."""
    return Enrollment.objects.filter(
        Q(training_class__in=classes)
        & Q(status=Enrollment.Status.ENROLLED)
        & Q(training_class__end_date__lt=today)
    ).count()
