"""A class's papers in the register: their state, issuing them ("Ban
hành"), a new version, and the files as they were issued.

The papers to the sending units are issued together: one click gives each
unit without an issued paper its own numbered document, in one transaction
(consecutive numbers, all or nothing). An issued paper is served from what
was stored; when the class's data has changed since, its state says so and
a new version may be issued under a new number.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from enrollment.models import ExportLog
from enrollment.paperwork import content, output
from enrollment.paperwork.wording import KINDS, OPENING_KINDS, PaperKind
from enrollment.services import privacy
from trainingcenter import documents
from trainingcenter.documents import DocumentDraft, OutgoingDocument
from trainingcenter.models import Center
from trainingcenter.privacy import Purpose
from trainingcenter.text import search_key

BODY = "body"


@dataclass
class State:
    """One kind of paper of a class, as the class page shows it."""

    kind: PaperKind
    missing: str = ""  # why it cannot be made yet
    papers: int = 0  # how many it would make (one, or one per unit)
    issued: list = field(default_factory=list)  # the latest issued, per paper
    waiting: int = 0  # papers not issued (yet, or again)
    reopened: int = 0  # issued papers opened again for a new version
    changed: int = 0  # issued papers whose data changed since
    replaced_by_other: str = ""  # the other opening paper, when issued
    without_unit: int = 0  # trainees no paper to a unit can name

    @property
    def status(self) -> str:
        if self.issued and not self.waiting:
            return "issued"
        if self.issued and self.reopened == self.waiting:
            # Issued, and a new version is being written: the issued one
            # stands until the new one is issued.
            return "revising"
        if self.replaced_by_other and not self.issued:
            return "not_made"
        return "not_made" if self.missing and not self.issued else "draft"


def _issued_by_key(training_class) -> dict[str, OutgoingDocument]:
    """The latest issued version of each of the class's papers."""
    prefix = f"class:{training_class.pk}:"
    latest = {}
    rows = (
        OutgoingDocument.objects.filter(
            issuer=training_class.center.organization, key__startswith=prefix
        )
        .defer("pdf", "docx", "fields")
        .order_by("created_at", "pk")
    )
    for row in rows:
        latest[row.key] = row
    return latest


def _reopened(training_class) -> set[str]:
    """Keys whose draft was opened again for a new version."""
    prefix = f"class:{training_class.pk}:"
    return set(
        DocumentDraft.objects.filter(
            issuer=training_class.center.organization,
            key__startswith=prefix,
            issued=None,
        ).values_list("key", flat=True)
    )


def states(training_class, roster=None, sessions=None) -> list[State]:
    """Each kind of paper of the class: how many, issued, waiting, changed
    (`roster` and `sessions` as content.facts_of takes them)."""
    facts = content.facts_of(training_class, roster, sessions)
    issued, reopened = _issued_by_key(training_class), _reopened(training_class)
    found = []
    for kind in KINDS.values():
        state = State(kind, missing=content.missing(facts, kind))
        if kind.per_unit:
            state.without_unit = sum(not e.unit_id for e in facts.enrollments)
        prefix = content.key(training_class, kind)
        of_kind = [
            d for k, d in issued.items() if k == prefix or k.startswith(prefix + ":")
        ]
        if of_kind:
            # Issued papers are compared with the data: the papers are made.
            figures = {p.key: p.figures for p in content.papers(facts, kind)}
        else:  # nothing to compare: their keys are enough to count them
            figures = dict.fromkeys(content.paper_keys(facts, kind))
        for paper_key, paper_figures in figures.items():
            state.papers += 1
            document = issued.get(paper_key)
            if document:
                state.issued.append(document)
                digest = documents.digest_of(documents.canonical(paper_figures))
                state.changed += digest != document.figures_digest
            if not document or paper_key in reopened:
                state.waiting += 1
                state.reopened += bool(document)
        if not state.papers:
            state.issued = of_kind
        found.append(state)
    by_code = {state.kind.code: state for state in found}
    for code, other in (OPENING_KINDS, OPENING_KINDS[::-1]):
        if by_code[other].issued and not by_code[code].issued:
            by_code[code].replaced_by_other = by_code[other].issued[0].number_text
    return found


def kind_of(code: str) -> PaperKind | None:
    return KINDS.get(code)


def drafts(training_class, kind: PaperKind, *, today: datetime.date):
    """The papers of the kind as drafts: (paper, PDF, .docx), no number."""
    facts = content.facts_of(training_class)
    center = training_class.center
    for paper in content.papers(facts, kind):
        text = output.body_text(center, paper)
        yield paper, output.files(center, paper, text, today=today)


