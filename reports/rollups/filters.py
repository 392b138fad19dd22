"""What a rollup covers: a period, and optionally one programme and one
unit's subtree; and the helpers every rollup reads them with."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from courses.models import ClassType, TrainingClass
from reports.counting import Period, of_centers
from trainingcenter.models import Organization
from trainingcenter.text import collation_key


@dataclass
class Filters:
    period: Period
    programme: ClassType | None = None
    unit: Organization | None = None
    by_today: bool = False


def opened_classes(centers: QuerySet | None, filters: Filters) -> QuerySet:
    """The period's classes at `centers` (None: at every centre)."""
    classes = TrainingClass.objects.opened_between(
        filters.period.start, filters.period.end
    )
    if centers is not None:
        classes = classes.filter(of_centers(centers))
    if filters.programme:
        classes = classes.filter(class_type=filters.programme)
    return classes


def chosen_units(filters: Filters, units: set[int] | None = None) -> set[int] | None:
    """The units the rollup is limited to, or None for any: the chosen unit's
    subtree, within a committee's `units` when given."""
    if filters.unit is None:
        return units
    chosen = Organization.objects.subtree_ids([filters.unit.pk])
    return chosen if units is None else chosen & units


def programmes(ids) -> list[ClassType]:
    """The programmes of `ids` in the order of the catalogue: the columns."""
    return list(
        ClassType.objects.filter(pk__in=ids)
        .select_related("block")
        .order_by("block__order", "order", "name", "pk")
    )


def order(name: str) -> str:
    """The sort key of a row's name, in Vietnamese alphabetical order."""
    return collation_key(name)


def whose(
    centers: QuerySet,
    filters: Filters,
    units: set[int] | None,
    *,
    unit: str = "unit",
    center: str = "center",
) -> Q:
    """The people a rollup counts, through the `unit` and `center` paths of
    its rows. One centre's scope (`units` None): its own trainees. A
    committee: the people of its `units`, whichever centre trained them, and
    those of no recorded unit trained at its own `centers`; never anyone of a
    unit outside its tree. A chosen unit narrows either to that unit's subtree.
    """
    chosen = chosen_units(filters, units)
    if units is None:
        found = Q(**{f"{center}__in": centers})
        return found if chosen is None else found & Q(**{f"{unit}__in": chosen})
    found = Q(**{f"{unit}__in": chosen})
    if filters.unit is None:
        found |= Q(**{f"{unit}__isnull": True, f"{center}__in": centers})
    return found
