"""Certificates: issue and number, print, revoke and reissue (issue 5).

Numbers come from a counter row per issuer and year, locked inside the issuing
transaction by django-sequences: never reused, never skipped, also when several
people issue at once (SECURITY.md 4.1). PDFs are rendered after the numbers are
committed, one document per batch split into one file per certificate, and
frozen with the printed fields and a hash of both.
"""

import datetime
import hashlib
import io
import json
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import ClassType, TrainingClass
from enrollment.models import Certificate, CertificateEvent, Enrollment
from trainingcenter.pdf import render_pdf
from trainingcenter.templatetags.vn import vn_document_date


def _add_months(day: datetime.date, months: int) -> datetime.date:
    from enrollment.services import add_months

    return add_months(day, months)


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

    locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if not locked.is_closed:
        raise ValidationError(
            _("Certificates are issued once the class is closed."), code="open"
        )
    if locked.class_type.award != ClassType.Award.CERTIFICATE:
        raise ValidationError(
            _("This programme does not give a certificate."), code="no_certificate"
        )
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
    year = issued_on.year
    numbers = get_next_values(len(chosen), f"certificate:{issuer.pk}:{year}")
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
            valid_until=_add_months(locked.end_date, validity) if validity else None,
            code=secrets.token_urlsafe(16),
        )
        with translation.override("vi"):
            certificate.fields = _printed_fields(enrollment, certificate, center)
        certificates.append(certificate)
    Certificate.objects.bulk_create(certificates)
    CertificateEvent.objects.bulk_create(
        CertificateEvent(certificate=c, action=CertificateEvent.Action.ISSUE, user=by)
        for c in certificates
    )
    ids = [c.pk for c in certificates]
    transaction.on_commit(lambda: render_certificates(ids))
    return certificates


def render_certificates(ids: Sequence[int]) -> None:
    """Render the certificates as one document and store one page per certificate.

    Frozen: a certificate that already has its PDF is never rendered again.
    """
    from pypdf import PdfReader, PdfWriter

    certificates = list(
        Certificate.objects.filter(pk__in=ids, pdf=None).order_by("number", "pk")
    )
    if not certificates:
        return
    with translation.override("vi"):
        document = render_pdf(
            "enrollment/print/certificates.html",
            {
                "certificates": [c.fields for c in certificates],
                "qr": _qr_codes(certificates),
            },
        )
    reader = PdfReader(io.BytesIO(document))
    if len(reader.pages) != len(certificates):
        raise RuntimeError("a certificate did not fit on one page")
    for certificate, page in zip(certificates, reader.pages, strict=True):
        writer = PdfWriter()
        writer.add_page(page)
        writer.add_metadata({"/Title": f"Giấy chứng nhận {certificate.number_text}"})
        out = io.BytesIO()
        writer.write(out)
        certificate.pdf = out.getvalue()
        certificate.digest = digest(certificate.fields, certificate.pdf)
    Certificate.objects.bulk_update(certificates, ["pdf", "digest"])


def digest(fields: dict, pdf: bytes) -> str:
    """SHA-256 over the printed fields and the PDF bytes."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(canonical + b"\0" + bytes(pdf)).hexdigest()


def _qr_codes(certificates) -> dict[str, str]:
    """Inline SVG QR codes for the verification addresses (nothing is fetched)."""
    import segno

    return {
        c.code: segno.make(c.fields["verify_url"], error="m").svg_inline(
            scale=3, border=1
        )
        for c in certificates
    }


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
    if hasattr(old, "replaced_by"):
        raise ValidationError(
            _("This certificate was already replaced."), code="replaced"
        )
    enrollment = old.enrollment
    center = enrollment.training_class.center
    year = issued_on.year
    number = get_next_value(f"certificate:{old.issuer_id}:{year}")
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
