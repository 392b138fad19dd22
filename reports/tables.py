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

from courses.models import Block, ClassType
from reports import notes
from trainingcenter.percent import ungraded_shares

if TYPE_CHECKING:
    from reports.counting import Period
    from reports.satisfaction import FeedbackTable
    from reports.terms import YearTable


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


# Biểu 1's grade columns, best first.
GRADES = ("excellent", "good", "average", "failed")


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
    # Their passes: with the grades, the whole a grade's share divides (a class
    # from before the system declares how many passed, not their grades).
    listed_passed: int = 0
    target_classes: int = 0
    target_trainees: int = 0
    # Classes from before the system whose number of trainees, of completed
    # or of certified is not known: the sums above add the known numbers only,
    # and the report says so instead of showing an unknown as 0.
    unknown_enrolled: int = 0
    unknown_completed: int = 0
    unknown_certified: int = 0
    # Classes from before the system that record how many were called to
    # them ("triệu tập") and how many attended (co-organised summer courses
    # report "1.546/1.607 tham dự"): the classes that know both, and their sums.
    called_classes: int = 0
    called: int = 0
    called_attended: int = 0

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
    def unlisted(self) -> int:
        """Enrolments of classes with declared numbers only: no women or
        minorities are known among them."""
        return max(self.enrolled - self.listed, 0)

    @property
    def without_list(self) -> bool:
        """Some class here has no list (even of unknown size): its women and
        minorities are not known."""
        return bool(self.unlisted or self.unknown_enrolled)

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
    def called_share(self) -> Decimal | None:
        """Of those called to the classes that know both numbers, who attended."""
        return share(self.called_attended, self.called)

    @property
    def women_share(self) -> Decimal | None:
        return share(self.women, self.listed)

    @property
    def minorities_share(self) -> Decimal | None:
        return share(self.minorities, self.listed)

    @property
    def graded(self) -> int:
        return self.excellent + self.good + self.average + self.failed

    @property
    def ungraded(self) -> int:
        """Passes without a grade in classes with a roster: programmes assessed
        only Đạt / Không đạt."""
        return max(self.listed_passed - self.excellent - self.good - self.average, 0)

    @property
    def assessed(self) -> int:
        """Everyone whose result is recorded, graded or not: the grades' whole."""
        return self.graded + self.ungraded

    def grade_share(self, name: str) -> Decimal | None:
        return self.grade_shares().get(name)

    def grade_shares(self) -> dict[str, Decimal | None]:
        """Each grade's share of the assessed, one decimal of a percent, adding
        up to 100,0% when every pass has a grade (trainingcenter.percent: half
        up, then largest remainder); none while nobody is graded or failed."""
        grades = {name: getattr(self, name) for name in GRADES}
        if not self.graded:
            return dict.fromkeys(GRADES)
        return ungraded_shares(grades, self.ungraded)


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
    # Part IV: the classes outside the plan, apart from parts I–III.
    outside: bool = False


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
    # The classes counted in the plan and those outside it (Biểu 1's part IV).
    in_plan: Figures = field(default_factory=Figures)
    outside: Figures = field(default_factory=Figures)
    # A period of several years: classes and enrolments per year (term reviews).
    years: "YearTable | None" = None
    # The years of the period that have a plan (what % of plan compares).
    plan_years: frozenset[int] = frozenset()

    @property
    def block_rule(self) -> str:
        return notes.block_rule()

    @property
    def plan_is_annual(self) -> bool:
        """The period is shorter than the year its plan is set for."""
        return not self.period.whole_years

    @property
    def previous_label(self) -> str:
        return notes.previous_label(self)

    @property
    def plan_years_partial(self) -> list[int]:
        return notes.plan_years_partial(self)

    @property
    def plan_rule(self) -> str:
        return notes.plan_rule(self)

    @property
    def unlisted_rule(self) -> str:
        return notes.unlisted_rule(self)

    @property
    def grade_rule(self) -> str:
        return notes.grade_rule(self)

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
    """The annual plans of the period's years, at their three levels."""

    years: set[int]  # the years that have a plan
    targets: dict[int, dict]  # programme -> {"classes": n, "trainees": n}
    # Targets set for a whole block, and for the whole centre(s); 0: none.
    block_targets: dict[int, dict] = {}
    total_target: dict | None = None

    @staticmethod
    def apply(figures: Figures, target: dict) -> None:
        """Compare `figures` with the level's own target where it has one
        (classes and trainees separately), else with the sum below it."""
        if target["classes"]:
            figures.target_classes = target["classes"]
        if target["trainees"]:
            figures.target_trainees = target["trainees"]