@transaction.atomic
def issue(training_class, kind: PaperKind, *, today: datetime.date, by) -> list:
    """Number and freeze each paper of the kind not issued yet (or opened
    again for a new version): one document, or one per sending unit, in one
    transaction. Returns the documents issued."""
    center = training_class.center
    issuer = center.organization
    facts = content.facts_of(training_class)
    issued = _issued_by_key(training_class)
    reopened = _reopened(training_class)
    if kind.code in OPENING_KINDS:
        other = KINDS[next(c for c in OPENING_KINDS if c != kind.code)]
        if content.key(training_class, other) in issued:
            raise ValidationError(
                _("Not needed: the class was opened by no. %(number)s.")
                % {"number": issued[content.key(training_class, other)].number_text},
                code="opened",
            )
    made = []
    for paper in content.papers(facts, kind):
        if paper.key in issued and paper.key not in reopened:
            continue
        text = output.body_text(center, paper)
        documents.save_draft(issuer, kind.register_kind, paper.key, {BODY: text}, by=by)
        made.append(
            documents.issue(
                issuer,
                kind.register_kind,
                paper.key,
                subject=register_subject(kind, paper),
                issued_on=today,
                signer_title=center.director_title,
                signer_name=center.director_name,
                frozen=documents.Frozen(
                    figures=paper.figures,
                    fields={
                        **paper.figures,
                        "paper": kind.code,
                        "unit": paper.unit_name,
                    },
                ),
                render=lambda number, texts, paper=paper: output.files(
                    center, paper, texts.get(BODY, ""), today=today, number=number
                ),
                by=by,
            )
        )
    return made


@transaction.atomic
def new_version(training_class, kind: PaperKind, *, by) -> int:
    """Open every issued paper of the kind again: the next "Ban hành" gives
    each a new number; the issued ones stay as they were."""
    issuer = training_class.center.organization
    prefix = content.key(training_class, kind)
    keys = [
        key
        for key in _issued_by_key(training_class)
        if key == prefix or key.startswith(prefix + ":")
    ]
    for key in keys:
        documents.reopen(issuer, kind.register_kind, key, by=by)
    return len(keys)


def issued_documents(training_class, kind: PaperKind) -> list[OutgoingDocument]:
    """The latest issued version of each paper of the kind, with their files,
    in the order of their numbers."""
    prefix = content.key(training_class, kind)
    latest = [
        document
        for key, document in _issued_by_key(training_class).items()
        if key == prefix or key.startswith(prefix + ":")
    ]
    pks = [document.pk for document in latest]
    return list(OutgoingDocument.objects.filter(pk__in=pks).order_by("year", "number"))


FILE_NAMES = {
    "plan": "ke-hoach-mo-lop",
    "opening": "quyet-dinh-mo-lop",
    "summons": "giay-trieu-tap",
    "results": "quyet-dinh-cong-nhan-ket-qua",
    "notice": "thong-bao-ket-qua",
}


def register_subject(kind: PaperKind, paper) -> str:
    """ "Giấy triệu tập: Triệu tập học viên dự lớp … – Đảng ủy xã A"."""
    unit = f" – {paper.unit_name}" if paper.unit_name else ""
    return f"{kind.doc_type.capitalize()}: {paper.subject}{unit}"[:500]


def file_name(kind: PaperKind, extension: str, document=None, unit="") -> str:
    """ "giay-trieu-tap-so-3-2026-dang-uy-xa-a.pdf"; a draft "…-du-thao"."""
    if document is not None:
        unit = document.fields.get("unit", "")
        parts = [FILE_NAMES[kind.code], "so", str(document.number), str(document.year)]
    else:
        parts = [FILE_NAMES[kind.code], "du-thao"]
    parts.append(slugify(search_key(unit))[:60])
    return "-".join(part for part in parts if part) + f".{extension}"


def log_papers(
    *, user, center, paper_code: str, figures: list[dict], file_format, filters
):
    """The export log's line for papers naming trainees, from their figures
    (a draft's) or frozen fields (an issued document's); none for papers that
    name nobody (a plan, an opening decision)."""
    privacy.record_print(
        user=user,
        center=center,
        kind=ExportLog.Kind.PAPERS,
        purpose=Purpose.CLASS_WORK,
        file_format=file_format,
        people=sum(content.named(paper_code, f) for f in figures),
        filters=filters,
    )


def log_served_paper(sender, *, document, file_format, user, **kwargs):
    """A class paper naming trainees, downloaded from the register of
    outgoing documents, goes into the export log as from the class's page."""
    fields = OutgoingDocument.objects.values_list("fields", flat=True).get(
        pk=document.pk
    )
    if not isinstance(fields, dict) or fields.get("paper") not in content.NAMING:
        return
    log_papers(
        user=user,
        center=Center.objects.filter(organization=document.issuer_id).first(),
        paper_code=fields["paper"],
        figures=[fields],
        file_format=file_format,
        filters={"document": document.number_text},
    )
