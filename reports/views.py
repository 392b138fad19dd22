"""Read-only pages: the centre dashboard and the summary report."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_scopes import scopes_disabled

from courses.models import ClassType, TrainingClass
from reports import charts, counting, scope
from reports.forms import PeriodForm
from trainingcenter.tenancy import ALL_ROLES, centers_for_user, role_required


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
        },
    )


def _report_request(request, target):
    """The period form and, when it is valid, the report for `scope`."""
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


def _summary_page(request, target):
    form, report = _report_request(request, target)
    return render(
        request,
        "reports/summary.html",
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


UNITS_ON_PAGE = 30


@require_GET
@role_required(*ALL_ROLES)
def summary(request, center):
    """The summary report of one centre, for any period (issue 6)."""
    return _summary_page(request, scope.for_center(request.center))


@require_GET
def org_summary(request, organization):
    """The summary report of every centre under an organization (committee)."""
    with scopes_disabled():
        return _summary_page(
            request, scope.for_organization(request.user, organization)
        )
