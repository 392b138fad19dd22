"""Biểu 3, learner feedback: forms received of those given out and, per
criterion, how many were very satisfied, satisfied and not satisfied.

The figures are sums of each survey's tallies (enrollment.services.feedback keeps them
on every form), never of the answers themselves; nothing here can say who
answered what. One centre gets a row per class and a table per lecturer;
several centres get a row per centre.
"""

from dataclasses import dataclass, field

from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from enrollment.models import FeedbackTally, Survey
from enrollment.services.feedback import ResultRow, tally_shares
from trainingcenter.text import collation_key

from .counting import Period, of_centers

SUMS = {
    name: Coalesce(Sum(name), 0)
    for name in ("very_satisfied", "satisfied", "not_satisfied")
}


@dataclass
class FeedbackTable:
    by_center: bool
    rows: list[ResultRow] = field(default_factory=list)
    total: ResultRow = field(default_factory=lambda: ResultRow(""))
    lecturers: list[ResultRow] = field(default_factory=list)


def build(centers: QuerySet, period: Period, *, by_center: bool) -> FeedbackTable:
    """Biểu 3 over the surveys of the classes of `centers` opened in `period`."""
    surveys = Survey.objects.filter(
        of_centers(centers, "training_class__center"),
        training_class__start_date__range=(period.start, period.end),
    )
    tallies = FeedbackTally.objects.filter(survey__in=surveys).order_by()
    table = FeedbackTable(by_center, total=ResultRow(_("Total")))
    if by_center:
        results, tally_key = _center_rows(surveys), "survey__training_class__center"
    else:
        results, tally_key = _class_rows(surveys), "survey"
    for row in tallies.values(tally_key, "criterion").annotate(**SUMS):
        shares = tally_shares(row)
        results[row[tally_key]].add(row["criterion"], shares)
        table.total.add(row["criterion"], shares)
    table.rows = list(results.values())
    if by_center:
        table.rows.sort(key=lambda r: collation_key(r.label))
    table.total.given = sum(r.given for r in table.rows)
    table.total.received = sum(r.received for r in table.rows)
    if not by_center:
        table.lecturers = _lecturer_rows(tallies)
    return table


def _given():
    """A survey's forms given out: as the staff entered it, or one per trainee."""
    return Coalesce(F("forms_given"), F("training_class__summary__enrolled"), 0)


def _center_rows(surveys: QuerySet) -> dict[int, ResultRow]:
    """Centre id -> its row: the forms given out and received."""
    return {
        row["training_class__center"]: ResultRow(
            row["training_class__center__name"],
            row["n_given"] or 0,
            row["n_received"] or 0,
        )
        for row in surveys.order_by()
        .values("training_class__center", "training_class__center__name")
        .annotate(n_given=Sum(_given()), n_received=Sum("received"))
    }


def _class_rows(surveys: QuerySet) -> dict[int, ResultRow]:
    """Survey id -> its class's row, by start date: the forms given out and
    received."""
    heads = surveys.order_by("training_class__start_date", "training_class__pk").values(
        "pk",
        "training_class__class_type__name",
        "training_class__intake_label",
        "training_class__start_date",
        n_given=_given(),
        n_received=F("received"),
    )
    return {
        row["pk"]: ResultRow(
            " ".join(
                part
                for part in (
                    row["training_class__class_type__name"],
                    row["training_class__intake_label"],
                    f"({row['training_class__start_date']:%d/%m/%Y})",
                )
                if part
            ),
            row["n_given"] or 0,
            row["n_received"] or 0,
        )
        for row in heads
    }


def _lecturer_rows(tallies: QuerySet) -> list[ResultRow]:
    """A row per lecturer rated on the forms, by name."""
    lecturers: dict[int, ResultRow] = {}
    for row in (
        tallies.filter(lecturer__isnull=False)
        .values("lecturer", "lecturer__full_name", "lecturer__sort_key", "criterion")
        .annotate(**SUMS, forms=Coalesce(Sum("responses"), 0))
        .order_by("lecturer__sort_key", "lecturer")
    ):
        # Each of a lecturer's four rows holds the forms that rated them.
        lecturer = lecturers.setdefault(
            row["lecturer"],
            ResultRow(row["lecturer__full_name"], received=row["forms"]),
        )
        lecturer.add(row["criterion"], tally_shares(row))
    return list(lecturers.values())
