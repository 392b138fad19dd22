"""How classes and trainees are counted: the one place (DESIGN.md, STYLE.md S06).

A class counts in the period in which it opens. "Lượt học viên" counts
enrolments that were not withdrawn, not persons (DOMAIN.md section 0, item 4);
a class from before the system, with no roster, counts its declared numbers.
Everything is computed in the database.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import Case, Count, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from courses.models import CoOrganizer, TrainingClass
from enrollment.models import (
    ClassLecturerSummary,
    ClassSummary,
    ClassUnitSummary,
    Enrollment,
)
from enrollment.services import summaries as summaries_service
from trainingcenter.models import Organization
from trainingcenter.routers import reads_reports

if TYPE_CHECKING:
    from reports.satisfaction import FeedbackTable


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def whole_years(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (
            1,
            1,
            12,
            31,
        )

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
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def open_outcomes(classes: QuerySet[TrainingClass], today: datetime.date) -> int:
    """Enrolments of classes that ended before `today` and still have no result."""
    return Enrollment.objects.filter(
        Q(training_class__in=classes)
        & Q(status=Enrollment.Status.ENROLLED)
        & Q(training_class__end_date__lt=today)
    ).count()


# The summary report (issue 6): Biểu 1 and the figures around it.
#
# Every figure below is a sum over rows that enrollment/summary.py keeps per
# class (ClassSummary; per sending unit and per lecturer too), which defines
# what each counts; only distinct persons over a period that is not anchored
# to 1 January or 31 December reads the enrolments. The number of queries
# does not depend on the number of classes.

# The summary's counts (its two flags are counted as classes instead).
SUMMED = [
    name
    for name in summaries_service.COUNTED_FIELDS
    if name not in ("at_cluster", "co_organized")
]


def share(part: int, whole: int | None) -> Decimal | None:
    """part / whole as a fraction rounded to one decimal of a percent, half up.

    0.9615 -> Decimal("0.962") ("96,2%"); None when there is nothing to divide by.
    Every output shows this same value, so page, PDF and Excel never disagree.
    """
    if not whole:
        return None
    percent = (Decimal(part) * 100 / Decimal(whole)).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )
    return percent / 100


@dataclass
class Figures:
    """One row of Biểu 1 (a programme), a subtotal or the grand total."""

    classes: int = 0
    enrolled: int = 0
    women: int = 0
    minorities: int = 0
    cluster_classes: int = 0
    co_organized_classes: int = 0
    completed: int = 0
    passed: int = 0
    certified: int = 0
    excellent: int = 0
    good: int = 0
    average: int = 0
    failed: int = 0
    attended: int = 0
    attendance_records: int = 0
    # Classes counted in the plan and their enrolments: what % of plan compares.
    plan_classes_done: int = 0
    plan_enrolled_done: int = 0
    # Enrolments of classes with a roster: what the women/minority shares divide.
    listed: int = 0
    target_classes: int = 0
    target_trainees: int = 0

    def __iadd__(self, other: "Figures") -> "Figures":
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def plan_classes_share(self) -> Decimal | None:
        return share(self.plan_classes_done, self.target_classes)

    @property
    def plan_trainees_share(self) -> Decimal | None:
        return share(self.plan_enrolled_done, self.target_trainees)

    @property
    def attendance_share(self) -> Decimal | None:
        return share(self.attended, self.attendance_records)

    @property
    def women_share(self) -> Decimal | None:
        return share(self.women, self.listed)

    @property
    def minorities_share(self) -> Decimal | None:
        return share(self.minorities, self.listed)

    @property
    def graded(self) -> int:
        return self.excellent + self.good + self.average + self.failed

    def grade_share(self, name: str) -> Decimal | None:
        return share(getattr(self, name), self.graded)


@dataclass
class ProgrammeRow:
    number: int
    code: str
    name: str
    block: str
    figures: Figures
    partners: list[str] = field(default_factory=list)


@dataclass
class Group:
    """A block of the bồi dưỡng section ("A. Khối Đảng"), or a whole section."""

    label: str
    rows: list[ProgrammeRow]
    figures: Figures


@dataclass
class Section:
    label: str
    groups: list[Group]
    figures: Figures


@dataclass
class LecturerRow:
    name: str
    kind: str
    kind_label: str
    position: str
    qualifications: str
    center: str
    sessions: int
    periods: int
    # Biểu 2's "Thao giảng / dự giờ" and "Hội thi (giải)" (DOMAIN.md §3, 2.4):
    # the period's records of each kind; `awards` has one "Giải nhì – Hội thi …"
    # per contest entered, `prizes` counts those that won something.
    peer_teaching: int = 0
    observations: int = 0
    awards: list[str] = field(default_factory=list)
    prizes: int = 0


class LecturerKindTotal(NamedTuple):
    """A total row of Biểu 2: the lecturers of one kind and what they did."""

    label: str
    count: int
    periods: int
    peer_teaching: int
    observations: int
    prizes: int


@dataclass
class UnitRow:
    name: str
    enrolled: int
    passed: int


@dataclass
class Issuer:
    """The header of the report: who issues it, where, who signs."""

    superior: str
    issuing: str
    place: str
    signer_title: str
    signer_name: str


@dataclass
class Report:
    scope_label: str
    issuer: Issuer
    period: Period
    previous_period: Period
    sections: list[Section]
    total: Figures
    persons: int
    previous_total: Figures
    previous_persons: int
    by_year: list[tuple[int, int, int]]
    by_block: list[tuple[str, int, int]]
    units: list[UnitRow]
    lecturers: list[LecturerRow]
    lecturer_kinds: list[LecturerKindTotal]
    partners: list[tuple[str, int]]
    center_count: int = 1
    feedback: "FeedbackTable | None" = None

    @property
    def change_classes(self) -> int:
        return self.total.classes - self.previous_total.classes

    @property
    def change_enrolled(self) -> int:
        return self.total.enrolled - self.previous_total.enrolled

    @property
    def change_enrolled_share(self) -> Decimal | None:
        return share(self.change_enrolled, self.previous_total.enrolled)

    @property
    def programme_rows(self) -> list[ProgrammeRow]:
        return [row for s in self.sections for g in s.groups for row in g.rows]


def _figures(row: dict) -> Figures:
    return Figures(**{k: row[k] or 0 for k in Figures.__dataclass_fields__ if k in row})


def summaries(centers: QuerySet, period: Period) -> QuerySet[ClassSummary]:
    """The summary rows of the classes of `centers` that open in `period`.

    They carry their class's centre and opening day, so a period is an index
    range, whatever the years of history beside it.
    """
    return ClassSummary.objects.filter(
        center__in=centers, start_date__range=(period.start, period.end)
    )


def sums(planned_years=()) -> dict:
    """The sums of Figures over ClassSummary rows.

    A class is compared with the plan when it is counted in the plan and opens
    in a year that has one: over a term, the years before plans were entered
    do not inflate the % of plan.
    """
    in_plan = Q(counted_in_plan=True, start_date__year__in=list(planned_years))
    return {
        "classes": Count("pk"),
        "cluster_classes": Count("pk", filter=Q(at_cluster=True)),
        "co_organized_classes": Count("pk", filter=Q(co_organized=True)),
        "plan_classes_done": Count("pk", filter=in_plan),
        "plan_enrolled_done": Coalesce(Sum("enrolled", filter=in_plan), 0),
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
    """The period of the same length just before it.

    Whole months move by months (the first half of 2026 compares with the
    second half of 2025; a year with the year before); other periods by days.
    """
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
    """
    from courses.models import AnnualPlan, Block, ClassType, Lecturer

    from . import satisfaction

    classes = TrainingClass.objects.filter(center__in=centers)
    opened = classes.opened_between(period.start, period.end)
    years = range(period.start.year, period.end.year + 1)
    planned_years = set(
        AnnualPlan.objects.filter(center__in=centers, year__in=years)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    # Biểu 1 by programme and, in the same pass, distinct persons.
    by_type_rows = list(
        summaries(centers, period)
        .order_by()
        .values("class_type")
        .annotate(**sums(planned_years), **_persons_sum(period))
    )
    by_type = {row["class_type"]: _figures(row) for row in by_type_rows}
    total_persons = (
        sum(row["persons"] for row in by_type_rows)
        if persons_field(period)
        else persons(classes, period)
    )
    plans = (
        AnnualPlan.objects.filter(center__in=centers, year__in=years)
        .order_by()
        .values("class_type")
        .annotate(classes=Sum("target_classes"), trainees=Sum("target_trainees"))
    )
    for plan in plans:
        figures = by_type.setdefault(plan["class_type"], Figures())
        figures.target_classes = plan["classes"]
        figures.target_trainees = plan["trainees"]
    partners_by_type: dict[int, list[str]] = {}
    partner_classes: dict[str, int] = {}
    for type_id, name, n in (
        CoOrganizer.objects.filter(training_class__in=opened)
        .order_by()
        .values_list("training_class__class_type", "organization__name")
        .annotate(n=Count("training_class", distinct=True))
    ):
        partners_by_type.setdefault(type_id, []).append(name)
        partner_classes[name] = partner_classes.get(name, 0) + n

    programmes = ClassType.objects.filter(pk__in=by_type).select_related("block")
    blocks = list(Block.objects.all())
    sections = _sections(programmes, blocks, by_type, partners_by_type)
    total = Figures()
    for section in sections:
        total += section.figures

    before = previous(period)
    previous_row = summaries(centers, before).aggregate(
        **sums(), **_persons_sum(before)
    )
    previous_total = _figures(previous_row)
    previous_persons = (
        previous_row["persons"] if persons_field(before) else persons(classes, before)
    )

    first_year = min(period.start.year, period.end.year - 4)
    by_year = [
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
    by_block = [
        (block.name, sum(f.classes for f in fs), sum(f.enrolled for f in fs))
        for block in blocks
        if (
            fs := [
                by_type[p.pk]
                for p in programmes
                if p.block_id == block.pk and by_type[p.pk].classes
            ]
        )
    ]

    # By unit id, names joined afterwards: two units of one name (communes of
    # two provinces) stay two rows, and grouping by id is the cheaper plan.
    # The rows are each class's counts per unit (ClassUnitSummary).
    by_unit = list(
        ClassUnitSummary.objects.filter(
            center__in=centers, start_date__range=(period.start, period.end)
        )
        .order_by()
        .values("unit")
        .annotate(enrolled=Sum("enrolled"), passed=Sum("passed"))
        .order_by("-enrolled", "unit")[:unit_limit]
    )
    unit_names = dict(
        Organization.objects.filter(
            pk__in=[row["unit"] for row in by_unit if row["unit"]]
        ).values_list("pk", "name")
    )
    units = sorted(
        (
            UnitRow(unit_names.get(row["unit"], ""), row["enrolled"], row["passed"])
            for row in by_unit
        ),
        key=lambda unit: (-unit.enrolled, unit.name),
    )

    taught = {
        row["lecturer"]: row
        for row in ClassLecturerSummary.objects.filter(
            center__in=centers, start_date__range=(period.start, period.end)
        )
        .order_by()
        .values("lecturer")
        .annotate(sessions=Sum("sessions"), periods=Sum("periods"))
    }
    activities = _lecturer_activities(centers, period)
    # Plain values, labels translated once: a country has 9.000 lecturers.
    kinds = {kind: str(label) for kind, label in Lecturer.Kind.choices}
    lecturers = [
        LecturerRow(
            name=name,
            kind=kind,
            kind_label=kinds[kind],
            position=", ".join(part for part in (position, unit or "") if part),
            qualifications=qualifications,
            center=center,
            sessions=taught.get(pk, {}).get("sessions", 0),
            periods=taught.get(pk, {}).get("periods", 0),
            **activities.get(pk, {}),
        )
        for pk, name, kind, position, unit, qualifications, center, active in (
            Lecturer.objects.filter(center__in=centers)
            .order_by("center__name", "sort_key", "pk")
            .values_list(
                "pk",
                "full_name",
                "kind",
                "position",
                "unit__name",
                "qualifications",
                "center__name",
                "is_active",
            )
        )
        # Active ones, and whoever taught or has a record in the period
        # (filtered here: the ids of a country's lecturers make a slow query
        # parameter).
        if active or pk in taught or pk in activities
    ]
    # Full-time first, then concurrent, then guests (Biểu 2); by name within.
    kind_order = {kind: i for i, kind in enumerate(Lecturer.Kind.values)}
    lecturers.sort(key=lambda r: (r.center, kind_order[r.kind]))
    lecturer_kinds = [
        LecturerKindTotal(
            label=str(label),
            count=len(rows),
            periods=sum(r.periods for r in rows),
            peer_teaching=sum(r.peer_teaching for r in rows),
            observations=sum(r.observations for r in rows),
            prizes=sum(r.prizes for r in rows),
        )
        for kind, label in Lecturer.Kind.choices
        if (rows := [r for r in lecturers if r.kind == kind])
    ]
    center_count = centers.count()
    return Report(
        scope_label=scope_label,
        issuer=issuer,
        period=period,
        previous_period=before,
        sections=sections,
        total=total,
        persons=total_persons,
        previous_total=previous_total,
        previous_persons=previous_persons,
        by_year=by_year,
        by_block=by_block,
        units=units,
        lecturers=lecturers,
        lecturer_kinds=lecturer_kinds,
        partners=sorted(partner_classes.items(), key=lambda p: (-p[1], p[0])),
        center_count=center_count,
        feedback=satisfaction.build(centers, period, by_center=center_count > 1),
    )


def _lecturer_activities(centers: QuerySet, period: Period) -> dict[int, dict]:
    """Lecturer id -> the LecturerRow fields of their peer teaching,
    observations and contests in `period`, for those who have any.

    One query whatever the number of lecturers: peer teaching and
    observations are counted per lecturer and kind, contests per lecturer,
    contest and prize. The awards follow the contests' dates.
    """
    from courses.models import LecturerActivity

    kind, contest = LecturerActivity.Kind, LecturerActivity.Kind.CONTEST
    labels = {value: str(label) for value, label in LecturerActivity.Award.choices}
    rows = (
        LecturerActivity.objects.filter(
            lecturer__center__in=centers, date__range=(period.start, period.end)
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


def _sections(programmes, blocks, by_type, partners_by_type) -> list[Section]:
    """Biểu 1's rows: I. Đào tạo; II. Bồi dưỡng by block (A, B, C…); III. Nghị quyết."""
    from courses.models import ClassType

    numbers = iter(range(1, 10_000))

    def rows_of(selected):
        return [
            ProgrammeRow(
                number=next(numbers),
                code=p.code,
                name=p.name,
                block=p.block.name,
                figures=by_type[p.pk],
                partners=sorted(partners_by_type.get(p.pk, [])),
            )
            for p in selected
        ]

    def group(label, rows):
        figures = Figures()
        for row in rows:
            figures += row.figures
        return Group(label, rows, figures)

    def section(label, groups):
        figures = Figures()
        for g in groups:
            figures += g.figures
        return Section(label, groups, figures)

    ordered = sorted(programmes, key=lambda p: (p.block.order, p.order, p.name))
    sections = []
    training = [p for p in ordered if p.kind == ClassType.Kind.TRAINING]
    if training:
        sections.append(section(_("I. TRAINING"), [group("", rows_of(training))]))
    refresher_groups = []
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for block in blocks:
        selected = [
            p
            for p in ordered
            if p.kind == ClassType.Kind.REFRESHER and p.block_id == block.pk
        ]
        if selected:
            refresher_groups.append(
                group(f"{next(letters)}. {block.name}", rows_of(selected))
            )
    if refresher_groups:
        sections.append(section(_("II. REFRESHER COURSES"), refresher_groups))
    study = [p for p in ordered if p.kind == ClassType.Kind.STUDY_SESSION]
    if study:
        sections.append(
            section(_("III. RESOLUTION STUDY SESSIONS"), [group("", rows_of(study))])
        )
    return sections
