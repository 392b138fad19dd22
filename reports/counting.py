"""How classes and trainees are counted: the one place.

A class counts in the period in which it opens. "Lượt học viên" counts
enrolments that were not withdrawn, not persons; a class from before the
system, with no roster, counts its declared numbers. Everything is computed
in the database; reports.tables holds what the report's tables look like.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from courses.models import (
    Lecturer,
    LecturerActivity,
    TrainingClass,
)
from enrollment.models import (
    ClassLecturerSummary,
    ClassSummary,
    ClassUnitSummary,
    Enrollment,
)
from enrollment.services.summaries import COUNTED_FIELDS
from reports import lecturers as lecturers_table, tables
from reports.tables import Figures, Issuer, LecturerRow, Report, UnitRow
from trainingcenter.models import Center, Organization
from trainingcenter.routers import reads_reports


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def whole_years(self) -> bool:
        starts = (self.start.month, self.start.day) == (1, 1)
        return starts and (self.end.month, self.end.day) == (12, 31)

    @property
    def label(self) -> str:
        """ "năm 2026", "giai đoạn 2015–2020" or "từ 01/01/2026 đến 30/06/2026"."""
        if self.whole_years and self.start.year == self.end.year:
            return _("year %(year)s") % {"year": self.start.year}
        if self.whole_years:
            return _("term %(first)s–%(last)s") % {
                "first": self.start.year,
                "last": self.end.year,
            }
        return _("from %(start)s to %(end)s") % {
            "start": f"{self.start:%d/%m/%Y}",
            "end": f"{self.end:%d/%m/%Y}",
        }


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
    counts |= {row["status"]: row["n"] for row in rows}
    # Counted in the period by their start date, not begun yet: said beside
    # the closed and running ones so that the parts add up to the whole.
    counts["not_started"] = (
        counts[TrainingClass.Status.PLANNED] + counts[TrainingClass.Status.OPEN]
    )
    return counts


def open_outcomes(classes: QuerySet[TrainingClass], today: datetime.date) -> int:
    """Enrolments of classes that ended before `today` and still have no result."""
    return Enrollment.objects.filter(
        Q(training_class__in=classes)
        & Q(status=Enrollment.Status.ENROLLED)
        & Q(training_class__end_date__lt=today)
    ).count()


# The report: Biểu 1 and the figures around it.
#
# Every figure below is a sum over rows that enrollment.services.summaries
# keeps per class (ClassSummary; per sending unit and per lecturer too), which
# defines what each counts; only distinct persons over a period that is not
# anchored to 1 January or 31 December reads the enrolments. The number of
# queries does not depend on the number of classes.

# The summary's counts (its two flags are counted as classes instead).
SUMMED = [name for name in COUNTED_FIELDS if name not in ("at_cluster", "co_organized")]


def of_centers(centers: QuerySet, lookup: str = "center") -> Q:
    """The rows of `centers`, as a filter on `lookup` (a path to the centre).

    Every centre of the deployment (an unfiltered queryset: the report of the
    one committee above them all) needs no filter. PostgreSQL does not drop a
    semi-join that keeps every row; over the nation's year of summary rows it
    would be a quarter of Biểu 1's time.
    """
    query = centers.query
    if centers.model is Center and not query.where and not query.is_sliced:
        return Q()
    return Q(**{f"{lookup}__in": centers})


def summaries(centers: QuerySet, period: Period) -> QuerySet[ClassSummary]:
    """The summary rows of the classes of `centers` that open in `period`.

    They carry their class's centre and opening day, so a period is an index
    range, whatever the years of history beside it.
    """
    return ClassSummary.objects.filter(
        of_centers(centers), start_date__range=(period.start, period.end)
    )


def sums(planned_years=()) -> dict:
    """The sums of Figures over ClassSummary rows.

    A class is compared with the plan when it is counted in the plan and opens
    in a year that has one: over a term, the years before plans were entered
    do not inflate the % of plan.
    """
    # One date range per year (an index-friendly BETWEEN), not EXTRACT(YEAR)
    # on every row: the nation's year is 76.000 rows.
    in_years = Q(start_date__year__in=[])  # no plan: nothing is in the plan
    for year in sorted(set(planned_years)):
        in_years |= Q(start_date__year=year)
    in_plan = Q(counted_in_plan=True) & in_years
    return {
        "classes": Count("pk"),
        "cluster_classes": Count("pk", filter=Q(at_cluster=True)),
        "co_organized_classes": Count("pk", filter=Q(co_organized=True)),
        "plan_classes_done": Count("pk", filter=in_plan),
        "plan_enrolled_done": Coalesce(Sum("enrolled", filter=in_plan), 0),
        # Before "listed": once that sum is named, `listed` in a filter
        # would read the sum, not the summary row's flag.
        "listed_passed": Coalesce(Sum("passed", filter=Q(listed=True)), 0),
        "listed": Coalesce(Sum("enrolled", filter=Q(listed=True)), 0),
        **{name: Coalesce(Sum(name), 0) for name in SUMMED},
    }


def persons_field(period: Period) -> str | None:
    """The ClassSummary field whose sum counts `period`'s distinct persons, if any.

    Within one year, a period from 1 January adds up each class's count of
    trainees whose first class of the year it is, and a period to 31 December
    those whose last class it is: a year's nation is 76.000 summary rows
    instead of 4,2 million enrolments. Other periods have none.
    """
    if period.start.year != period.end.year:
        return None
    if (period.start.month, period.start.day) == (1, 1):
        return "first_in_year"
    if (period.end.month, period.end.day) == (12, 31):
        return "last_in_year"
    return None


def persons(classes: QuerySet[TrainingClass], period: Period) -> int:
    """Distinct people among the active enrolments of classes opened in `period`."""
    opened = classes.opened_between(period.start, period.end)
    field = persons_field(period)
    if field:
        return ClassSummary.objects.filter(training_class__in=opened).aggregate(
            n=Coalesce(Sum(field), 0)
        )["n"]
    return (
        Enrollment.objects.filter(training_class__in=opened)
        .active()
        .aggregate(n=Count("trainee", distinct=True))["n"]
    )


def _persons_sum(period: Period) -> dict:
    """The persons sum to add to a query over `period`'s classes, when there is one."""
    field = persons_field(period)
    return {"persons": Coalesce(Sum(field), 0)} if field else {}