class ProgrammeTable(NamedTuple):
    """Biểu 1 and what is drawn from it."""

    sections: list[Section]
    total: Figures
    in_plan: Figures
    outside: Figures
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
    *,
    plan: "PlanTable | None" = None,
    outside: dict[int, Figures] | None = None,
    outside_partners: dict[int, list[str]] | None = None,
) -> list[Section]:
    """Biểu 1's rows: I. Đào tạo; II. Bồi dưỡng by block (A, B, C…); III. Nghị
    quyết, all of classes counted in the plan; IV. the classes outside the plan
    by programme. A block with a target of its own is compared with it."""
    numbers = iter(range(1, 10_000))
    outside = outside or {}

    def group(label, selected, figures, partners, block_id=None) -> Group:
        rows = [
            ProgrammeRow(
                number=next(numbers),
                code=p.code,
                name=p.name,
                block=p.block.name,
                figures=figures[p.pk],
                partners=sorted(partners.get(p.pk, [])),
            )
            for p in selected
        ]
        result = Group(label, rows, Figures.sum_of(rows))
        if plan is not None and block_id in plan.block_targets:
            plan.apply(result.figures, plan.block_targets[block_id])
        return result

    def section(label: str, groups: list[Group], apart: bool = False) -> Section:
        return Section(label, groups, Figures.sum_of(groups), apart)

    ordered = sorted(programmes, key=lambda p: (p.block.order, p.order, p.name))
    inside = [p for p in ordered if p.pk in by_type]
    result = []
    training = [p for p in inside if p.kind == ClassType.Kind.TRAINING]
    if training:
        result.append(
            section(
                _("I. TRAINING"),
                [group("", training, by_type, partners_by_type)],
            )
        )
    refresher_groups = []
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for block in blocks:
        selected = [
            p
            for p in inside
            if p.kind == ClassType.Kind.REFRESHER and p.block_id == block.pk
        ]
        if selected or (plan is not None and block.pk in plan.block_targets):
            label = f"{next(letters)}. {block.name}"
            refresher_groups.append(
                group(label, selected, by_type, partners_by_type, block.pk)
            )
    if refresher_groups:
        result.append(section(_("II. REFRESHER COURSES"), refresher_groups))
    study = [p for p in inside if p.kind == ClassType.Kind.STUDY_SESSION]
    if study:
        result.append(
            section(
                _("III. RESOLUTION STUDY SESSIONS"),
                [group("", study, by_type, partners_by_type)],
            )
        )
    apart = [p for p in ordered if p.pk in outside]
    if apart:
        label = _("IV. CLASSES OUTSIDE THE PLAN")
        rows = group("", apart, outside, outside_partners or {})
        result.append(section(label, [rows], apart=True))
    return result


def by_block(report_sections: list[Section]) -> list[tuple[str, int, int]]:
    """(block, classes, enrolments) of every block with a class in the period.

    The one definition of a block's figures, the same in Biểu 1, the chart
    and the text: the refresher courses (bồi dưỡng) of the block's
    programmes counted in the plan. Training (đào tạo), resolution study
    sessions and classes outside the plan are reported apart (BLOCK_RULE).
    """
    refresher = [s for s in report_sections if s.label == _("II. REFRESHER COURSES")]
    return [
        (group.label.split(". ", 1)[-1], group.figures.classes, group.figures.enrolled)
        for section in refresher
        for group in section.groups
        if group.figures.classes
    ]
