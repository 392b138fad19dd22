"""The question asked once before a certificate step that cannot be undone:
issuing (how many numbers, from which to which), revoking, reissuing. Each
page posts the same fields back with "confirmed"; nothing is written here."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.models import Certificate, Enrollment
from enrollment.services import certificates as services


def issue(request, training_class, form, chosen):
    """Asked once before numbers are taken: how many, from which to which."""
    back = reverse(
        "enrollment:class_certificates", args=[request.center.slug, training_class.pk]
    )
    holders = set(
        Certificate.objects.current()
        .filter(enrollment__in=chosen)
        .values_list("enrollment_id", flat=True)
    )
    receiving = [
        e
        for e in chosen
        if e.status == Enrollment.Status.COMPLETED and e.pk not in holders
    ]
    data = form.cleaned_data
    try:
        if not training_class.is_closed:
            raise ValidationError(
                _("Certificates are issued once the class is closed.")
            )
        if not receiving:
            raise ValidationError(_("Nobody is left to receive a certificate."))
        first, last = services.number_preview(
            training_class, count=len(receiving), issued_on=data["issued_on"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    issuer = training_class.certificate_issuer or request.center.organization
    if first == last:
        numbered = _(
            "1 certificate will be numbered %(first)s (unless someone else "
            "issues first)."
        ) % {"first": first}
    else:
        numbered = _(
            "%(count)s certificates will be numbered, from %(first)s to "
            "%(last)s (unless someone else issues first)."
        ) % {"count": len(receiving), "first": first, "last": last}
    facts = [
        numbered,
        _("Issuer: %(issuer)s; date of issue %(day)s; signed by %(title)s %(name)s.")
        % {
            "issuer": issuer,
            "day": f"{data['issued_on']:%d/%m/%Y}",
            "title": data["signer_title"],
            "name": data["signer_name"],
        },
    ]
    facts += _already_held(training_class, receiving)
    hidden = [("enrollment", e.pk) for e in receiving] + [
        ("issued_on", f"{data['issued_on']:%d/%m/%Y}"),
        ("signer_title", data["signer_title"]),
        ("signer_name", data["signer_name"]),
    ]
    return render(
        request,
        "includes/confirm.html",
        {
            "heading": _("Issue the certificates?"),
            "subject": training_class,
            "facts": facts,
            "warning": _(
                "Numbers cannot be taken back: a number once given stays used, "
                "even if the certificate is later revoked."
            ),
            "action": request.path,
            "hidden": hidden,
            "confirm_label": _("Issue %(count)s certificates")
            % {"count": len(receiving)},
            "cancel_url": back,
        },
    )


def _already_held(training_class, receiving) -> list[str]:
    """Who already holds a standing certificate of the same programme from
    another class, when the programme is taken once or its certificate
    still counts: a second one is rarely meant."""
    programme = training_class.class_type
    if not (programme.taken_once or programme.award_validity_months):
        return []
    held = (
        Certificate.objects.current()
        .filter(
            enrollment__trainee__in=[e.trainee_id for e in receiving],
            enrollment__training_class__class_type=programme,
        )
        .exclude(enrollment__training_class=training_class)
        .filter(Q(valid_until=None) | Q(valid_until__gte=timezone.localdate()))
        .select_related("enrollment__trainee")
        .order_by("enrollment__trainee__sort_key", "number")
    )
    names = [f"{c.enrollment.trainee.full_name} ({c.number_text})" for c in held]
    if not names:
        return []
    return [
        _(
            "Already holding a certificate of this programme from another "
            "class: %(names)s. Untick them unless a second one is meant."
        )
        % {"names": ", ".join(names)}
    ]


def revoke(request, certificate, reason):
    """Asked once before a certificate is revoked, with what follows."""
    back = reverse(
        "enrollment:certificate_detail", args=[request.center.slug, certificate.pk]
    )
    return render(
        request,
        "includes/confirm.html",
        {
            "heading": _("Revoke certificate %(number)s?") % {"number": certificate},
            "subject": certificate.enrollment.trainee.full_name,
            "facts": [
                _("Reason: %(reason)s") % {"reason": reason},
                _(
                    "The certificate stays in the register and the public page "
                    "shows it as revoked."
                ),
            ],
            "warning": _(
                "Revoking cannot be undone, and the number is never given again."
            ),
            "action": request.path,
            "hidden": [("reason", reason)],
            "confirm_label": _("Revoke"),
            "cancel_url": back,
            "danger": True,
        },
    )


def reissue(request, certificate, data):
    """Asked once before a reissue takes a new number."""
    training_class = certificate.enrollment.training_class
    number, _last = services.number_preview(
        training_class,
        count=1,
        issued_on=data["issued_on"],
        issuer=certificate.issuer,
    )
    return render(
        request,
        "includes/confirm.html",
        {
            "heading": _("Reissue certificate %(number)s?") % {"number": certificate},
            "subject": certificate.enrollment.trainee.full_name,
            "facts": [
                _(
                    "The new certificate takes the next number, %(number)s "
                    "(unless someone else issues first), dated %(day)s; "
                    "%(old)s is marked replaced."
                )
                % {
                    "number": number,
                    "day": f"{data['issued_on']:%d/%m/%Y}",
                    "old": certificate,
                },
            ],
            "warning": _(
                "Numbers cannot be taken back: a number once given stays used, "
                "even if the certificate is later revoked."
            ),
            "action": request.path,
            "hidden": [
                ("issued_on", f"{data['issued_on']:%d/%m/%Y}"),
                ("note", data["note"]),
            ],
            "confirm_label": _("Reissue"),
            "cancel_url": reverse(
                "enrollment:certificate_detail",
                args=[request.center.slug, certificate.pk],
            ),
        },
    )
