"""What a rollup covers: a period, and optionally one programme and one
unit's subtree; and the helpers every rollup reads them with."""

from dataclasses import dataclass

from django.db.models import QuerySet

from courses.models import ClassType, TrainingClass
from reports.counting import Period
from trainingcenter.models import Organization
from trainingcenter.text import collation_key


@dataclass
class Filters:
    period: Period
    programme: ClassType | None = None
    unit: Organization | None = None
    by_today: bool = False


def opened_classes(centers: QuerySet, filters: Filters) -> QuerySet:
    classes = TrainingClass.objects.filter(center__in=centers).opened_between(
        filters.period.start, filters.period.end
    )
    if filters.programme:
        classes = classes.filter(class_type=filters.programme)
    return classes


def chosen_units(filters: Filters) -> list[int] | None:
    """The units the rollup is limited to (the chosen unit's subtree), or None."""
    if filters.unit is None:
        return None
    return Organization.objects.subtree_ids([filters.unit.pk])


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
