"""Certificates: issue and number, print, revoke and reissue

Numbers come from a counter row per issuer and year, locked inside the issuing
transaction by django-sequences: never reused, never skipped, also when several
people issue at once. PDFs are rendered after the numbers are
committed, one document per batch split into one file per certificate, and
frozen with the printed fields and a hash of both.
"""

import datetime
import logging
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import ClassType, TrainingClass
from enrollment.models import (
    Certificate,
    CertificateBatch,
    CertificateEvent,
    Enrollment,
)
from enrollment.services import summaries
from enrollment.services.certificate_files import render_certificates, start_rendering
from trainingcenter.dates import add_months
from trainingcenter.templatetags.vn import vn_document_date

logger = logging.getLogger(__name__)


def counter_name(issuer_id: int, year: int) -> str:
    """The django-sequences counter an issuer's numbers of a year come from."""
    return f"certificate:{issuer_id}:{year}"


def _number_text(center, number: int, year: int) -> str:
    return center.certificate_number_pattern.format(number=number, year=year)


def _printed_fields(enrollment: Enrollment, certificate: Certificate, center) -> dict:
    """Everything the certificate prints, as text: frozen with it."""
    training_class = enrollment.training_class
    trainee = enrollment.trainee
    return {
        "superior": center.superior_body_line,
        "issuing": center.issuing_body_name,
        "issuer": certificate.issuer.name,
        "full_name": trainee.full_name,
        "birth": trainee.birth_display,
        "unit": enrollment.unit.name if enrollment.unit else "",
        "programme": training_class.class_type.name,
        "class_label": training_class.intake_label,
        "start": f"{training_class.start_date:%d/%m/%Y}",
        "end": f"{training_class.end_date:%d/%m/%Y}",
        "venue": training_class.venue,
        "grade": enrollment.grade,
        "number": certificate.number_text,
        "place_date": f"{center.place_name}, {vn_document_date(certificate.issued_on)}",
        "signer_title": certificate.signer_title,
        "signer_name": certificate.signer_name,
        "valid_until": f"{certificate.valid_until:%d/%m/%Y}"
        if certificate.valid_until
        else "",
        "code": certificate.code,
        "verify_url": f"{settings.SITE_URL}/v/{certificate.code}/",
    }


@transaction.atomic
def issue_certificates(
    training_class: TrainingClass,
    *,
    enrollments: Sequence[Enrollment] | None = None,
    issued_on: datetime.date,
    signer_title: str,
    signer_name: str,
    by,
) -> list[Certificate]:
    """Number and record one certificate per passing trainee of a closed class.

    All or nothing: a class not closed, a trainee who did not pass, or one who
    already holds a standing certificate for this class refuses the batch.
    The PDFs are rendered after the transaction commits.
    """
    from sequences import get_next_values

    locked = _lock_for_awarding(training_class, ClassType.Award.CERTIFICATE, issued_on)
    passed = locked.enrollments.filter(status=Enrollment.Status.COMPLETED)
    chosen = list(
        passed.filter(pk__in=[e.pk for e in enrollments])
        if enrollments is not None
        else passed
    )
    if enrollments is not None and len(chosen) != len({e.pk for e in enrollments}):
        raise ValidationError(
            _("Only trainees who passed receive a certificate."), code="not_passed"
        )
    holders = set(
        Certificate.objects.current()
        .filter(enrollment__in=chosen)
        .values_list("enrollment_id", flat=True)
    )
    chosen = [e for e in chosen if e.pk not in holders]
    if not chosen:
        raise ValidationError(
            _("Nobody is left to receive a certificate."), code="empty"
        )
    chosen.sort(
        key=lambda e: (e.trainee.sort_key, e.trainee.birth_date or datetime.date.min)
    )
    center = locked.center
    issuer = locked.certificate_issuer or center.organization
    batch = CertificateBatch.objects.create(
        training_class=locked, total=len(chosen), created_by=by
    )
    year = issued_on.year
    numbers = get_next_values(len(chosen), counter_name(issuer.pk, year))
    validity = locked.class_type.award_validity_months
    certificates = []
    for enrollment, number in zip(chosen, numbers, strict=True):
        certificate = Certificate(
            enrollment=enrollment,
            kind=Certificate.Kind.CERTIFICATE,
            issuer=issuer,
            year=year,
            number=number,
            number_text=_number_text(center, number, year),
            issued_on=issued_on,
            signer_title=signer_title,
            signer_name=signer_name,
            valid_until=add_months(locked.end_date, validity) if validity else None,
            code=secrets.token_urlsafe(16),
            batch=batch,
        )
        with translation.override("vi"):
            certificate.fields = _printed_fields(enrollment, certificate, center)
        certificates.append(certificate)
    Certificate.objects.bulk_create(certificates)
    summaries.touch([locked.pk], ranks=False)  # nobody's classes change
    CertificateEvent.objects.bulk_create(
        CertificateEvent(certificate=c, action=CertificateEvent.Action.ISSUE, user=by)
        for c in certificates
    )
    transaction.on_commit(lambda: start_rendering(batch))
    return certificates


