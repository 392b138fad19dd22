"""The register of outgoing documents: numbered, frozen, never changed.

Every document an issuer (a centre's organization, or a committee) sends out
takes the next number of its kind in its period: "Số 12-BC/TTCT" is the
twelfth report (BC) of the period of the issuer abbreviated TTCT. The period
is a setting of the issuer's register (`DocumentRegister`): the calendar year,
or the committee's term (nhiệm kỳ) from the date it began, as the rules on
party documents number the documents of a committee and of the bodies it set
up (docs/architecture.md, "Register of outgoing documents"). Numbers come
from a django-sequences counter per issuer, kind and period, taken inside the
issuing transaction (row locks on PostgreSQL), as certificate numbers are:
never reused, never skipped, also when two people issue at once. A change of
the setting starts a new period only after every document already issued,
and a period once used keeps its counter, so no number is given twice.

Issuing freezes the document: the fields it printed (figures and text), the
PDF and the Word file, a digest of the fields and PDF, and a digest of the
figures alone, which a later look compares with the figures of today to say
that the data changed since issue. A change never touches an issued
document; a new version is issued under a new number and points back.

A document is written in a draft first (`DocumentDraft`: the author's text,
plain paragraphs), editable until it is issued.
"""

import datetime
import hashlib
import json
from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _, gettext_lazy as _l
from sequences import get_last_value, get_next_value

from trainingcenter.models import Organization
from trainingcenter.numbering import (  # noqa: F401 (the register's names)
    DocumentRegister,
    Period,
    locked_register,
    period_label,
    register_of,
    term_key,
    today,
    wait_for_other_issuers,
)

# What a centre's abbreviation is when its organization has none.
CENTER_ABBREVIATION = "TTCT"
TEXT_MAX_CHARS = 20_000


class Kind(models.TextChoices):
    """The kinds of document and their symbols in the number."""

    REPORT = "BC", _l("report")
    PLAN = "KH", _l("plan")
    DECISION = "QĐ", _l("decision")
    SUMMONS = "GTT", _l("summons")
    NOTICE = "TB", _l("notice")


class OutgoingDocument(models.Model):
    """One numbered document as it was issued."""

    Kind = Kind

    issuer = models.ForeignKey(
        Organization,
        models.PROTECT,
        related_name="outgoing_documents",
        verbose_name=_l("issuer"),
    )
    kind = models.CharField(_l("kind"), max_length=4, choices=Kind)
    # The year of issue; `period` is what the number counts through (the
    # year again, or a term: DocumentRegister.period_key).
    year = models.PositiveSmallIntegerField(_l("year"))
    period = models.CharField(_l("numbering period"), max_length=20, db_index=True)
    number = models.PositiveIntegerField(_l("number"))
    number_text = models.CharField(_l("number"), max_length=60)
    # What the document is about, the same for every version of it (a
    # report's "report:2026-01-01:2026-12-31").
    key = models.CharField(max_length=100, db_index=True)
    subject = models.CharField(_l("subject"), max_length=500)
    issued_on = models.DateField(_l("issued on"))
    signer_title = models.CharField(_l("signer's title"), max_length=120)
    signer_name = models.CharField(_l("signer's name"), max_length=120)
    fields = models.JSONField(_l("printed fields"))
    figures_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    pdf = models.BinaryField()
    docx = models.BinaryField()
    replaces = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_l("replaces"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _l("outgoing document")
        verbose_name_plural = _l("outgoing documents")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "kind", "period", "number"],
                name="one_number_per_issuer_kind_period",
            )
        ]

    def __str__(self):
        return self.number_text

    def save(self, *args, **kwargs):
        if not self.period:  # numbered per year unless told otherwise
            self.period = str(self.year)
        super().save(*args, **kwargs)

    @property
    def period_label(self) -> str:
        return period_label(self.period)


