"""The public page that checks a certificate by its code."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from enrollment.models import Certificate, Verification
from trainingcenter.http import client_address, rate_limited
from trainingcenter.logs import audit
from trainingcenter.tenancy import find_by_code


@login_not_required
@never_cache
@require_GET
def verify(request, code=None):
    """Anyone may check a certificate by its code; only the printed essentials show.

    Rate-limited per client address by counting its lookups of the last minute;
    every lookup is logged, and an unknown code says only "not found".
    """
    if code is None:
        typed = request.GET.get("code", "").strip()
        if typed:
            return redirect("verify", code=typed[:64])
        return render(
            request, "enrollment/verification/verify.html", {"searched": False}
        )
    client = client_address(request)
    if rate_limited(
        Verification.objects.filter(client=client),
        within=datetime.timedelta(minutes=1),
        limit=settings.VERIFY_RATE_PER_MINUTE,
    ):
        audit("verification rate limit", level=logging.WARNING, client=client)
        return render(
            request, "enrollment/verification/verify_limited.html", status=429
        )
    certificate = find_by_code(Certificate, related=["replaced_by"], code=code)
    Verification.objects.create(client=client, found=certificate)
    if certificate is None:
        return render(
            request,
            "enrollment/verification/verify.html",
            {"searched": True},
            status=404,
        )
    fields = certificate.fields
    return render(
        request,
        "enrollment/verification/verify.html",
        {
            "searched": True,
            "record": {
                "full_name": fields.get("full_name", ""),
                "programme": fields.get("programme", ""),
                "start": fields.get("start", ""),
                "end": fields.get("end", ""),
                "issued_on": certificate.issued_on,
                "number": certificate.number_text,
                "issuer": fields.get("issuer", ""),
                "status": certificate.status,
                "status_label": certificate.status_label,
                "valid_until": certificate.valid_until,
            },
        },
    )
