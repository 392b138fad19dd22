"""The reports' pages: the centre dashboard; the report (page, PDF, workbook)
of a centre or of an organization; the committees' rollups; and the page and
file of a long file made in the background.

They change no data: a long PDF or workbook only queues a job for the member
who asked (reports/jobs.py), whose page follows it. Who may see an
organization's pages is decided by reports.scope (a committee membership on
the organization or above it, or a superuser); anyone else gets 404 whether
the organization exists or not.
"""

import functools
from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from courses.models import ClassType, TrainingClass
from enrollment.models import ExportLog, SubjectRequest
from enrollment.services import privacy
from enrollment.views.privacy import ask_purpose
from reports import (
    charts,
    counting,
    document,
    jobs as report_jobs,
    pdf,
    rollups,
    scope,
)
from reports.exports import rollups as rollup_workbooks
from reports.exports.report import ReportWorkbook
from reports.forms import PeriodForm, RollupForm
from reports.models import ReportJob
from trainingcenter.http import PDF, file_response
from trainingcenter.logs import audit
from trainingcenter.models import Organization
from trainingcenter.privacy import PLACES
from trainingcenter.tenancy import ALL_ROLES, centers_for_user, role_required

UNITS_ON_PAGE = 30
CERTIFIED_ON_PAGE = ROWS_ON_PAGE = 200


@require_GET
@role_required(*ALL_ROLES)
def dashboard(request, center):
    today = timezone.localdate()
    classes = request.center.classes.all()
    period = counting.Period.year(today.year)
    counts = {
        "lecturers": request.center.lecturers.filter(is_active=True).count(),
        "programmes": ClassType.objects.active().count(),
    }
    upcoming = (
        classes.filter(end_date__gte=today)
        .exclude(status=TrainingClass.Status.CLOSED)
        .select_related("class_type")
        .with_enrollment_counts()
        .order_by("start_date")[:6]
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "counts": counts,
            "year": today.year,
            "totals": counting.totals(classes, period),
            "by_status": counting.classes_by_status(classes, period),
            "open_outcomes": counting.open_outcomes(classes, today),
            "upcoming": upcoming,
            "other_centers": centers_for_user(request.user),
            "heavy": (
                privacy.heavy_exporters(request.center, today)
                if request.membership.is_director
                else []
            ),
            "limit": privacy.daily_limit(),
            "late_requests": (
                SubjectRequest.past_a_date(request.center, today).count()
                if request.membership.is_director
                else 0
            ),
        },
    )


# The scope of a page ---------------------------------------------------------


def for_organization(view):
    """Serve `view(request, target)` for every centre under the organization
    in the URL, to a committee member over it (404 for anyone else)."""

    @functools.wraps(view)
    def wrapped(request, organization, **kwargs):
        with scope.across_centers():
            target = scope.for_organization(request.user, organization)
            return view(request, target, **kwargs)

    return wrapped


def for_any_scope(view):
    """Serve one body, `view(request, target)`, for either scope of a report:
    a centre under /c/<centre>/, to any of its members (the middleware found
    the membership, role_required checks its role), or an organization
    under /o/<organization>/ (`for_organization`)."""
    in_center = role_required(*ALL_ROLES)(
        lambda request, center: view(request, scope.for_center(request.center))
    )
    in_organization = for_organization(view)

    @functools.wraps(view)
    def wrapped(request, center=None, organization=None):
        if organization is not None:
            return in_organization(request, organization)
        return in_center(request, center)

    wrapped.required_roles = in_center.required_roles
    return wrapped


def _log(what: str, target: scope.Scope, period: counting.Period, user) -> None:
    audit(
        what,
        scope=target.center_id or f"o{target.organization_id}",
        period=f"{period.start}..{period.end}",
        user=user.pk,
    )


# The report ------------------------------------------------------------------


def _report_request(request, target: scope.Scope):
    """The period form and, when it is valid, the report for `target`."""
    form = PeriodForm(request.GET or None)
    report = None
    if form.is_valid():
        report = counting.build_report(
            target.centers,
            form.cleaned_data["period"],
            scope_label=target.label,
            issuer=target.issuer,
        )
    return form, report


def _report_page(request, target: scope.Scope, form, report):
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            "report": report,
            "scope": target,
            "charts": charts.charts(report) if report else [],
            "query_string": request.GET.urlencode(),
            "units_shown": UNITS_ON_PAGE,
        },
        status=200 if report else 400 if request.GET else 200,
    )


@require_GET
@for_any_scope
def report(request, target):
    """The report of a centre or an organization, for any period."""
    return _report_page(request, target, *_report_request(request, target))


@require_GET
@for_any_scope
def report_pdf(request, target):
    """The report as a party document. A long one is laid out by a background
    job, followed on its page; a bad period shows the page with its message."""
    form, report = _report_request(request, target)
    if report is None:
        return _report_page(request, target, form, report)
    if pdf.row_count(report) > pdf.inline_rows():
        job = report_jobs.start_job(request.user, target, report.period)
        return redirect("report_job", job.pk)
    texts = document.draft_texts(target, report.period)
    content = pdf.render(report, target, today=timezone.localdate(), texts=texts)
    _log("report pdf", target, report.period, request.user)
    return file_response(pdf.filename(target, report.period), PDF, content)


