"""What each paper of a class prints, read from the class's own data.

One `Paper` per document: its kind, its key in the register, the values of
its named fields, the list in its body (a summons' people, a notice's
results) or its annex (the timetable, the list of those recognised), its
recipients (Nơi nhận) and the figures it freezes when issued. Read with a
fixed number of queries, whatever the size of the class.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import translation

from enrollment.models import Certificate, Enrollment
from enrollment.paperwork.wording import KINDS, OPENING_KINDS, PaperKind
from trainingcenter import documents
from trainingcenter.templatetags.vn import vn_score
from trainingcenter.text import collation_key

NO_UNIT = "—"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()
    # Short codes (dates, scores, grades, numbers) that read wrong split over
    # two lines: "1/GCN-" above "TTCT". Long names and units wrap instead.
    nowrap: tuple[int, ...] = ()
    caption: str = ""  # a line above the table
    note: str = ""  # a line below it


@dataclass
class Annex:
    title: str
    table: Table
    wide: bool = True
    number: str = ""  # "I", "II" when a paper has more than one


@dataclass
class Paper:
    kind: PaperKind
    key: str
    subject: str
    values: dict[str, str]
    recipients: list[str]
    unit_id: int | None = None
    unit_name: str = ""
    table: Table | None = None
    annex: Annex | None = None
    allotment: Annex | None = None  # the numbers called per unit, annexed
    figures: dict = field(default_factory=dict)

    @property
    def annexes(self) -> list[Annex]:
        return [annex for annex in (self.annex, self.allotment) if annex]


def day(value: datetime.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def score(value) -> str:
    return vn_score(value)


@dataclass
class Facts:
    """The class as its papers need it, read once."""

    training_class: object
    enrollments: list
    sessions: list
    units: list  # (id, name) in name order, those with someone enrolled
    quotas: dict = field(default_factory=dict)  # unit id -> (name, number asked)

    def of_unit(self, unit_id) -> list:
        return [e for e in self.enrollments if e.unit_id == unit_id]

    @property
    def called_units(self) -> list:
        """(id, name) in name order: the units with someone enrolled and those
        asked for a number of people, once each."""
        found = dict(self.units)
        found.update({pk: name for pk, (name, _n) in self.quotas.items()})
        return sorted(found.items(), key=lambda unit: (collation_key(unit[1]), unit[0]))

    def called_in_all(self) -> int:
        """The class's number called: each unit's, and those enrolled without
        a unit (or from the centre itself); the number enrolled when no unit
        was asked for a number."""
        units = dict(self.called_units)
        # Those without a unit, and the centre's own people (no paper to itself).
        others = sum(e.unit_id not in units for e in self.enrollments)
        return others + sum(self.called(pk) for pk in units)

    def called(self, unit_id) -> int:
        """How many people the class calls from a unit: the number asked of
        it, or more when more are enrolled (a summons never calls fewer
        people than it names)."""
        asked = self.quotas.get(unit_id, ("", 0))[1]
        return max(asked, len(self.of_unit(unit_id)))


def held_certificates() -> Prefetch:
    """An enrolment's standing certificates, as `held`: what the papers name."""
    current = Certificate.objects.current().only("enrollment_id", "number_text")
    return Prefetch("certificates", queryset=current, to_attr="held")


def facts_of(training_class, roster=None, sessions=None) -> Facts:
    """The class's facts for its papers. A page that has read the class's
    `roster` (every enrolment, in roster order, with trainee, unit and
    `held_certificates`) and its `sessions` (with lecturer) passes them, so
    that they are not read twice."""
    if roster is None:
        roster = (
            Enrollment.objects.filter(training_class=training_class)
            .select_related("trainee", "unit")
            .prefetch_related(held_certificates())
            .order_by("trainee__sort_key", "trainee__birth_date", "pk")
        )
    enrollments = [e for e in roster if e.status != Enrollment.Status.WITHDRAWN]
    if sessions is None:
        sessions = training_class.class_sessions.select_related("lecturer")
    sessions = list(sessions)
    # The centre's own people are called in-house: no paper to itself.
    own = training_class.center.organization_id
    units = sorted(
        {
            e.unit_id: e.unit.name
            for e in enrollments
            if e.unit_id and e.unit_id != own
        }.items(),
        key=lambda unit: (collation_key(unit[1]), unit[0]),
    )
    quotas = {
        quota.organization_id: (quota.organization.name, quota.number)
        for quota in training_class.quotas.select_related("organization")
        if quota.organization_id != own
    }
    return Facts(training_class, enrollments, sessions, units, quotas)


