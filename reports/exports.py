"""The summary report as a PDF and as an Excel workbook (issue 6, items 5 and 6)."""

import logging

from django.http import Http404
from django.views.decorators.http import require_GET
from django_scopes import scopes_disabled

from enrollment.exports import XLSX
from reports import excel, scope
from reports.views import _report_request, _summary_page
from trainingcenter.http import file_response
from trainingcenter.tenancy import ALL_ROLES, role_required


def _pdf(request, target):
    raise Http404  # built next


def _xlsx(request, target):
    """The report's workbook; a bad period shows the page with its message (400)."""
    _, report = _report_request(request, target)
    if report is None:
        return _summary_page(request, target)
    content = excel.report_workbook(report, target.centers)
    logging.getLogger("trainingcenter.audit").info(
        "report xlsx scope=%s period=%s..%s user=%s",
        target.center_id or f"o{target.organization_id}",
        report.period.start,
        report.period.end,
        request.user.pk,
    )
    return file_response(excel.file_name(report), XLSX, content)


@require_GET
@role_required(*ALL_ROLES)
def summary_pdf(request, center):
    return _pdf(request, scope.for_center(request.center))


@require_GET
@role_required(*ALL_ROLES)
def summary_xlsx(request, center):
    return _xlsx(request, scope.for_center(request.center))


@require_GET
def org_summary_pdf(request, organization):
    with scopes_disabled():
        return _pdf(request, scope.for_organization(request.user, organization))


@require_GET
def org_summary_xlsx(request, organization):
    with scopes_disabled():
        return _xlsx(request, scope.for_organization(request.user, organization))
