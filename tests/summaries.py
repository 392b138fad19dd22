"""Checks that the stored per-class counts equal fresh ones."""

import datetime

from django.db.models import Count

from courses.models import TrainingClass
from enrollment.models import (
    ClassLecturerSummary,
    ClassSummary,
    ClassUnitSummary,
    Enrollment,
)
from enrollment.services import summaries as summaries_service
from reports import counting

D = datetime.date


def stored_equals_fresh(class_ids) -> None:
    stored = {s.training_class_id: s for s in ClassSummary.objects.all()}
    for fresh in summaries_service.compute(class_ids):
        for name in summaries_service.COUNTED_FIELDS:
            assert getattr(fresh, name) == getattr(
                stored[fresh.training_class_id], name
            ), name
    units = ClassUnitSummary.objects.filter(training_class__in=class_ids)
    assert sorted(
        units.values_list(
            "training_class_id",
            "unit_id",
            "center_id",
            "start_date",
            "enrolled",
            "passed",
            "certified",
        ),
        key=str,
    ) == sorted(
        (
            (
                u.training_class_id,
                u.unit_id,
                u.center_id,
                u.start_date,
                u.enrolled,
                u.passed,
                u.certified,
            )
            for u in summaries_service.compute_units(class_ids)
        ),
        key=str,
    )
    fields = ["training_class_id", "lecturer_id", "center_id", "start_date"]
    fields += ["sessions", "periods"]
    lecturers = ClassLecturerSummary.objects.filter(training_class__in=class_ids)
    assert sorted(lecturers.values_list(*fields)) == sorted(
        tuple(getattr(row, name) for name in fields)
        for row in summaries_service.compute_lecturers(class_ids)
    )


def distinct_persons(center, start, end) -> int:
    """The definition: distinct trainees among the active enrolments."""
    return (
        Enrollment.objects.filter(
            training_class__center=center,
            training_class__start_date__range=(start, end),
        )
        .active()
        .aggregate(n=Count("trainee", distinct=True))["n"]
    )


def assert_persons_add_up(center, years, *, every_date=True) -> None:
    """Periods from 1 January, or to 31 December, of these years, counted from
    the summaries, equal the distinct count of their enrolments: the whole
    years, the halves, and (`every_date`) those ending or starting at each
    class's date."""
    classes = TrainingClass.objects.filter(center=center)
    dates = sorted(set(classes.values_list("start_date", flat=True)))
    for year in years:
        periods = [
            counting.Period(D(year, 1, 1), D(year, 12, 31)),
            counting.Period(D(year, 1, 1), D(year, 6, 30)),
            counting.Period(D(year, 7, 1), D(year, 12, 31)),
        ]
        for day in dates if every_date else ():
            if day.year == year:
                periods.append(counting.Period(D(year, 1, 1), day))
                periods.append(counting.Period(day, D(year, 12, 31)))
                if day > D(year, 1, 1):
                    before = day - datetime.timedelta(days=1)
                    periods.append(counting.Period(D(year, 1, 1), before))
        for period in periods:
            assert counting.persons(classes, period) == distinct_persons(
                center, period.start, period.end
            ), period