def _names(items) -> str:
    seen = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return ", ".join(seen)


def values_of(facts: Facts, paper_kind: PaperKind) -> dict[str, str]:
    """The class-wide values of the named fields."""
    klass = facts.training_class
    center = klass.center
    passed = [e for e in facts.enrollments if e.status == Enrollment.Status.COMPLETED]
    periods = sum(s.periods for s in facts.sessions) or klass.periods or 0
    opened = opening_document(klass) if paper_kind.code == "results" else ""
    return {
        "lop": " ".join(filter(None, [klass.class_type.name, klass.intake_label])),
        "chuong_trinh": klass.class_type.name,
        "ngay_khai_giang": day(klass.start_date),
        "ngay_be_giang": day(klass.end_date),
        "dia_diem": klass.venue or center.name,
        "so_hoc_vien": str(len(facts.enrollments)),
        "so_luong": str(facts.called_in_all()),
        "so_buoi": str(len(facts.sessions) or klass.sessions or 0),
        "so_tiet": str(periods),
        "giang_vien": _names(
            s.lecturer.full_name for s in facts.sessions if s.lecturer_id
        )
        or "giảng viên của " + center.name,
        "phoi_hop": _names(co.organization.name for co in klass.co_organizers.all())
        or "các đơn vị có học viên",
        "trung_tam": center.name,
        "co_quan": center.issuing_body_name,
        "nam": str(klass.start_date.year),
        "so_dat": str(len(passed)),
        "van_bang": "bằng" if klass.award == "diploma" else "giấy chứng nhận",
        "van_ban_mo_lop": opened or f"kế hoạch công tác năm {klass.start_date.year}",
    }


def opening_document(training_class) -> str:
    """ "Kế hoạch số 5-KH/TTCT ngày 02/03/2026", once the class's plan or
    decision to open it is issued; empty before."""
    issuer = training_class.center.organization
    for code, label in zip(OPENING_KINDS, ("Kế hoạch", "Quyết định"), strict=True):
        kind = KINDS[code]
        issued = documents.latest(issuer, kind.register_kind, key(training_class, kind))
        if issued:
            return f"{label} số {issued.number_text} ngày {day(issued.issued_on)}"
    return ""


def key(training_class, paper_kind: PaperKind, unit_id: int | None = None) -> str:
    """What a paper is about in the register: the class, the kind, the unit."""
    base = f"class:{training_class.pk}:{paper_kind.code}"
    return f"{base}:{unit_id}" if unit_id else base


def superiors(training_class) -> list[str]:
    """The centre's superior and the body that ordered the class, once each."""
    found = []
    parent = training_class.center.organization.parent
    for body in (parent, training_class.ordering_body):
        if body and body.name not in found:
            found.append(body.name)
    return found


def recipients(facts: Facts, paper_kind: PaperKind) -> list[str]:
    lines = ["Như trên"] if paper_kind.per_unit else []
    above = superiors(facts.training_class)
    lines += [f"{name} (để báo cáo)" for name in above]
    units = []
    if paper_kind.code in OPENING_KINDS:
        units = facts.called_units
    elif not paper_kind.per_unit:
        units = facts.units
    # A superior that also sent people is named once, "để báo cáo".
    lines += [name for _id, name in units if name not in above]
    lines = [f"- {line}," for line in lines]
    return [*lines, "- Lưu VT."]


def timetable(facts: Facts) -> Table:
    with translation.override("vi"):
        rows = [
            [
                str(number),
                day(s.date),
                str(s.get_part_display()),
                s.topic,
                s.lecturer.full_name if s.lecturer_id else "",
                str(s.periods),
            ]
            for number, s in enumerate(facts.sessions, start=1)
        ]
    total = sum(s.periods for s in facts.sessions)
    rows.append(["", "", "", "Tổng cộng", "", str(total)])
    headers = ["STT", "Ngày", "Buổi", "Chuyên đề", "Giảng viên", "Số tiết"]
    return Table(headers, rows, numeric=(0, 5), nowrap=(1,))


