"""The rollup by centre (Biểu 4): classes, enrolments, % of plan, and
enrolments per programme, from the ClassSummary rows with counting's own sums."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from courses.models import AnnualPlan, ClassType, PlanTotal
from reports import counting, tables
from reports.plan_levels import level_targets
from reports.rollups.filters import Filters, order, programmes
from trainingcenter.routers import reads_reports


@dataclass
class CenterRow:
    name: str
    classes: int = 0
    enrolled: int = 0
    plan_enrolled_done: int = 0
    plan_classes_done: int = 0
    target_classes: int = 0
    target_trainees: int = 0
    by_programme: dict[int, int] = field(default_factory=dict)

    @property
    def plan_share(self):
        """% of plan in trainees."""
        return tables.share(self.plan_enrolled_done, self.target_trainees)

    @property
    def plan_classes_share(self):
        """% of plan in classes: shown whenever there is a class target, with
        or without a trainee target."""
        return tables.share(self.plan_classes_done, self.target_classes)

    def cells(self, programmes) -> list[int]:
        return [self.by_programme.get(p.pk, 0) for p in programmes]


@dataclass
class CenterRollup:
    programmes: list[ClassType]
    rows: list[CenterRow]
    total: CenterRow


@reads_reports
def by_center(centers: QuerySet, filters: Filters) -> CenterRollup:
    opened = counting.summaries(centers, filters.period)
    if filters.programme:
        opened = opened.filter(class_type=filters.programme)
    years = range(filters.period.start.year, filters.period.end.year + 1)
    plans = AnnualPlan.objects.filter(counting.of_centers(centers), year__in=years)
    if filters.programme:
        plans = plans.filter(class_type=filters.programme)
    levels = PlanTotal.objects.filter(counting.of_centers(centers), year__in=years)
    planned_years = set(plans.order_by().values_list("year", flat=True).distinct())
    if not filters.programme:
        planned_years |= set(levels.order_by().values_list("year", flat=True))
    sums = counting.sums(planned_years)
    rows: dict[int, CenterRow] = {
        pk: CenterRow(name=name)
        for pk, name in centers.order_by("name").values_list("pk", "name")
    }
    total = CenterRow(name="")
    for row in (
        opened.order_by()
        .values("center", "class_type")
        .annotate(
            n_classes=sums["classes"],
            n_enrolled=sums["enrolled"],
            n_plan_enrolled=sums["plan_enrolled_done"],
            n_plan_classes=sums["plan_classes_done"],
        )
    ):
        for target in (rows[row["center"]], total):
            target.classes += row["n_classes"]
            target.enrolled += row["n_enrolled"]
            target.plan_enrolled_done += row["n_plan_enrolled"]
            target.plan_classes_done += row["n_plan_classes"]
            programme = row["class_type"]
            target.by_programme[programme] = (
                target.by_programme.get(programme, 0) + row["n_enrolled"]
            )
    _targets(rows, total, plans, None if filters.programme else levels)
    ordered = sorted(rows.values(), key=lambda r: order(r.name))
    return CenterRollup(
        programmes=programmes(total.by_programme), rows=ordered, total=total
    )


def _targets(rows: dict, total: CenterRow, plans, levels) -> None:
    """Each centre's targets at the level that has one (reports.plan_levels,
    the rule of Biểu 1). `levels` is None for one programme: then only its
    own targets count."""
    by_center = level_targets(plans, levels).by_center
    for center, row in rows.items():
        row.target_classes, row.target_trainees = by_center.get(center, (0, 0))
        total.target_classes += row.target_classes
        total.target_trainees += row.target_trainees
