"""The rollup by sending unit, and the certified trainees of each unit.

Units are the unit each enrolment recorded at the time; `by_today` gathers
them under today's commune (`unit_names`).
"""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from courses.models import ClassType
from enrollment.models import Certificate, ClassUnitSummary
from reports.rollups.filters import (
    Filters,
    opened_classes,
    order,
    programmes,
    whose,
)
from trainingcenter.models import Organization
from trainingcenter.routers import reads_reports
from trainingcenter.templatetags.vn import vn_number


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
    # The period's classes entered as numbers only (no roster, so no unit):
    # (classes, declared enrolments), said beside the table, not in it.
    without_roster: tuple[int, int] = (0, 0)

    @property
    def without_roster_note(self) -> str:
        """What the table leaves out, in words; "" when nothing."""
        classes, enrolled = self.without_roster
        if not classes:
            return ""
        return _(
            "Not in this table: %(classes)s classes of the period entered as "
            "numbers only (%(enrolled)s enrolments), without a list of trainees, "
            "so without their units. Biểu 4 (by centre) counts them."
        ) % {"classes": vn_number(classes), "enrolled": vn_number(enrolled)}


@reads_reports
def by_unit(
    centers: QuerySet, filters: Filters, units: set[int] | None = None
) -> UnitRollup:
    """The units' rows of the period's classes: of `centers`, or for a
    committee, of its `units` at any centre (`whose`)."""
    rows = ClassUnitSummary.objects.filter(
        whose(centers, filters, units),
        start_date__range=(filters.period.start, filters.period.end),
    )
    if filters.programme:
        rows = rows.filter(training_class__class_type=filters.programme)
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
        programmes=programmes(total.by_programme),
        rows=sorted(by_name.values(), key=lambda u: (u.name == "", order(u.name))),
        total=total,
        without_roster=_without_roster(centers, filters),
    )


def _without_roster(centers: QuerySet, filters: Filters) -> tuple[int, int]:
    """The period's classes at `centers` counted by declared numbers only."""
    figures = (
        opened_classes(centers, filters)
        .counted_by_declared_numbers()
        .aggregate(classes=Count("pk"), enrolled=Sum("declared_enrolled"))
    )
    return figures["classes"], figures["enrolled"] or 0


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


def certified(
    centers: QuerySet, filters: Filters, units: set[int] | None = None
) -> QuerySet:
    """Current certificates of the period's classes, by unit then name, as
    value tuples: unit id, name, gender, programme, intake, class start,
    number, issued on, valid until. For a committee, its `units`' people at
    any centre, and no one else's (`whose`)."""
    rows = Certificate.objects.current().filter(
        whose(
            centers,
            filters,
            units,
            unit="enrollment__unit",
            center="enrollment__training_class__center",
        ),
        enrollment__training_class__in=opened_classes(None, filters),
    )
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