def recognised(facts: Facts) -> Table:
    rows = []
    passed = [e for e in facts.enrollments if e.status == Enrollment.Status.COMPLETED]
    for number, enrollment in enumerate(passed, start=1):
        held = enrollment.held[0].number_text if enrollment.held else ""
        rows.append(
            [
                str(number),
                enrollment.trainee.full_name,
                enrollment.trainee.birth_display,
                enrollment.unit.name if enrollment.unit_id else NO_UNIT,
                score(enrollment.score),
                enrollment.grade,
                held,
            ]
        )
    headers = ["STT", "Họ và tên", "Ngày sinh", "Đơn vị", "Điểm", "Xếp loại", "Số GCN"]
    return Table(headers, rows, numeric=(0, 4), nowrap=(2, 4, 5, 6))


def allotted(facts: Facts) -> Table:
    """Each unit called and its number, in name order, and their total."""
    rows = [
        [str(n), name, str(facts.called(pk))]
        for n, (pk, name) in enumerate(facts.called_units, start=1)
    ]
    total = sum(facts.called(pk) for pk, _name in facts.called_units)
    rows.append(["", "Tổng cộng", str(total)])
    return Table(["STT", "Đơn vị", "Số lượng triệu tập"], rows, numeric=(0, 2))


def people(enrollments) -> Table:
    rows = [
        [str(n), e.trainee.full_name, e.trainee.birth_display, e.trainee.position]
        for n, e in enumerate(enrollments, start=1)
    ]
    headers = ["STT", "Họ và tên", "Ngày sinh", "Chức vụ"]
    return Table(headers, rows, numeric=(0,), nowrap=(2,))


def with_results(enrollments) -> list:
    """The enrolments a results paper lists: those with an outcome."""
    return [e for e in enrollments if e.status != Enrollment.Status.ENROLLED]


def results(enrollments) -> Table:
    done = with_results(enrollments)
    rows = [
        [str(n), e.trainee.full_name, e.trainee.birth_display, score(e.score), e.grade]
        for n, e in enumerate(done, start=1)
    ]
    headers = ["STT", "Họ và tên", "Ngày sinh", "Điểm", "Xếp loại"]
    return Table(headers, rows, numeric=(0, 3), nowrap=(2, 3, 4))


SUBJECTS = {
    "plan": "Mở lớp {lop}",
    "opening": "Về việc mở lớp {lop}",
    "summons": "Triệu tập học viên dự lớp {lop}",
    "results": "Công nhận kết quả học tập và cấp {van_bang} lớp {lop}",
    "notice": "Kết quả học tập lớp {lop}",
}


def missing(facts: Facts, paper_kind: PaperKind) -> str:
    """Why the paper cannot be made yet, or an empty string."""
    from django.utils.translation import gettext as _

    code = paper_kind.code
    if code in OPENING_KINDS and not facts.sessions:
        return _("Add the class's sessions first: the timetable is its annex.")
    if code == "summons" and not facts.called_units:
        if facts.enrollments and all(e.unit_id for e in facts.enrollments):
            return _("Not needed: every trainee is the centre's own, called in-house.")
        return _(
            "Enrol the trainees with their units, or set the number called "
            "per unit, first."
        )
    outcome = [e for e in facts.enrollments if e.status != Enrollment.Status.ENROLLED]
    if code == "results" and not any(
        e.status == Enrollment.Status.COMPLETED for e in outcome
    ):
        return _("Enter the results first: nobody has passed yet.")
    units = {unit_id for unit_id, _name in facts.units}
    if code == "notice" and not any(e.unit_id in units for e in outcome):
        if outcome and not units:
            return _("Not needed: no trainee was sent by another unit.")
        return _("Enter the results first.")
    return ""