def number_preview(
    training_class: TrainingClass,
    *,
    count: int,
    issued_on: datetime.date,
    issuer=None,
) -> tuple[str, str]:
    """The first and last numbers `count` certificates would take if issued now
    (read only: nothing is taken; someone issuing first moves them on)."""
    from sequences import get_last_value

    _check_issue_date(issued_on, not_before=training_class.end_date)
    center = training_class.center
    issuer = issuer or training_class.certificate_issuer or center.organization
    year = issued_on.year
    last = get_last_value(counter_name(issuer.pk, year)) or 0
    return (
        _number_text(center, last + 1, year),
        _number_text(center, last + count, year),
    )


def _lock_for_awarding(training_class, award: str, issued_on) -> TrainingClass:
    """Lock the class for the issuing transaction and check that it may award:
    closed, giving this award, and a date of issue that can be."""
    locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if not locked.is_closed:
        raise ValidationError(
            _("Certificates are issued once the class is closed."), code="open"
        )
    if locked.award != award:
        message = {
            ClassType.Award.CERTIFICATE: _(
                "This programme does not give a certificate."
            ),
            ClassType.Award.DIPLOMA: _("This programme does not give a diploma."),
        }[award]
        raise ValidationError(message, code="wrong_award")
    _check_issue_date(issued_on, not_before=locked.end_date)
    return locked


def _check_issue_date(issued_on: datetime.date, *, not_before: datetime.date) -> None:
    """A certificate is dated between the end of the class (or the certificate
    it replaces) and today: never before, never in the future."""
    if issued_on > timezone.localdate():
        raise ValidationError(
            _("The date of issue cannot be in the future."), code="future"
        )
    if issued_on < not_before:
        raise ValidationError(
            _("The date of issue cannot be before %(date)s.")
            % {"date": f"{not_before:%d/%m/%Y}"},
            code="too_early",
        )