def previous(period: Period) -> Period:
    """The period the report compares with.

    A period shorter than a year compares with the same dates a year before
    ("cùng kỳ năm trước": the first half of 2026 with the first half of 2025,
    as party reports do; classes follow the seasons, so the half-year just
    before would compare summer courses with winter ones). A year, a term or
    any longer period compares with the period of the same length just before
    it: whole months move by months (2021–2025 with 2016–2020), other periods
    by days.
    """
    if period.end < _years_before(period.start, -1):
        return Period(_years_before(period.start, 1), _years_before(period.end, 1))
    after_end = period.end + datetime.timedelta(days=1)
    if period.start.day == 1 and after_end.day == 1:
        months = (after_end.year - period.start.year) * 12 + (
            after_end.month - period.start.month
        )
        index = period.start.year * 12 + period.start.month - 1 - months
        return Period(
            datetime.date(index // 12, index % 12 + 1, 1),
            period.start - datetime.timedelta(days=1),
        )
    length = period.end - period.start
    end = period.start - datetime.timedelta(days=1)
    return Period(end - length, end)


def is_same_time_a_year_before(period: Period, before: Period) -> bool:
    """`before` is `period`'s dates a year earlier (see `previous`)."""
    return (
        not period.whole_years
        and before.start == _years_before(period.start, 1)
        and before.end == _years_before(period.end, 1)
    )


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (later if negative); the last day of a
    month stays the last day (28 February 2025 a year later is the 29th)."""
    year = day.year - years
    last = calendar.monthrange(day.year, day.month)[1]
    if day.day == last:
        return day.replace(year=year, day=calendar.monthrange(year, day.month)[1])
    return day.replace(year=year)


@reads_reports
def build_report(
    centers: QuerySet,
    period: Period,
    *,
    scope_label: str,
    issuer: Issuer,
    unit_limit: int | None = None,
) -> Report:
    """Everything the report page, its PDF and its workbook show.

    `centers` is the scope (one centre, or every centre under an
    organization); it must already be limited to what the user may see.
    Each table has its own builder below; this only puts them together.
    """
    from reports import programmes, satisfaction, terms

    classes = TrainingClass.objects.filter(of_centers(centers))
    plan = programmes.plan_table(centers, period)
    bieu1 = programmes.programme_table(centers, classes, period, plan)
    before = previous_table(centers, classes, period)
    lecturers = lecturer_table(centers, period)
    center_count = centers.count()
    return Report(
        scope_label=scope_label,
        issuer=issuer,
        period=period,
        previous_period=before.period,
        sections=bieu1.sections,
        total=bieu1.total,
        persons=bieu1.persons,
        previous_total=before.total,
        previous_persons=before.persons,
        by_year=year_table(centers, period),
        by_block=bieu1.by_block,
        units=unit_table(centers, period, unit_limit),
        lecturers=lecturers,
        lecturer_kinds=lecturers_table.lecturer_kinds(lecturers),
        partners=bieu1.partners,
        center_count=center_count,
        in_plan=bieu1.in_plan,
        outside=bieu1.outside,
        years=terms.year_columns(centers, period, bieu1.sections),
        plan_years=frozenset(plan.years),
        # Biểu 3, learner feedback.
        feedback=satisfaction.build(centers, period, by_center=center_count > 1),
    )


# The previous period and the years before ----------------------------------


def previous_table(
    centers: QuerySet, classes: QuerySet, period: Period
) -> tables.PreviousTable:
    """The totals of the period just before, which the report compares with."""
    before = previous(period)
    row = summaries(centers, before).aggregate(**sums(), **_persons_sum(before))
    return tables.PreviousTable(
        period=before,
        total=Figures.from_row(row),
        persons=row["persons"] if persons_field(before) else persons(classes, before),
    )


def year_table(centers: QuerySet, period: Period) -> list[tuple[int, int, int]]:
    """(year, classes, enrolments) of each year from five years back (the chart)."""
    first_year = min(period.start.year, period.end.year - 4)
    return [
        (row["year"], row["classes"], row["enrolled"])
        for row in summaries(
            centers, Period(datetime.date(first_year, 1, 1), period.end)
        )
        .order_by()
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(classes=Count("pk"), enrolled=Coalesce(Sum("enrolled"), 0))
        .order_by("year")
    ]


# Sending units -------------------------------------------------------------


def unit_table(
    centers: QuerySet, period: Period, limit: int | None = None
) -> list[UnitRow]:
    """Enrolments and passes by sending unit, most enrolments first.

    By unit id, names joined afterwards: two units of one name (communes of
    two provinces) stay two rows, and grouping by id is the cheaper plan.
    The rows are each class's counts per unit (ClassUnitSummary).
    """
    by_unit = list(
        ClassUnitSummary.objects.filter(
            of_centers(centers), start_date__range=(period.start, period.end)
        )
        .order_by()
        .values("unit")
        .annotate(enrolled=Sum("enrolled"), passed=Sum("passed"))
        .order_by("-enrolled", "unit")[:limit]
    )
    names = dict(
        Organization.objects.filter(
            pk__in=[row["unit"] for row in by_unit if row["unit"]]
        ).values_list("pk", "name")
    )
    return sorted(
        (
            UnitRow(names.get(row["unit"], ""), row["enrolled"], row["passed"])
            for row in by_unit
        ),
        key=lambda unit: (-unit.enrolled, unit.name),
    )


# Biểu 2 --------------------------------------------------------------------


def lecturer_table(centers: QuerySet, period: Period) -> list[LecturerRow]:
    """Biểu 2: the lecturers of `centers`, what they taught in `period` and
    their peer teaching, observations and contests; by centre, full-time
    first, then concurrent, then guests, by name within."""
    taught = {
        row["lecturer"]: row
        for row in ClassLecturerSummary.objects.filter(
            of_centers(centers), start_date__range=(period.start, period.end)
        )
        .order_by()
        .values("lecturer")
        .annotate(sessions=Sum("sessions"), periods=Sum("periods"))
    }
    activities = _lecturer_activities(centers, period)
    return lecturers_table.lecturer_rows(
        Lecturer.objects.filter(of_centers(centers))
        .order_by("center__name", "sort_key", "pk")
        .values_list(*lecturers_table.LECTURER_FIELDS),
        taught,
        activities,
    )


def _lecturer_activities(centers: QuerySet, period: Period) -> dict[int, dict]:
    """Lecturer id -> the LecturerRow fields of their peer teaching,
    observations and contests in `period`, for those who have any.

    One query whatever the number of lecturers: peer teaching and
    observations are counted per lecturer and kind, contests per lecturer,
    contest and prize. The awards follow the contests' dates.
    """
    kind, contest = LecturerActivity.Kind, LecturerActivity.Kind.CONTEST
    labels = {value: str(label) for value, label in LecturerActivity.Award.choices}
    rows = (
        LecturerActivity.objects.filter(
            of_centers(centers, "lecturer__center"),
            date__range=(period.start, period.end),
        )
        .order_by()
        .values("lecturer", "kind")
        .annotate(
            contest=Case(When(kind=contest, then="title"), default=Value("")),
            prize=Case(When(kind=contest, then="award"), default=Value("")),
        )
        .annotate(n=Count("pk"), first=Min("date"))
        .order_by("lecturer", "first", "contest", "prize")
    )
    by_lecturer: dict[int, dict] = {}
    for row in rows:
        done = by_lecturer.setdefault(
            row["lecturer"],
            {"peer_teaching": 0, "observations": 0, "awards": [], "prizes": 0},
        )
        if row["kind"] == kind.PEER_TEACHING:
            done["peer_teaching"] += row["n"]
        elif row["kind"] == kind.OBSERVATION:
            done["observations"] += row["n"]
        elif row["kind"] == contest:
            label = labels.get(row["prize"], row["prize"])
            done["awards"] += [f"{label} – {row['contest']}"] * row["n"]
            if row["prize"] != LecturerActivity.Award.NONE:
                done["prizes"] += row["n"]
    return by_lecturer
