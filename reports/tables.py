"""The report's tables: what the page, its PDF and its workbook show.

Plain data, filled by reports.counting from the database and shaped here
without a query: Biểu 1 as sections of programme rows, Biểu 2's lecturers and
their totals by kind, the sending units, the issuer of the document. Every
share is rounded once, here (`share`), so that page, PDF and Excel never show
two values for one figure.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, NamedTuple

from django.utils.translation import gettext as _

from courses.models import Block, ClassType, Lecturer

if TYPE_CHECKING:
    from reports.counting import Period
    from reports.satisfaction import FeedbackTable


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
    # Classes from before the system whose number of trainees, of completed
    # or of certified is not known: the sums above add the known numbers only,
    # and the report says so instead of showing an unknown as 0.
    unknown_enrolled: int = 0
    unknown_completed: int = 0
    unknown_certified: int = 0

    def __iadd__(self, other: "Figures") -> "Figures":
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @classmethod
    def from_row(cls, row: dict) -> "Figures":
        """The figures among the values of one aggregated row (None as 0)."""
        return cls(**{k: row[k] or 0 for k in cls.__dataclass_fields__ if k in row})

    @classmethod
    def sum_of(cls, parts: Iterable) -> "Figures":
        """The sum of the `figures` of `parts` (rows, groups or sections)."""
        figures = cls()
        for part in parts:
            figures += part.figures
        return figures

    @property
    def incomplete(self) -> bool:
        """Some class of these figures does not know one of its numbers."""
        return bool(
            self.unknown_enrolled or self.unknown_completed or self.unknown_certified
        )

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
    # Biểu 2's "Thao giảng / dự giờ" and "Hội thi (giải)": the period's
    # records of each kind; `awards` has one "Giải nhì – Hội thi …" per
    # contest entered, `prizes` counts those that won something.
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
    period: "Period"
    previous_period: "Period"
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


class PlanTable(NamedTuple):
    """The annual plans of the period's years."""

    years: set[int]  # the years that have a plan
    targets: dict[int, dict]  # programme -> {"classes": n, "trainees": n}


class ProgrammeTable(NamedTuple):
    """Biểu 1 and what is drawn from it."""

    sections: list[Section]
    total: Figures
    persons: int
    by_block: list[tuple[str, int, int]]
    partners: list[tuple[str, int]]  # co-organizers and their classes


class PreviousTable(NamedTuple):
    """The period before, which the report compares with."""

    period: "Period"
    total: Figures
    persons: int


# Biểu 1 --------------------------------------------------------------------


def sections(
    programmes: Iterable[ClassType],
    blocks: list[Block],
    by_type: dict[int, Figures],
    partners_by_type: dict[int, list[str]],
) -> list[Section]:
    """Biểu 1's rows: I. Đào tạo; II. Bồi dưỡng by block (A, B, C…); III. Nghị quyết."""
    numbers = iter(range(1, 10_000))

    def group(label: str, selected: list[ClassType]) -> Group:
        rows = [
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
        return Group(label, rows, Figures.sum_of(rows))

    def section(label: str, groups: list[Group]) -> Section:
        return Section(label, groups, Figures.sum_of(groups))

    ordered = sorted(programmes, key=lambda p: (p.block.order, p.order, p.name))
    result = []
    training = [p for p in ordered if p.kind == ClassType.Kind.TRAINING]
    if training:
        result.append(section(_("I. TRAINING"), [group("", training)]))
    refresher_groups = []
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for block in blocks:
        selected = [
            p
            for p in ordered
            if p.kind == ClassType.Kind.REFRESHER and p.block_id == block.pk
        ]
        if selected:
            refresher_groups.append(group(f"{next(letters)}. {block.name}", selected))
    if refresher_groups:
        result.append(section(_("II. REFRESHER COURSES"), refresher_groups))
    study = [p for p in ordered if p.kind == ClassType.Kind.STUDY_SESSION]
    if study:
        result.append(section(_("III. RESOLUTION STUDY SESSIONS"), [group("", study)]))
    return result


def by_block(
    programmes: Iterable[ClassType], blocks: list[Block], by_type: dict[int, Figures]
) -> list[tuple[str, int, int]]:
    """(block, classes, enrolments) of every block with a class in the period."""
    return [
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


# Biểu 2 --------------------------------------------------------------------


def lecturer_kinds(lecturers: list[LecturerRow]) -> list[LecturerKindTotal]:
    """Biểu 2's total rows: full-time, then concurrent, then guests."""
    return [
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


# The lecturers' values, as `lecturer_rows` reads them.
LECTURER_FIELDS = (
    "pk",
    "full_name",
    "kind",
    "position",
    "unit__name",
    "qualifications",
    "center__name",
    "is_active",
)


def lecturer_rows(
    lecturers: Iterable[tuple], taught: dict[int, dict], activities: dict[int, dict]
) -> list[LecturerRow]:
    """Biểu 2's rows from the lecturers' values (LECTURER_FIELDS), by centre
    and name, what each taught (`taught`: sessions and periods) and their
    records (`activities`): by centre, full-time first, then concurrent, then
    guests. Inactive lecturers appear only when they did something."""
    # Plain values, labels translated once: a country has 9.000 lecturers.
    kinds = {kind: str(label) for kind, label in Lecturer.Kind.choices}
    rows = [
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
            lecturers
        )
        # Active ones, and whoever taught or has a record in the period
        # (filtered here: the ids of a country's lecturers make a slow query
        # parameter).
        if active or pk in taught or pk in activities
    ]
    kind_order = {kind: i for i, kind in enumerate(Lecturer.Kind.values)}
    rows.sort(key=lambda r: (r.center, kind_order[r.kind]))
    return rows