class DocumentDraft(models.Model):
    """The author's text of a document not issued yet: plain paragraphs by
    part (`texts`: part name -> text). Locked once issued (`issued`)."""

    issuer = models.ForeignKey(
        Organization, models.PROTECT, related_name="+", verbose_name=_l("issuer")
    )
    kind = models.CharField(_l("kind"), max_length=4, choices=Kind)
    key = models.CharField(max_length=100)
    texts = models.JSONField(default=dict)
    issued = models.ForeignKey(
        OutgoingDocument, models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _l("document draft")
        verbose_name_plural = _l("document drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "kind", "key"], name="one_draft_per_document"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.key}"


# Numbers ---------------------------------------------------------------------


def counter_name(issuer_id: int, kind: str, period: str | int) -> str:
    """The django-sequences counter an issuer's documents of a kind and period
    use ("document:7:BC:2026", "document:7:BC:term-2025-10-16")."""
    return f"document:{issuer_id}:{kind}:{period}"


def last_issued_on(issuer: Organization) -> datetime.date | None:
    return (
        OutgoingDocument.objects.filter(issuer=issuer)
        .order_by("-issued_on")
        .values_list("issued_on", flat=True)
        .first()
    )


def check_period(
    issuer: Organization, period: str, term_start: datetime.date | None
) -> None:
    """Refuse a term that would give a number twice: one that begins after
    today, or a new one that begins on or before the last document issued
    (going back to a term already used goes on with its numbers)."""
    if period != Period.TERM:
        return
    if term_start is None:
        raise ValidationError(
            _("Enter the first day of the current term."), code="term_start"
        )
    if term_start > today():
        raise ValidationError(
            _("The term cannot begin after today."), code="term_start"
        )
    used = OutgoingDocument.objects.filter(
        issuer=issuer, period=term_key(term_start)
    ).exists()
    last = last_issued_on(issuer)
    if not used and last is not None and term_start <= last:
        raise ValidationError(
            _(
                "Documents were already numbered up to %(date)s; a new term "
                "can only begin after that day, so that no number is given "
                "twice."
            )
            % {"date": last.strftime("%d/%m/%Y")},
            code="term_start",
        )


@transaction.atomic
def set_period(
    issuer: Organization, period: str, term_start: datetime.date | None, *, by
) -> DocumentRegister:
    """Number per year or per term from now on (`check_period`), with the
    register locked against issuing meanwhile. Nothing changes when refused."""
    wait_for_other_issuers()
    register = locked_register(issuer)
    check_period(issuer, period, term_start)
    if period != Period.TERM:
        term_start = register.term_start  # kept, for going back to the term
    register.period = period
    register.term_start = term_start
    register.updated_by = by
    register.save()
    return register


def abbreviation(issuer: Organization) -> str:
    if issuer.abbreviation:
        return issuer.abbreviation
    return CENTER_ABBREVIATION if hasattr(issuer, "center") else ""


def number_text(issuer: Organization, kind: str, number: int) -> str:
    """ "12-BC/TTCT" (printed after "Số")."""
    symbol = "/".join(part for part in (kind, abbreviation(issuer)) if part)
    return f"{number}-{symbol}"


def next_number(issuer: Organization, kind: str, on: datetime.date | int) -> str:
    """The number the next document issued `on` (a date, or a year) would
    take, unless someone issues first."""
    if isinstance(on, int):
        on = datetime.date(on, 1, 1)
    period = register_of(issuer).period_key(on)
    last = get_last_value(counter_name(issuer.pk, kind, period)) or 0
    return number_text(issuer, kind, last + 1)


# Frozen fields ---------------------------------------------------------------


def canonical(value) -> bytes:
    """`value` as JSON in one spelling: keys sorted, dates and decimals as text."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def digest_of(*parts: bytes) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(hashlib.sha256(part).digest())
    return hashed.hexdigest()


# Drafts and issuing ----------------------------------------------------------


def draft_for(issuer: Organization, kind: str, key: str) -> DocumentDraft | None:
    return DocumentDraft.objects.filter(issuer=issuer, kind=kind, key=key).first()


def clean_texts(texts: dict[str, str]) -> dict[str, str]:
    """Plain text, line ends unified, empty parts dropped (markup is escaped
    when printed, never interpreted)."""
    cleaned = {}
    for name, text in texts.items():
        text = "\n".join(line.rstrip() for line in (text or "").splitlines()).strip()
        if len(text) > TEXT_MAX_CHARS:
            raise ValidationError(
                _("A part may hold at most %(count)s characters.")
                % {"count": f"{TEXT_MAX_CHARS:,}".replace(",", ".")},
                code="too_long",
            )
        if text:
            cleaned[name] = text
    return cleaned


def _locked_draft(issuer, kind: str, key: str) -> DocumentDraft:
    draft, _created = DocumentDraft.objects.get_or_create(
        issuer=issuer, kind=kind, key=key
    )
    return DocumentDraft.objects.select_for_update().get(pk=draft.pk)


@transaction.atomic
def save_draft(issuer, kind: str, key: str, texts: dict[str, str], *, by) -> None:
    """Keep the author's text; refused once the document is issued."""
    draft = _locked_draft(issuer, kind, key)
    if draft.issued_id:
        raise ValidationError(
            _("This document has been issued; its text can no longer change."),
            code="issued",
        )
    draft.texts = clean_texts(texts)
    draft.updated_by = by
    draft.save()


@transaction.atomic
def reopen(issuer, kind: str, key: str, *, by) -> None:
    """Start a new version of an issued document: its draft becomes editable
    again; the issued one stays as it was."""
    draft = _locked_draft(issuer, kind, key)
    draft.issued = None
    draft.updated_by = by
    draft.save()


class Rendered(NamedTuple):
    """What a document prints once its number is known."""

    pdf: bytes
    docx: bytes


class Frozen(NamedTuple):
    """What an issued document keeps: the figures, and what it prints."""

    figures: dict
    fields: dict


def latest(issuer, kind: str, key: str) -> OutgoingDocument | None:
    return (
        OutgoingDocument.objects.filter(issuer=issuer, kind=kind, key=key)
        .defer("pdf", "docx")
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def issue(
    issuer: Organization,
    kind: str,
    key: str,
    *,
    subject: str,
    issued_on: datetime.date,
    signer_title: str,
    signer_name: str,
    frozen: Frozen,
    render: Callable[[str, dict], Rendered],
    by,
) -> OutgoingDocument:
    """Number and freeze the draft of (issuer, kind, key).

    `render(number_text, texts)` lays the document out with its number and
    the draft's text. All or nothing: a failed layout takes no number.
    """
    wait_for_other_issuers()
    register = locked_register(issuer)
    draft = _locked_draft(issuer, kind, key)
    if draft.issued_id:
        raise ValidationError(
            _("This document has already been issued as %(number)s.")
            % {"number": draft.issued.number_text},
            code="issued",
        )
    if not signer_name.strip():
        raise ValidationError(
            _("The signer's name is missing: enter it in the centre's details."),
            code="signer",
        )
    previous = latest(issuer, kind, key)
    year = issued_on.year
    period = register.period_key(issued_on)
    number = get_next_value(counter_name(issuer.pk, kind, period))
    text = number_text(issuer, kind, number)
    rendered = render(text, draft.texts)
    fields = {**frozen.fields, "texts": draft.texts, "number": text}
    document = OutgoingDocument.objects.create(
        issuer=issuer,
        kind=kind,
        year=year,
        period=period,
        number=number,
        number_text=text,
        key=key,
        subject=subject,
        issued_on=issued_on,
        signer_title=signer_title,
        signer_name=signer_name,
        fields=json.loads(canonical(fields)),
        figures_digest=digest_of(canonical(frozen.figures)),
        digest=digest_of(canonical(fields), rendered.pdf),
        pdf=rendered.pdf,
        docx=rendered.docx,
        replaces=previous,
        issued_by=by,
    )
    draft.issued = document
    draft.updated_by = by
    draft.save()
    return document