def papers(facts: Facts, paper_kind: PaperKind) -> list[Paper]:
    """The paper of this kind, or one per sending unit; none while `missing`."""
    if missing(facts, paper_kind):
        return []
    values = values_of(facts, paper_kind)
    subject = SUBJECTS[paper_kind.code].format(
        lop=values["lop"], van_bang=values["van_bang"]
    )
    if not paper_kind.per_unit:
        annex = allotment = None
        if paper_kind.code in OPENING_KINDS:
            annex = Annex("LỊCH HỌC", timetable(facts))
            if facts.quotas:
                annex.number = "I"
                title = "PHÂN BỔ SỐ LƯỢNG TRIỆU TẬP"
                allotment = Annex(title, allotted(facts), wide=False, number="II")
        elif paper_kind.code == "results":
            title = "DANH SÁCH HỌC VIÊN ĐƯỢC CÔNG NHẬN KẾT QUẢ HỌC TẬP"
            annex = Annex(title, recognised(facts))
        paper = Paper(
            paper_kind,
            key(facts.training_class, paper_kind),
            subject,
            values,
            recipients(facts, paper_kind),
            annex=annex,
            allotment=allotment,
        )
        return [frozen(paper)]
    return [
        frozen(unit_paper(facts, paper_kind, values, subject, unit_id, unit_name))
        for unit_id, unit_name in _paper_units(facts, paper_kind)
    ]


def paper_keys(facts: Facts, paper_kind: PaperKind) -> list[str]:
    """The keys of the papers `papers` makes, without making them (the class
    page counts the papers of a kind none of which is issued yet)."""
    if missing(facts, paper_kind):
        return []
    if not paper_kind.per_unit:
        return [key(facts.training_class, paper_kind)]
    return [
        key(facts.training_class, paper_kind, unit_id)
        for unit_id, _name in _paper_units(facts, paper_kind)
    ]


def _paper_units(facts: Facts, paper_kind: PaperKind) -> list:
    """(id, name) of the units a per-unit paper goes to: every unit called
    for a summons; for the others, the units with someone to list."""
    if paper_kind.code == "summons":
        return facts.called_units
    return [
        (unit_id, name)
        for unit_id, name in facts.units
        if with_results(facts.of_unit(unit_id))
    ]


def unit_paper(facts, paper_kind, values, subject, unit_id, unit_name):
    """The paper to one sending unit (one of `_paper_units`)."""
    enrollments = facts.of_unit(unit_id)
    if paper_kind.code == "summons":
        table = summons_list(facts, unit_id, values) if enrollments else None
        named = len(enrollments)
    else:
        table = results(enrollments)
        named = len(table.rows)
    called = facts.called(unit_id)
    unit_values = {
        **values,
        "don_vi": unit_name,
        # A summons to a unit nobody of which is named yet asks for its number.
        "so_hoc_vien": str(named or called),
        "so_luong": str(called),
        "so_dat": str(sum(e.status == "completed" for e in enrollments)),
    }
    return Paper(
        paper_kind,
        key(facts.training_class, paper_kind, unit_id),
        subject,
        unit_values,
        recipients(facts, paper_kind),
        unit_id=unit_id,
        unit_name=unit_name,
        table=table,
    )


def summons_list(facts: Facts, unit_id, values) -> Table:
    """The unit's people, and, when fewer are named than asked, how many
    more the unit is to send."""
    table = people(facts.of_unit(unit_id))
    table.caption = "Danh sách các đồng chí được triệu tập:"
    short = facts.called(unit_id) - len(table.rows)
    if short > 0:
        table.note = (
            f"Đề nghị đơn vị cử thêm {short} đồng chí, gửi danh sách về "
            f"{values['trung_tam']} trước ngày {values['ngay_khai_giang']}."
        )
    return table


# The papers that name trainees: a list per unit, or the annex of those
# recognised. (A plan's or an opening decision's annexes are the timetable
# and the numbers per unit.)
NAMING = ("summons", "results", "notice")


def named(paper_code: str, figures: dict) -> int:
    """How many trainees a paper names, from its figures (a draft's) or its
    frozen fields (an issued document's)."""
    if paper_code not in NAMING:
        return 0
    return len(figures.get("table") or []) + len(figures.get("annex") or [])


def frozen(paper: Paper) -> Paper:
    """The figures an issued paper keeps and a later look compares: every
    value it prints from the data (not the wording, not the date)."""
    used = {
        name: paper.values[name] for name in paper.kind.fields if name in paper.values
    }
    paper.figures = {
        "values": used,
        "subject": paper.subject,
        "recipients": paper.recipients,
        "table": paper.table.rows if paper.table else [],
        "annex": paper.annex.table.rows if paper.annex else [],
    }
    if paper.allotment:
        paper.figures["allotment"] = paper.allotment.table.rows
    return paper