@transaction.atomic
def revoke_certificate(certificate: Certificate, *, reason: str, by) -> Certificate:
    """Mark a certificate revoked, with the reason; it stays in the register."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for revoking."), code="reason")
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at:
        raise ValidationError(_("This certificate is already revoked."), code="revoked")
    locked.revoked_at = timezone.now()
    locked.revoked_reason = reason.strip()
    locked.save(update_fields=["revoked_at", "revoked_reason"])
    CertificateEvent.objects.create(
        certificate=locked, action=CertificateEvent.Action.REVOKE, user=by, note=reason
    )
    return locked


@transaction.atomic
def reissue_certificate(
    certificate: Certificate, *, issued_on: datetime.date, by, note: str = ""
) -> Certificate:
    """A new certificate with a new number for the same enrolment; the old one
    is marked replaced (Hướng dẫn 154-HD/BTGTW: reissued when the centre erred)."""
    from sequences import get_next_value

    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    _check_issue_date(issued_on, not_before=old.issued_on)
    if hasattr(old, "replaced_by"):
        raise ValidationError(
            _("This certificate was already replaced."), code="replaced"
        )
    enrollment = old.enrollment
    center = enrollment.training_class.center
    year = issued_on.year
    number = get_next_value(counter_name(old.issuer_id, year))
    new = Certificate(
        enrollment=enrollment,
        kind=old.kind,
        issuer=old.issuer,
        year=year,
        number=number,
        number_text=_number_text(center, number, year),
        issued_on=issued_on,
        signer_title=old.signer_title,
        signer_name=old.signer_name,
        valid_until=old.valid_until,
        code=secrets.token_urlsafe(16),
        replaces=old,
    )
    with translation.override("vi"):
        new.fields = _printed_fields(enrollment, new, center)
    new.save()
    CertificateEvent.objects.create(
        certificate=new,
        action=CertificateEvent.Action.REISSUE,
        user=by,
        note=_("Replaces %(number)s. %(note)s")
        % {"number": old.number_text, "note": note},
    )
    transaction.on_commit(lambda: render_certificates([new.pk]))
    return new


@transaction.atomic
def record_diplomas(
    training_class: TrainingClass,
    entries: Sequence[tuple[Enrollment, str]],
    *,
    issued_on: datetime.date,
    by,
) -> list[Certificate]:
    """Record the diploma ("bằng") numbers a school gave for a đào tạo class.

    The school prints the diploma; the register keeps its number as given,
    unique per issuer, so the public page can confirm it.
    """
    locked = _lock_for_awarding(training_class, ClassType.Award.DIPLOMA, issued_on)
    passed = set(
        locked.enrollments.filter(status=Enrollment.Status.COMPLETED).values_list(
            "pk", flat=True
        )
    )
    center = locked.center
    issuer = locked.certificate_issuer or center.organization
    numbers = [number.strip() for _enrollment, number in entries]
    if any(e.pk not in passed for e, _number in entries):
        raise ValidationError(
            _("Only trainees who passed receive a certificate."), code="not_passed"
        )
    if any(not n for n in numbers) or len(set(numbers)) != len(numbers):
        raise ValidationError(_("Every diploma needs its own number."), code="number")
    taken = set(
        Certificate.objects.filter(
            issuer=issuer, kind=Certificate.Kind.DIPLOMA, number_text__in=numbers
        ).values_list("number_text", flat=True)
    )
    if taken:
        raise ValidationError(
            _("These diploma numbers are already recorded: %(numbers)s")
            % {"numbers": ", ".join(sorted(taken))},
            code="taken",
        )
    holders = set(
        Certificate.objects.current()
        .filter(enrollment__in=[e for e, _number in entries])
        .values_list("enrollment_id", flat=True)
    )
    if holders:
        raise ValidationError(
            _("Some of these trainees already hold a standing record."), code="held"
        )
    diplomas = []
    for enrollment, number in zip((e for e, _n in entries), numbers, strict=True):
        diploma = Certificate(
            enrollment=enrollment,
            kind=Certificate.Kind.DIPLOMA,
            issuer=issuer,
            year=issued_on.year,
            number=None,
            number_text=number,
            issued_on=issued_on,
            code=secrets.token_urlsafe(16),
        )
        with translation.override("vi"):
            diploma.fields = _printed_fields(enrollment, diploma, center)
        diplomas.append(diploma)
    Certificate.objects.bulk_create(diplomas)
    summaries.touch([training_class.pk], ranks=False)  # nobody's classes change
    CertificateEvent.objects.bulk_create(
        CertificateEvent(certificate=d, action=CertificateEvent.Action.DIPLOMA, user=by)
        for d in diplomas
    )
    return diplomas


def unsupported_certificates(training_class) -> list[Certificate]:
    """The class's standing certificates whose holder no longer passes, in
    number order, each with its enrolment and trainee."""
    return list(
        Certificate.objects.unsupported()
        .filter(enrollment__training_class=training_class)
        .select_related("enrollment__trainee")
        .order_by("number", "pk")
    )


def register_entries(center, *, year: int, issuer_id: int):
    """The register (sổ cấp giấy chứng nhận) of one issuer and year at a centre:
    every certificate and diploma ever recorded, in number order, with the chain."""
    return (
        Certificate.objects.filter(
            enrollment__training_class__center=center, year=year, issuer_id=issuer_id
        )
        .select_related("issuer", "replaces", "replaced_by")
        .order_by("kind", "number", "number_text", "pk")
    )


def register_remark(certificate: Certificate) -> str:
    """The chain and status of a register entry, in words: a revocation
    first, with its day and reason, then what replaces what."""
    parts = []
    if certificate.revoked_at:
        parts.append(
            _("revoked on %(date)s, reason: %(reason)s")
            % {
                "date": f"{timezone.localdate(certificate.revoked_at):%d/%m/%Y}",
                "reason": certificate.revoked_reason,
            }
        )
    if certificate.replaces_id:
        parts.append(_("replaces no. %(number)s") % {"number": certificate.replaces})
    replaced_by = getattr(certificate, "replaced_by", None)
    if replaced_by is not None:
        parts.append(_("replaced by no. %(number)s") % {"number": replaced_by})
    return "; ".join(parts)
