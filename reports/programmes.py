"""Biểu 1: the period's figures by programme, against the plan.

The classes counted in the plan fill parts I–III by programme and block; the
classes outside the plan (co-organised summer courses, for instance) are the
rows of part IV, with how many were called to them and how many attended
when their records say. Plans are read at three levels: per programme
(AnnualPlan), per block and for the whole centre (PlanTotal); each level is
compared with its own target where it has one. A fixed number of queries,
whatever the number of classes.
"""

from dataclasses import replace

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from courses.models import (
    AnnualPlan,
    Block,
    ClassType,
    CoOrganizer,
    PlanTotal,
    TrainingClass,
)
from reports import tables
from reports.counting import (
    Period,
    _persons_sum,
    of_centers,
    persons,
    persons_field,
    summaries,
    sums,
)
from reports.plan_levels import level_targets
from reports.tables import Figures, PlanTable


def plan_table(centers: QuerySet, period: Period) -> PlanTable:
    """Which of the period's years have a plan, and the targets of each
    programme, each block and the whole scope."""
    years_range = range(period.start.year, period.end.year + 1)
    plans = AnnualPlan.objects.filter(of_centers(centers), year__in=years_range)
    totals = PlanTotal.objects.filter(of_centers(centers), year__in=years_range)
    years = set(plans.order_by().values_list("year", flat=True).distinct())
    years |= set(totals.order_by().values_list("year", flat=True).distinct())
    targets = {
        row["class_type"]: row
        for row in plans.order_by()
        .values("class_type")
        .annotate(classes=Sum("target_classes"), trainees=Sum("target_trainees"))
    }
    levels = level_targets(plans, totals)
    return PlanTable(
        years, targets, block_targets=levels.by_block, total_target=levels.total
    )


def programme_table(
    centers: QuerySet, classes: QuerySet, period: Period, plan: PlanTable
) -> tables.ProgrammeTable:
    """Biểu 1 with its partners, the in-plan and outside totals, and the
    blocks as the chart draws them."""
    inside, outside, persons_count = _programme_figures(centers, classes, period, plan)
    partners_inside, partners_outside, partners = _partners(centers, period)
    programmes = ClassType.objects.filter(
        pk__in=set(inside) | set(outside)
    ).select_related("block")
    sections = tables.sections(
        programmes,
        list(Block.objects.all()),
        inside,
        partners_inside,
        plan=plan,
        outside=outside,
        outside_partners=partners_outside,
    )
    in_plan = Figures.sum_of(s for s in sections if not s.outside)
    if plan.total_target:
        plan.apply(in_plan, plan.total_target)
    outside_total = Figures.sum_of(s for s in sections if s.outside)
    total = Figures()
    total += in_plan
    total += outside_total
    return tables.ProgrammeTable(
        sections=sections,
        total=total,
        in_plan=in_plan,
        outside=outside_total,
        persons=persons_count,
        by_block=tables.by_block(sections),
        partners=partners,
    )


def _programme_figures(centers, classes, period, plan):
    """Each programme's figures, in the plan and outside it, with the targets
    on the in-plan ones, and the period's distinct persons in the same pass
    when the period allows it."""
    rows = list(
        summaries(centers, period)
        .order_by()
        .values("class_type", "counted_in_plan")
        .annotate(**sums(plan.years), **_persons_sum(period))
    )
    split: dict[bool, dict[int, Figures]] = {True: {}, False: {}}
    for row in rows:
        split[row["counted_in_plan"]][row["class_type"]] = Figures.from_row(row)
    for (type_id, in_plan), unknown in unknown_counts(centers, period).items():
        part = split[in_plan]
        part[type_id] = replace(part.get(type_id, Figures()), **unknown)
    for type_id, called in _called(centers, period).items():
        part = split[False]
        part[type_id] = replace(part.get(type_id, Figures()), **called)
    persons_count = (
        sum(row["persons"] for row in rows)
        if persons_field(period)
        else persons(classes, period)
    )
    for type_id, target in plan.targets.items():
        figures = split[True].setdefault(type_id, Figures())
        figures.target_classes = target["classes"]
        figures.target_trainees = target["trainees"]
    return split[True], split[False], persons_count


def _opened(centers: QuerySet, period: Period) -> QuerySet:
    return TrainingClass.objects.filter(
        of_centers(centers), start_date__range=(period.start, period.end)
    )


def unknown_counts(centers: QuerySet, period: Period) -> dict[tuple, dict[str, int]]:
    """Per programme and plan flag, the period's classes counted by declared
    numbers that do not know (NULL, adding nothing to the summaries) their
    number of trainees, completed or certified (if the programme certifies)."""
    no_enrolled = Q(declared_enrolled__isnull=True)
    no_completed = Q(declared_completed__isnull=True)
    no_certified = Q(declared_certified__isnull=True) & ~Q(award=ClassType.Award.NONE)
    rows = (
        TrainingClass.objects.counted_by_declared_numbers()
        .filter(of_centers(centers), start_date__range=(period.start, period.end))
        .filter(no_enrolled | no_completed | no_certified)
        .order_by()
        .values("class_type", "counted_in_plan")
        .annotate(
            unknown_enrolled=Count("pk", filter=no_enrolled),
            unknown_completed=Count("pk", filter=no_completed),
            unknown_certified=Count("pk", filter=no_certified),
        )
    )
    return {(row.pop("class_type"), row.pop("counted_in_plan")): row for row in rows}


def _called(centers: QuerySet, period: Period) -> dict[int, dict[str, int]]:
    """Per programme, the classes outside the plan that record both how many
    were called and how many attended, and those two sums. One query."""
    known = Q(declared_called__isnull=False, declared_attended__isnull=False)
    rows = (
        _opened(centers, period)
        .filter(known, counted_in_plan=False)
        .order_by()
        .values("class_type")
        .annotate(
            called_classes=Count("pk"),
            called=Coalesce(Sum("declared_called"), 0),
            called_attended=Coalesce(Sum("declared_attended"), 0),
        )
    )
    return {row.pop("class_type"): row for row in rows}


def _partners(centers: QuerySet, period: Period):
    """The co-organizers of each programme's classes in the plan and outside
    it, and each co-organizer with its number of classes (most first): the
    organisations of the register and, for a class without any, the names its
    records give. Two queries, counted in the database."""
    inside: dict[int, set[str]] = {}
    outside: dict[int, set[str]] = {}
    classes: dict[str, int] = {}
    opened = _opened(centers, period)
    registered = (
        CoOrganizer.objects.filter(training_class__in=opened)
        .order_by()
        .values_list(
            "training_class__class_type",
            "training_class__counted_in_plan",
            "organization__name",
        )
        .annotate(n=Count("training_class", distinct=True))
    )
    written = (
        opened.exclude(co_organizer_names="")
        .filter(co_organizers__isnull=True)
        .order_by()
        .values_list("class_type", "counted_in_plan", "co_organizer_names")
        .annotate(n=Count("pk"))
    )
    for type_id, in_plan, name, n in [*registered, *written]:
        (inside if in_plan else outside).setdefault(type_id, set()).add(name)
        classes[name] = classes.get(name, 0) + n
    return (
        {k: sorted(v) for k, v in inside.items()},
        {k: sorted(v) for k, v in outside.items()},
        sorted(classes.items(), key=lambda p: (-p[1], p[0])),
    )
