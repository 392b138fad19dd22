"""The centre's certificate register: on screen, as PDF and as a workbook."""

import datetime
import logging

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from enrollment.models import Certificate
from enrollment.services import certificates as service
from trainingcenter.http import PDF, XLSX, file_response
from trainingcenter.models import Organization
from trainingcenter.pdf import render_pdf
from trainingcenter.tenancy import STAFF_ROLES, role_required
from trainingcenter.text import search_key
from trainingcenter.xlsx import Column, write_workbook

audit = logging.getLogger("trainingcenter.audit")


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


def _log_register(kind, request, year):
    audit.info(
        "register %s center=%s year=%s user=%s",
        kind,
        request.center.pk,
        year,
        request.user.pk,
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
    audit.info(
        "register pdf center=%s year=%s user=%s",
        request.center.pk,
        year,
        request.user.pk,
    )
    return file_response(
        f"so-cap-giay-chung-nhan-{year}-{slugify(search_key(issuer.name))}.pdf",
        PDF,
        content,
    )


@require_GET
@role_required(*STAFF_ROLES)
def register_xlsx(request, center):
    year, issuer, entries = _register_or_404(request)
    columns = [
        Column("Số", 16),
        Column("Loại", 14),
        Column("Họ và tên", 28),
        Column("Ngày sinh", 12),
        Column("Chương trình", 36),
        Column("Lớp", 16),
        Column("Từ ngày", 12, "dd/mm/yyyy"),
        Column("Đến ngày", 12, "dd/mm/yyyy"),
        Column("Ngày cấp", 12, "dd/mm/yyyy"),
        Column("Người ký", 24),
        Column("Tình trạng", 14),
        Column("Ghi chú", 40),
    ]

    def day(text):
        try:
            return datetime.datetime.strptime(text, "%d/%m/%Y").date()
        except (TypeError, ValueError):
            return text or None

    with translation.override("vi"):
        rows = (
            [
                entry.number_text,
                str(entry.get_kind_display()),
                entry.fields.get("full_name", ""),
                entry.fields.get("birth", ""),
                entry.fields.get("programme", ""),
                entry.fields.get("class_label", ""),
                day(entry.fields.get("start")),
                day(entry.fields.get("end")),
                entry.issued_on,
                entry.signer_name,
                str(status),
                remark,
            ]
            for entry, remark, status in _register_rows(
                entries.iterator(chunk_size=500)
            )
        )
        content = write_workbook(
            [(f"Sổ cấp GCN {year}", columns, rows)],
            title_lines=[
                str(issuer.name).upper(),
                f"SỔ CẤP GIẤY CHỨNG NHẬN NĂM {year}",
            ],
        )
    audit.info(
        "register xlsx center=%s year=%s user=%s",
        request.center.pk,
        year,
        request.user.pk,
    )
    return file_response(
        f"so-cap-giay-chung-nhan-{year}-{slugify(search_key(issuer.name))}.xlsx",
        XLSX,
        content,
    )
