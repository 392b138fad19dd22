"""Rollups for the party committees (issue 7): what a committee downloads.

Four tables over the centres a committee oversees (reports.scope):
- by sending unit: classes attended, trainees sent, passed and certified, per
  programme and in total (ClassUnitSummary rows, added up in the database);
- the certified trainees of each unit (one row per current certificate);
- by centre (Biểu 4 of DOMAIN.md): classes, enrolments, % of plan, and
  enrolments per programme (ClassSummary rows, with counting's own sums);
- the admission pipeline, as of a day: non-members whose admission-file
  certificate still counts, and probationary members with the date their
  probation ends and whether they have finished the new-member course.

Units are the unit each enrolment recorded at the time, so a period before a
merger shows the names they had then; `by_today` gathers them under today's
commune by the parent and successor links (DOMAIN.md section 6).
Nothing here writes; every query is limited to the scope's centres.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from courses.models import AnnualPlan, ClassType, TrainingClass
from enrollment.models import Certificate, ClassUnitSummary, Enrollment, Trainee
from reports import counting, tables
from trainingcenter.dates import add_months
from trainingcenter.models import Organization
from trainingcenter.routers import reads_reports
from trainingcenter.text import collation_key

# A probationer still without the new-member course is flagged this many days
# before the 12 months of probation end (and after).
PROBATION_MONTHS = 12
PROBATION_WARNING_DAYS = 60


@dataclass
class Filters:
    period: counting.Period
    programme: ClassType | None = None
    unit: Organization | None = None
    by_today: bool = False


@dataclass
class Cells:
    classes: int = 0
    sent: int = 0
    passed: int = 0
    certified: int = 0

    def __iadd__(self, other: "Cells") -> "Cells":
        self.classes += other.classes
        self.sent += other.sent
        self.passed += other.passed
        self.certified += other.certified
        return self


@dataclass
class UnitRow:
    name: str
    total: Cells = field(default_factory=Cells)
    by_programme: dict[int, Cells] = field(default_factory=dict)

    def cells(self, programmes) -> list[Cells]:
        return [self.by_programme.get(p.pk, Cells()) for p in programmes]


@dataclass
class UnitRollup:
    programmes: list[ClassType]
    rows: list[UnitRow]
    total: UnitRow


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


@dataclass
class Candidate:
    """A non-member whose admission-file certificate still counts."""

    name: str
    unit: str
    center: str
    programme: str
    number: str
    issued_on: datetime.date
    valid_until: datetime.date | None
    expires_soon: bool


@dataclass
class Probationer:
    name: str
    unit: str
    center: str
    admission_date: datetime.date | None
    probation_ends: datetime.date | None
    finished_on: datetime.date | None
    flagged: bool


@dataclass
class Pipeline:
    """The pipeline as of `today`: how many of each, and the rows asked for
    (all of them, or the first few for a page)."""

    today: datetime.date
    candidates: list[Candidate]
    probationers: list[Probationer]
    candidate_count: int
    probationer_count: int
    flagged: int


def opened_classes(centers: QuerySet, filters: Filters) -> QuerySet:
    classes = TrainingClass.objects.filter(center__in=centers).opened_between(
        filters.period.start, filters.period.end
    )
    if filters.programme:
        classes = classes.filter(class_type=filters.programme)
    return classes


def _unit_ids(filters: Filters) -> list[int] | None:
    if filters.unit is None:
        return None
    return Organization.objects.subtree_ids([filters.unit.pk])


def _programmes(ids) -> list[ClassType]:
    return list(
        ClassType.objects.filter(pk__in=ids)
        .select_related("block")
        .order_by("block__order", "order", "name", "pk")
    )


# By sending unit -----------------------------------------------------------


@reads_reports
def by_unit(centers: QuerySet, filters: Filters) -> UnitRollup:
    rows = ClassUnitSummary.objects.filter(
        center__in=centers,
        start_date__range=(filters.period.start, filters.period.end),
    )
    if filters.programme:
        rows = rows.filter(training_class__class_type=filters.programme)
    units = _unit_ids(filters)
    if units is not None:
        rows = rows.filter(unit_id__in=units)
    grouped = list(
        rows.order_by()
        .values("unit", "training_class__class_type")
        .annotate(
            classes=Count("pk"),
            sent=Sum("enrolled"),
            passed=Sum("passed"),
            certified=Sum("certified"),
        )
    )
    names = unit_names({row["unit"] for row in grouped}, filters.by_today)
    by_name: dict[tuple, UnitRow] = {}
    total = UnitRow(name="")
    for row in grouped:
        key, name = names.get(row["unit"], (None, ""))
        unit = by_name.setdefault(key, UnitRow(name=name))
        cells = Cells(row["classes"], row["sent"], row["passed"], row["certified"])
        programme = row["training_class__class_type"]
        for target in (unit, total):
            target.by_programme.setdefault(programme, Cells())
            target.by_programme[programme] += cells
            target.total += cells
    # A class counts once in a row that gathers several units, and once in
    # the totals, however many units it drew from.
    if filters.by_today:
        _count_classes_once(rows, names, by_name)
    total.total.classes = 0
    for programme, classes in (
        rows.order_by()
        .values_list("training_class__class_type")
        .annotate(n=Count("training_class", distinct=True))
    ):
        total.by_programme[programme].classes = classes
        total.total.classes += classes
    return UnitRollup(
        programmes=_programmes(total.by_programme),
        rows=sorted(by_name.values(), key=lambda u: (u.name == "", _order(u.name))),
        total=total,
    )


def _count_classes_once(rows: QuerySet, names: dict, by_name: dict) -> None:
    classes: dict[tuple, set] = {}
    for unit, class_id, programme in rows.order_by().values_list(
        "unit", "training_class", "training_class__class_type"
    ):
        key = names.get(unit, (None, ""))[0]
        classes.setdefault((key, programme), set()).add(class_id)
    for key, row in by_name.items():
        row.total.classes = 0
        for programme, cells in row.by_programme.items():
            cells.classes = len(classes.get((key, programme), ()))
            row.total.classes += cells.classes


def _order(name: str) -> str:
    return collation_key(name)


def unit_names(unit_ids, by_today: bool) -> dict[int | None, tuple]:
    """Each unit id -> (the key its row is grouped by, the name the row shows).

    As recorded, a unit is its own row under the name it has in the tree
    (a merged commune keeps its old name and gets a closing date). By today,
    a unit is counted under the party committee of the commune (before July
    2025, the district) it lies in, or that committee's successor after a
    merger (the first, when it was split), followed to the one that exists
    today. A unit under no such committee stays itself.
    """
    ids = {pk for pk in unit_ids if pk}
    names: dict[int | None, tuple] = {None: (None, "")}
    if not by_today:
        for pk, name in Organization.objects.filter(pk__in=ids).values_list(
            "pk", "name"
        ):
            names[pk] = (pk, name)
        return names
    tree = _load_tree(ids)
    for pk in ids:
        node = pk
        while node in tree and not _is_commune(tree[node]):
            parent = tree[node]["parent_id"]
            if parent is None:
                node = pk  # no commune above it: the unit itself
                break
            node = parent
        node = _today(node, tree)
        names[pk] = (node, tree[node]["name"] if node in tree else "")
    return names


COMMUNE_LEVELS = {Organization.Level.COMMUNE, Organization.Level.DISTRICT}


def _is_commune(node: dict) -> bool:
    """A commune's (or, before July 2025, a district's) party committee: the
    body a unit is counted under by today's communes."""
    return (
        node["level"] in COMMUNE_LEVELS
        and node["kind"] == Organization.Kind.PARTY_COMMITTEE
    )


