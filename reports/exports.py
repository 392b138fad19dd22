"""The summary report as a PDF and as an Excel workbook (issue 6, items 5 and 6)."""

import logging

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_scopes import scopes_disabled

from reports import excel, jobs as report_jobs, pdf as report_pdf, scope
from reports.models import ReportJob
from reports.views import _report_request, _summary_page
from trainingcenter.http import PDF, XLSX, file_response
from trainingcenter.tenancy import ALL_ROLES, role_required


def _pdf(request, target):
    """The report as a party document. A long one is laid out by a background
    job, followed on its page; a bad period shows the page with its message."""
    _, report = _report_request(request, target)
    if report is None:
        return _summary_page(request, target)
    if report_pdf.row_count(report) > report_pdf.inline_rows():
        job = report_jobs.start_job(request.user, target, report.period)
        return redirect("report_job", job.pk)
    content = report_pdf.render(report, target, today=timezone.localdate())
    logging.getLogger("trainingcenter.audit").info(
        "report pdf scope=%s period=%s..%s user=%s",
        target.center_id or f"o{target.organization_id}",
        report.period.start,
        report.period.end,
        request.user.pk,
    )
    return file_response(report_pdf.filename(target, report.period), PDF, content)


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


# A long file made in the background (reports/jobs.py): its page and its file.
# Only the user who asked sees them, and only while they may still see the
# file's scope.


def _own_job(request, pk) -> tuple[ReportJob, scope.Scope]:
    with scopes_disabled():
        job = get_object_or_404(
            ReportJob.objects.defer("content").select_related("center", "organization"),
            pk=pk,
            user=request.user,
        )
        return job, report_jobs.scope_of(job)


@require_GET
def report_job(request, pk):
    job, target = _own_job(request, pk)
    return render(
        request,
        "reports/report_job.html",
        {
            "job": job,
            "scope": target,
            "step": report_jobs.step_label(job),
            "stalled": job.is_stalled,
            "back": (
                f"{reverse('org_rollups', args=[job.organization_id])}?{job.query}"
                if job.is_rollup
                else target.url()
            ),
        },
    )


@require_POST
def report_job_retry(request, pk):
    """Make a failed or interrupted file again, for its own user."""
    job, _target = _own_job(request, pk)
    job.resume()
    return redirect("report_job", job.pk)


@require_GET
def report_job_file(request, pk):
    job, _target = _own_job(request, pk)
    if job.status != ReportJob.Status.DONE:
        return redirect("report_job", job.pk)
    with scopes_disabled():
        content = ReportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    logging.getLogger("trainingcenter.audit").info(
        "report job download job=%s kind=%s user=%s", job.pk, job.kind, request.user.pk
    )
    return file_response(job.filename, report_jobs.content_type(job), bytes(content))
