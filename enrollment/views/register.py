"""The centre's certificate register: on screen, as PDF and as a workbook."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from enrollment.exports import CertificateRegisterExporter
from enrollment.models import Certificate, ExportLog
from enrollment.services import certificates as service, privacy
from enrollment.views.privacy import ask_purpose
from trainingcenter.http import PDF, file_response
from trainingcenter.models import Organization
from trainingcenter.pdf import render_pdf
from trainingcenter.privacy import PLACES
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


def _logged_register(request, file_format: str):
    """The register's year, issuer and entries once the purpose is given and
    the export logged; or the page asking for the purpose."""
    year, issuer, entries = _register_or_404(request)
    purpose, page = ask_purpose(request, PLACES["certificate_register"])
    if page is not None:
        return None, page
    privacy.record_export(
        user=request.user,
        center=request.center,
        kind=ExportLog.Kind.REGISTER,
        file_format=file_format,
        people=entries.count(),
        purpose=purpose,
        filters={"year": year, "issuer": issuer.pk},
    )
    return (year, issuer, entries), None


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def register_pdf(request, center):
    chosen, page = _logged_register(request, "pdf")
    if page is not None:
        return page
    year, issuer, entries = chosen
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
    return file_response(
        f"so-cap-giay-chung-nhan-{year}-{slugify(search_key(issuer.name))}.pdf",
        PDF,
        content,
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def register_xlsx(request, center):
    chosen, page = _logged_register(request, "xlsx")
    if page is not None:
        return page
    year, issuer, entries = chosen
    output = CertificateRegisterExporter(issuer, year=year, entries=entries).export()
    return file_response(*output)