def _load_tree(ids: set[int]) -> dict[int, dict]:
    """The units, their ancestors and their successors' chains, a level a query."""
    tree: dict[int, dict] = {}
    wanted = set(ids)
    through = Organization.successors.through
    while wanted:
        rows = Organization.objects.filter(pk__in=wanted).values(
            "pk", "name", "kind", "level", "parent_id", "valid_to"
        )
        for row in rows:
            row["successors"] = []
            tree[row["pk"]] = row
        closed = [pk for pk in wanted if pk in tree and tree[pk]["valid_to"]]
        for source, target in (
            through.objects.filter(from_organization_id__in=closed)
            .order_by("to_organization_id")
            .values_list("from_organization_id", "to_organization_id")
        ):
            tree[source]["successors"].append(target)
        wanted = {
            pk
            for node in (tree[pk] for pk in wanted if pk in tree)
            for pk in [node["parent_id"], *node["successors"]]
            if pk and pk not in tree
        }
    return tree


def _today(node: int, tree: dict) -> int:
    seen = set()
    while node in tree and tree[node]["successors"] and node not in seen:
        seen.add(node)
        node = tree[node]["successors"][0]
    return node


# The certified trainees of each unit --------------------------------------


def certified(centers: QuerySet, filters: Filters) -> QuerySet:
    """Current certificates of the period's classes, by unit then name, as
    value tuples: unit id, name, gender, programme, intake, class start,
    number, issued on, valid until."""
    rows = Certificate.objects.current().filter(
        enrollment__training_class__in=opened_classes(centers, filters)
    )
    units = _unit_ids(filters)
    if units is not None:
        rows = rows.filter(enrollment__unit_id__in=units)
    return rows.order_by(
        "enrollment__unit__name_order",
        "enrollment__unit_id",
        "enrollment__trainee__sort_key",
        "pk",
    ).values_list(
        "enrollment__unit_id",
        "enrollment__trainee__full_name",
        "enrollment__trainee__gender",
        "enrollment__training_class__class_type__name",
        "enrollment__training_class__intake_label",
        "enrollment__training_class__start_date",
        "number_text",
        "issued_on",
        "valid_until",
    )


