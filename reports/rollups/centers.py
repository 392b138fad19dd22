"""The rollup by centre (Biểu 4): classes, enrolments, % of plan, and
enrolments per programme, from the ClassSummary rows with counting's own sums."""

from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from courses.models import AnnualPlan, ClassType, PlanTotal
from reports import counting, tables
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
    plans = AnnualPlan.objects.filter(center__in=centers, year__in=years)
    if filters.programme:
        plans = plans.filter(class_type=filters.programme)
    levels = PlanTotal.objects.filter(center__in=centers, year__in=years)
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
    """Each centre's targets at the level that has one (the rule of Biểu 1,
    reports/programmes.py): its own total, else per block of refresher
    courses the block's target or its programmes' sum, and the programmes'
    targets of training and study sessions. Two queries. `levels` is None
    for one programme: then only its own targets count."""
    sums: dict[tuple, list[int]] = {}
    for row in (
        plans.order_by()
        .values("center", "class_type__block", "class_type__kind")
        .annotate(
            classes=Coalesce(Sum("target_classes"), 0),
            trainees=Coalesce(Sum("target_trainees"), 0),
        )
    ):
        refresher = row["class_type__kind"] == ClassType.Kind.REFRESHER
        key = (row["center"], row["class_type__block"] if refresher else "other")
        part = sums.setdefault(key, [0, 0])
        part[0] += row["classes"]
        part[1] += row["trainees"]
    own: dict[tuple, tuple[int, int]] = {}
    if levels is not None:
        for center, block, classes, trainees in levels.order_by().values_list(
            "center", "block", "target_classes", "target_trainees"
        ):
            own[(center, block)] = own.get((center, block), (0, 0))
            own[(center, block)] = (
                own[(center, block)][0] + classes,
                own[(center, block)][1] + trainees,
            )
    for key, (classes, trainees) in own.items():
        if key[1] is not None:
            part = sums.setdefault(key, [0, 0])
            part[0] = classes or part[0]
            part[1] = trainees or part[1]
    by_center: dict[int, list[int]] = {}
    for (center, _block), (classes, trainees) in sums.items():
        part = by_center.setdefault(center, [0, 0])
        part[0] += classes
        part[1] += trainees
    for center, row in rows.items():
        classes, trainees = by_center.get(center, [0, 0])
        whole = own.get((center, None), (0, 0))
        row.target_classes = whole[0] or classes
        row.target_trainees = whole[1] or trainees
        total.target_classes += row.target_classes
        total.target_trainees += row.target_trainees
