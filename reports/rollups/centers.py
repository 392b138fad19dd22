"""The rollup by centre (Biểu 4): classes, enrolments, % of plan, and
enrolments per programme, from the ClassSummary rows with counting's own sums."""

from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from courses.models import AnnualPlan, ClassType
from reports import counting, tables
from reports.rollups.filters import Filters, order, programmes
from trainingcenter.routers import reads_reports


@dataclass
class CenterRow:
    name: str
    classes: int = 0
    enrolled: int = 0
    plan_enrolled_done: int = 0
    target_trainees: int = 0
    by_programme: dict[int, int] = field(default_factory=dict)

    @property
    def plan_share(self):
        return tables.share(self.plan_enrolled_done, self.target_trainees)

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
    plans = AnnualPlan.objects.filter(center__in=centers, year__in=years)
    if filters.programme:
        plans = plans.filter(class_type=filters.programme)
    planned_years = set(plans.order_by().values_list("year", flat=True).distinct())
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
        )
    ):
        for target in (rows[row["center"]], total):
            target.classes += row["n_classes"]
            target.enrolled += row["n_enrolled"]
            target.plan_enrolled_done += row["n_plan_enrolled"]
            programme = row["class_type"]
            target.by_programme[programme] = (
                target.by_programme.get(programme, 0) + row["n_enrolled"]
            )
    for row in (
        plans.order_by()
        .values("center")
        .annotate(trainees=Coalesce(Sum("target_trainees"), 0))
    ):
        rows[row["center"]].target_trainees += row["trainees"]
        total.target_trainees += row["trainees"]
    ordered = sorted(rows.values(), key=lambda r: order(r.name))
    return CenterRollup(
        programmes=programmes(total.by_programme), rows=ordered, total=total
    )
