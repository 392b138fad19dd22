"""Each trainee's first and last class of a year, for the distinct-person counts."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import F, Q, Window
from django.db.models.functions import ExtractYear, RowNumber

from courses.models import TrainingClass
from enrollment.models import (
    ClassSummary,
    Enrollment,
)

# A (centre id, year): the classes a person's first and last class of the
# year are looked for in (ClassSummary.first_in_year, last_in_year).
Group = tuple[int, int]


# First key of the PostgreSQL advisory locks taken per centre while ranking.
RANK_LOCK = 6_000_601


def _classes_of(groups: Iterable[Group]) -> Q:
    """The classes of these groups, one condition per year."""
    centres_by_year = defaultdict(set)
    for center, year in groups:
        centres_by_year[year].add(center)
    condition = Q(pk__in=[])
    for year, centres in centres_by_year.items():
        condition |= Q(
            center_id__in=sorted(centres),
            start_date__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        )
    return condition


def groups_of(class_ids: Iterable[int]) -> set[Group]:
    """The groups these (recounted) classes are in now, and were ranked in."""
    groups = set()
    for center, start, ranked in ClassSummary.objects.filter(
        training_class_id__in=list(class_ids)
    ).values_list("center_id", "start_date", "ranked_year"):
        groups.add((center, start.year))
        if ranked is not None:
            groups.add((center, ranked))
    return groups


def rank(groups: Iterable[Group], *, batch: int = 100) -> None:
    """Recount first_in_year and last_in_year for every class of these groups.

    One window query per batch of groups numbers each person's enrolments of
    the year by start date (then class) from both ends; only changed summary
    rows are written. On PostgreSQL each centre is locked first (an advisory
    lock, taken after the class rows the caller locked), so two transactions
    that enrol in one centre rank one after the other and neither loses the
    other's trainees.
    """
    groups = sorted(set(groups))
    if not groups:
        return
    lock_centres({center for center, _ in groups})
    for start in range(0, len(groups), batch):
        _rank(groups[start : start + batch])


def lock_centres(centres: Iterable[int]) -> None:
    """Take the ranking lock of these centres (PostgreSQL; a no-op on SQLite,
    whose writers run one at a time), in id order. Held to the end of the
    transaction; taking it again in the same transaction does not wait.

    A writer that will rank takes it before it writes any summary row: one
    that ranked while holding it would otherwise wait for a summary row that
    another writer had already updated while that one waited for the lock."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for center in sorted(set(centres)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [RANK_LOCK, center])


def _rank(groups: list[Group]) -> None:
    classes = TrainingClass.objects.filter(_classes_of(groups))
    person = [F("trainee_id"), ExtractYear("training_class__start_date")]
    order = [F("training_class__start_date"), F("training_class_id")]
    numbered = (
        Enrollment.objects.filter(training_class__in=classes)
        .active()
        .annotate(
            first=Window(RowNumber(), partition_by=person, order_by=order),
            last=Window(
                RowNumber(),
                partition_by=person,
                order_by=[expression.desc() for expression in order],
            ),
        )
        .filter(Q(first=1) | Q(last=1))
        .order_by()
        .values_list("training_class_id", "first", "last")
    )
    firsts, lasts = Counter(), Counter()
    for class_id, first, last in numbered.iterator(chunk_size=5000):
        if first == 1:
            firsts[class_id] += 1
        if last == 1:
            lasts[class_id] += 1
    changed = []
    for summary in ClassSummary.objects.filter(_classes_of(groups)).only(
        "start_date", "first_in_year", "last_in_year", "ranked_year"
    ):
        pk = summary.training_class_id
        now = (firsts[pk], lasts[pk], summary.start_date.year)
        if now != (summary.first_in_year, summary.last_in_year, summary.ranked_year):
            summary.first_in_year, summary.last_in_year, summary.ranked_year = now
            changed.append(summary)
    ClassSummary.objects.bulk_update(
        changed, ["first_in_year", "last_in_year", "ranked_year"], batch_size=1000
    )