# By centre (Biểu 4) ---------------------------------------------------------


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
    ordered = sorted(rows.values(), key=lambda r: _order(r.name))
    return CenterRollup(
        programmes=_programmes(total.by_programme), rows=ordered, total=total
    )


# The admission pipeline -----------------------------------------------------


def admitted_by(ends_by: datetime.date) -> datetime.date:
    """The last admission date whose probation ends by `ends_by` (months
    clamp to their last day, so a few admission dates can share an end)."""
    day, one = add_months(ends_by, -PROBATION_MONTHS), datetime.timedelta(1)
    while add_months(day + one, PROBATION_MONTHS) <= ends_by:
        day += one
    return day


@reads_reports
def pipeline(
    centers: QuerySet, filters: Filters, today: datetime.date, limit: int | None = None
) -> Pipeline:
    """As of `today`: who may join the Party with a certificate that still
    counts, and which probationers still lack the new-member course.

    With `limit`, only the first `limit` rows of each list are read (a page);
    the counts are counted in the database either way, so a province's page
    does not read its tens of thousands of probationers to show 200."""
    units = _unit_ids(filters)
    trainees = Trainee.objects.filter(center__in=centers)
    if units is not None:
        trainees = trainees.filter(unit_id__in=units)
    warn_until = today + datetime.timedelta(PROBATION_WARNING_DAYS)

    admission = ClassType.objects.filter(
        eligible_party_status=Trainee.PartyStatus.NON_MEMBER,
        award_validity_months__isnull=False,
    )
    certificates = (
        Certificate.objects.current()
        .filter(
            enrollment__trainee__in=trainees.filter(
                party_status=Trainee.PartyStatus.NON_MEMBER
            ),
            enrollment__training_class__class_type__in=admission,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    )
    candidate_rows = certificates.order_by(
        "valid_until", "enrollment__trainee__sort_key", "pk"
    ).values_list(
        "enrollment__trainee__full_name",
        "enrollment__trainee__unit__name",
        "enrollment__trainee__center__name",
        "enrollment__training_class__class_type__name",
        "number_text",
        "issued_on",
        "valid_until",
    )
    candidates = [
        Candidate(
            name=name,
            unit=unit or "",
            center=center,
            programme=programme,
            number=number,
            issued_on=issued_on,
            valid_until=valid_until,
            expires_soon=bool(valid_until and valid_until <= warn_until),
        )
        for name, unit, center, programme, number, issued_on, valid_until in (
            candidate_rows if limit is None else candidate_rows[:limit]
        )
    ]

    new_member_course = Enrollment.objects.filter(
        trainee=OuterRef("pk"),
        status=Enrollment.Status.COMPLETED,
        training_class__class_type__eligible_party_status=(
            Trainee.PartyStatus.PROBATIONARY
        ),
    )
    probationary = trainees.filter(party_status=Trainee.PartyStatus.PROBATIONARY)
    probationer_rows = (
        probationary.annotate(
            finished=new_member_course.order_by("-training_class__end_date").values(
                "training_class__end_date"
            )[:1],
        )
        .order_by("admission_date", "sort_key", "pk")
        .values_list(
            "full_name", "unit__name", "center__name", "admission_date", "finished"
        )
    )
    probationers = []
    for name, unit, center, admitted, finished in (
        probationer_rows if limit is None else probationer_rows[:limit]
    ):
        ends = add_months(admitted, PROBATION_MONTHS) if admitted else None
        probationers.append(
            Probationer(
                name=name,
                unit=unit or "",
                center=center,
                admission_date=admitted,
                probation_ends=ends,
                finished_on=finished,
                flagged=bool(ends and not finished and ends <= warn_until),
            )
        )

    if limit is None:
        candidate_count, probationer_count = len(candidates), len(probationers)
        flagged = sum(1 for p in probationers if p.flagged)
    else:
        candidate_count = certificates.count()
        probationer_count = probationary.count()
        # A query of its own, so that PostgreSQL can answer NOT EXISTS with
        # one anti-join instead of a subquery per probationer.
        flagged = (
            probationary.filter(admission_date__lte=admitted_by(warn_until))
            .exclude(Exists(new_member_course))
            .count()
        )
    return Pipeline(
        today=today,
        candidates=candidates,
        probationers=probationers,
        candidate_count=candidate_count,
        probationer_count=probationer_count,
        flagged=flagged,
    )
