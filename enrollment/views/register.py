"""The centre's certificate register: on screen, as PDF and as a workbook."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from enrollment.exports import CertificateRegisterExporter
from enrollment.models import Certificate
from enrollment.services import certificates as service
from trainingcenter.http import PDF, file_response
from trainingcenter.logs import audit
from trainingcenter.models import Organization
from trainingcenter.pdf import render_pdf
from trainingcenter.tenancy import STAFF_ROLES, role_required
from trainingcenter.text import search_key


def _register_choice(request):
    """The years and issuers this centre has records for, and the chosen pair."""
    records = Certificate.objects.filter(
        enrollment__training_class__center=request.center
    )
    years = sorted(set(records.values_list("year", flat=True)), reverse=True)
    issuers = list(
        Organization.objects.filter(
            pk__in=records.values_list("issuer_id", flat=True).distinct()
        ).order_by("name_key")
    )
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else (years[0] if years else timezone.now().year)
    issuer_id = request.GET.get("issuer", "")
    issuer = next(
        (o for o in issuers if str(o.pk) == issuer_id),
        issuers[0] if issuers else None,
    )
    return years, issuers, year, issuer


def _register_rows(entries):
    for entry in entries:
        yield entry, service.register_remark(entry), entry.status_label


@require_GET
@role_required(*STAFF_ROLES)
def register(request, center):
    years, issuers, year, issuer = _register_choice(request)
    entries = (
        service.register_entries(request.center, year=year, issuer_id=issuer.pk)
        if issuer
        else Certificate.objects.none()
    )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "enrollment/register/register.html",
        {
            "years": years,
            "issuers": issuers,
            "year": year,
            "issuer": issuer,
            "page": page,
            "rows": list(_register_rows(page.object_list)),
            "query_string": f"year={year}&issuer={issuer.pk if issuer else ''}",
        },
    )


def _register_or_404(request):
    _years, _issuers, year, issuer = _register_choice(request)
    if issuer is None:
        raise Http404
    return (
        year,
        issuer,
        service.register_entries(request.center, year=year, issuer_id=issuer.pk),
    )


@require_GET
@role_required(*STAFF_ROLES)
def register_pdf(request, center):
    year, issuer, entries = _register_or_404(request)
    with translation.override("vi"):
        content = render_pdf(
            "enrollment/print/register.html",
            {
                "center": request.center,
                "issuer": issuer,
                "year": year,
                "rows": _register_rows(entries.iterator(chunk_size=500)),
                "document_date": timezone.localdate(),
            },
        )
    audit("register pdf", center=request.center.pk, year=year, user=request.user.pk)
    return file_response(
        f"so-cap-giay-chung-nhan-{year}-{slugify(search_key(issuer.name))}.pdf",
        PDF,
        content,
    )


@require_GET
@role_required(*STAFF_ROLES)
def register_xlsx(request, center):
    year, issuer, entries = _register_or_404(request)
    output = CertificateRegisterExporter(issuer, year=year, entries=entries).export()
    audit("register xlsx", center=request.center.pk, year=year, user=request.user.pk)
    return file_response(*output)