@require_GET
@for_any_scope
def report_xlsx(request, target):
    """The report's workbook; a bad period shows the page with its message (400)."""
    form, report = _report_request(request, target)
    if report is None:
        return _report_page(request, target, form, report)
    exported = ReportWorkbook(report, target.centers).export()
    _log("report xlsx", target, report.period, request.user)
    return file_response(*exported)


# The committees' rollups -----------------------------------------------------


def _rollup_form(request, target: scope.Scope) -> RollupForm:
    return RollupForm(
        request.GET or None,
        organization=Organization.objects.get(pk=target.organization_id),
    )


def _rollup_page(request, target: scope.Scope, form: RollupForm):
    context = {"form": form, "scope": target, "query_string": request.GET.urlencode()}
    if form.is_valid():
        context |= _rollup(form.cleaned_data["rollup"], target, form.filters())
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "reports/rollups.html", context, status=status)


def _rollup(kind: str, target: scope.Scope, filters: rollups.Filters) -> dict:
    """What the page shows of the rollup `kind`: a long list's first rows."""
    shown = {"kind": kind, "filters": filters}
    if kind == "units":
        return shown | {
            "rollup": rollups.by_unit(target.centers, filters, target.units)
        }
    if kind == "centers":
        return shown | {"rollup": rollups.by_center(target.centers, filters)}
    if kind == "certified":
        rows = rollups.certified(target.centers, filters, target.units)
        first = list(rows[:CERTIFIED_ON_PAGE])
        names = rollups.unit_names({row[0] for row in first}, filters.by_today)
        return shown | {
            "certified": [(names[row[0]][1], *row[1:]) for row in first],
            "certified_count": rows.count(),
            "certified_shown": CERTIFIED_ON_PAGE,
        }
    pipeline = rollups.pipeline(
        target.centers,
        filters,
        timezone.localdate(),
        limit=ROWS_ON_PAGE,
        units=target.units,
    )
    return shown | {"pipeline": pipeline, "rows_shown": ROWS_ON_PAGE}


@require_GET
@for_organization
def rollup_page(request, target):
    return _rollup_page(request, target, _rollup_form(request, target))


def _job_query(form: RollupForm) -> str:
    """The form's own fields of the request, in a fixed order: the same
    rollup asked twice is the same job."""
    data = {name: form.data.get(name, "") for name in sorted(form.fields)}
    return urlencode({name: value for name, value in data.items() if value})


# The rollups that name people: a purpose is asked and the export logged.
WITH_PEOPLE = {
    "certified": ExportLog.Kind.CERTIFIED,
    "pipeline": ExportLog.Kind.PIPELINE,
}


def _log_people(request, target, form, kind, exporter):
    """The page asking the purpose of a rollup that names people, or None
    once it is given and the export logged (before a long one is queued)."""
    if kind not in WITH_PEOPLE:
        return None
    place = "rollup_certified" if kind == "certified" else "rollup_pipeline"
    # The need-to-know table's name of the place, less "(trang, Excel)": what
    # is asked for here is the workbook.
    what = PLACES[place].replace("(trang, Excel)", "(Excel)")
    purpose, page = ask_purpose(request, what, base="base.html")
    if page is not None:
        return page
    privacy.record_export(
        user=request.user,
        organization=Organization.objects.get(pk=target.organization_id),
        kind=WITH_PEOPLE[kind],
        file_format="xlsx",
        people=exporter.row_count(),
        purpose=purpose,
        filters={
            name: form.data[name] for name in sorted(form.fields) if form.data.get(name)
        },
    )
    return None


@require_http_methods(["GET", "POST"])
@for_organization
def rollup_xlsx(request, target):
    form = _rollup_form(request, target)
    if not form.is_valid():
        return _rollup_page(request, target, form)
    filters = form.filters()
    kind = form.cleaned_data["rollup"]
    exporter = rollup_workbooks.exporter(kind, target, filters, timezone.localdate())
    page = _log_people(request, target, form, kind, exporter)
    if page is not None:
        return page
    if exporter.row_count() > rollup_workbooks.inline_rows():
        # A long list is written by the background worker; its page shows
        # the progress and then the download.
        job = report_jobs.start_job(
            request.user, target, filters.period, kind, _job_query(form)
        )
        return redirect("report_job", job.pk)
    exported = exporter.export()
    audit(
        "rollup xlsx",
        kind=kind,
        org=target.organization_id,
        period=f"{filters.period.start}..{filters.period.end}",
        user=request.user.pk,
    )
    return file_response(*exported)


# A long file made in the background (reports/jobs.py): its page and its file.
# Only the user who asked sees them, and only while they may still see the
# file's scope.


def _own_job(request, pk) -> tuple[ReportJob, scope.Scope]:
    with scope.across_centers():
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
    with scope.across_centers():
        content = ReportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    audit("report job download", job=job.pk, kind=job.kind, user=request.user.pk)
    return file_response(job.filename, report_jobs.content_type(job), bytes(content))
