"""The report as a document the director finishes, signs and issues.

Section I ("Kết quả thực hiện") is written from the figures (reports/pdf.py);
the director adds a paragraph of their own under any of its parts, and
writes the sections after it: the assessment (strengths; limitations,
shortcomings and their causes), the direction and tasks for the next period,
and proposals. The text is plain paragraphs, kept in the register's draft
(trainingcenter/documents.py) and escaped when printed.

This module only reads: it shapes the text for the PDF and the Word file,
serializes the figures that an issued report freezes, and lays out both
files once a number is known. The writes are the register's.
"""

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy as _l

from reports import pdf, scope
from reports.counting import Period
from reports.tables import Report
from trainingcenter import documents
from trainingcenter.models import Organization

KIND = documents.Kind.REPORT
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")

# The director's parts after section I, in the order they are printed.
STRENGTHS = "strengths"
LIMITATIONS = "limitations"
DIRECTIONS = "directions"
PROPOSALS = "proposals"
SECTION_LABELS = {
    STRENGTHS: _l("Strengths"),
    LIMITATIONS: _l("Limitations, shortcomings and their causes"),
    DIRECTIONS: _l("Direction and tasks for the next period"),
    PROPOSALS: _l("Recommendations and proposals"),
}
# A paragraph of the director's own under part N of section I: "note1"…
NOTE_PREFIX = "note"
NOTE_PARTS = 9


def text_names() -> list[str]:
    return [*SECTION_LABELS, *(f"{NOTE_PREFIX}{n}" for n in range(1, NOTE_PARTS + 1))]


def key(period: Period) -> str:
    """What a report is about in the register: its period (the issuer is apart)."""
    return f"report:{period.start:%Y-%m-%d}:{period.end:%Y-%m-%d}"


def issuer_of(target: scope.Scope) -> Organization:
    if target.center_id:
        return Organization.objects.get(center__pk=target.center_id)
    return Organization.objects.get(pk=target.organization_id)


def paragraphs(text: str) -> list[str]:
    """A plain text's paragraphs: one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass
class TextSection:
    """A numbered section the director wrote ("II. ĐÁNH GIÁ CHUNG")."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    # Numbered parts under it: (heading, paragraphs).
    parts: list[tuple[str, list[str]]] = field(default_factory=list)


def _next_period(period: Period) -> str:
    if period.whole_years and period.start.year == period.end.year:
        return _("year %(year)s") % {"year": period.end.year + 1}
    return _("the coming period")


def unwritten(texts: dict) -> list[str]:
    """The director's parts still empty, which the report leaves out."""
    return [
        str(label)
        for name, label in SECTION_LABELS.items()
        if not paragraphs(texts.get(name, ""))
    ]


def text_sections(period: Period, texts: dict) -> list[TextSection]:
    """Sections II and beyond, numbered after I, leaving out what is empty."""
    found = []
    assessment = [
        (str(SECTION_LABELS[name]), paragraphs(texts.get(name, "")))
        for name in (STRENGTHS, LIMITATIONS)
    ]
    assessment = [(label, lines) for label, lines in assessment if lines]
    if assessment:
        found.append(
            TextSection(
                _("GENERAL ASSESSMENT"),
                parts=[
                    (f"{n}. {label}", lines)
                    for n, (label, lines) in enumerate(assessment, start=1)
                ],
            )
        )
    if lines := paragraphs(texts.get(DIRECTIONS, "")):
        found.append(
            TextSection(
                _("DIRECTION AND TASKS FOR %(next)s")
                % {"next": _next_period(period).upper()},
                lines,
            )
        )
    if lines := paragraphs(texts.get(PROPOSALS, "")):
        found.append(TextSection(_("RECOMMENDATIONS AND PROPOSALS"), lines))
    for number, section in zip(ROMAN[1:], found, strict=False):
        section.heading = f"{number}. {section.heading}"
    return found


def with_notes(parts: list[pdf.Part], texts: dict) -> list[pdf.Part]:
    """Section I's parts, each with the director's own paragraph (`note`)."""
    for number, part in enumerate(parts, start=1):
        part.note = paragraphs(texts.get(f"{NOTE_PREFIX}{number}", ""))
    return parts


def context(
    report: Report,
    target: scope.Scope,
    *,
    today: datetime.date,
    texts: dict | None = None,
    number: str = "",
) -> dict:
    """The printed report's context (reports/pdf.py) with the director's text
    and, once issued, its number."""
    printed = pdf.context(report, target, today=today)
    printed["parts"] = with_notes(printed["parts"], texts or {})
    printed["text"] = text_sections(report.period, texts or {})
    printed["number"] = number
    return printed


def part_headings(report: Report) -> list[str]:
    """The headings of section I's parts, for the director's form."""
    return [part.heading for part in pdf.body(report, [])]


# Issuing ---------------------------------------------------------------------


def figures(report: Report) -> dict:
    """The report's data as JSON values: what an issued report freezes and
    what a later look compares (the names in its header are not data: a
    renamed centre has not changed its figures)."""
    data = dataclasses.asdict(report)
    data.pop("issuer", None)
    data.pop("scope_label", None)
    return data


def figures_digest(report: Report) -> str:
    return documents.digest_of(documents.canonical(figures(report)))


def subject(report: Report) -> str:
    with translation.override("vi"):
        return _("Results of political theory education in %(period)s") % {
            "period": report.period.label
        }


def files(
    report: Report,
    target: scope.Scope,
    *,
    today: datetime.date,
    texts: dict,
    number: str = "",
) -> documents.Rendered:
    """The PDF and the Word file of the report, from one context."""
    from reports import word

    return documents.Rendered(
        pdf=pdf.render(report, target, today=today, texts=texts, number=number),
        docx=word.render(report, target, today=today, texts=texts, number=number),
    )


def issue(report: Report, target: scope.Scope, *, today: datetime.date, by):
    """Give the report its number in the issuer's register and freeze it."""
    data = figures(report)
    return documents.issue(
        issuer_of(target),
        KIND,
        key(report.period),
        subject=subject(report),
        issued_on=today,
        signer_title=report.issuer.signer_title,
        signer_name=report.issuer.signer_name,
        frozen=documents.Frozen(
            figures=data,
            fields={
                "figures": data,
                "issuer": dataclasses.asdict(report.issuer),
                "subject": subject(report),
                "scope": report.scope_label,
            },
        ),
        render=lambda number, texts: files(
            report, target, today=today, texts=texts, number=number
        ),
        by=by,
    )


def draft_texts(target: scope.Scope, period: Period) -> dict:
    """The director's text of the report of `period`, as last saved."""
    draft = documents.draft_for(issuer_of(target), KIND, key(period))
    return draft.texts if draft else {}
