"""The committees' rollups: on screen with filters, and as Excel (issue 7).

GET-only, and they change no data: a long workbook only queues a job for
the member who asked (reports/jobs.py), as a long report PDF does. Who may
see them is decided by reports.scope (a committee membership on the
organization or above it, or a superuser); anyone else gets 404 whether the
organization exists or not.
"""

import logging
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_scopes import scopes_disabled

from reports import jobs, rollup_excel, rollups, scope
from reports.forms import RollupForm
from trainingcenter.http import XLSX, file_response
from trainingcenter.models import Organization

CERTIFIED_ON_PAGE = ROWS_ON_PAGE = 200


def _request(request, organization):
    target = scope.for_organization(request.user, organization)
    form = RollupForm(
        request.GET or None,
        organization=Organization.objects.get(pk=target.organization_id),
    )
    return target, form


def _page(request, target, form):
    context = {"form": form, "scope": target, "query_string": request.GET.urlencode()}
    if form.is_valid():
        filters = form.filters()
        kind = form.cleaned_data["rollup"]
        context["kind"] = kind
        context["filters"] = filters
        if kind == "units":
            context["rollup"] = rollups.by_unit(target.centers, filters)
        elif kind == "centers":
            context["rollup"] = rollups.by_center(target.centers, filters)
        elif kind == "certified":
            rows = rollups.certified(target.centers, filters)
            shown = list(rows[:CERTIFIED_ON_PAGE])
            names = rollups.unit_names({row[0] for row in shown}, filters.by_today)
            context["certified"] = [(names[row[0]][1], *row[1:]) for row in shown]
            context["certified_count"] = rows.count()
            context["certified_shown"] = CERTIFIED_ON_PAGE
        else:
            context["pipeline"] = rollups.pipeline(
                target.centers, filters, timezone.localdate(), limit=ROWS_ON_PAGE
            )
            context["rows_shown"] = ROWS_ON_PAGE
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "reports/rollups.html", context, status=status)


@require_GET
def rollup_page(request, organization):
    with scopes_disabled():
        target, form = _request(request, organization)
        return _page(request, target, form)


def _job_query(form: RollupForm) -> str:
    """The form's own fields of the request, in a fixed order: the same
    rollup asked twice is the same job."""
    data = {name: form.data.get(name, "") for name in sorted(form.fields)}
    return urlencode({name: value for name, value in data.items() if value})


@require_GET
def rollup_xlsx(request, organization):
    with scopes_disabled():
        target, form = _request(request, organization)
        if not form.is_valid():
            return _page(request, target, form)
        filters = form.filters()
        kind = form.cleaned_data["rollup"]
        today = timezone.localdate()
        if rollup_excel.row_count(kind, target, filters, today) > (
            rollup_excel.inline_rows()
        ):
            # A long list is written by the background worker; its page shows
            # the progress and then the download.
            job = jobs.start_job(
                request.user, target, filters.period, kind, _job_query(form)
            )
            return redirect("report_job", job.pk)
        content = rollup_excel.workbook(kind, target, filters, today)
    logging.getLogger("trainingcenter.audit").info(
        "rollup xlsx kind=%s org=%s period=%s..%s user=%s",
        kind,
        target.organization_id,
        filters.period.start,
        filters.period.end,
        request.user.pk,
    )
    return file_response(
        rollup_excel.file_name(kind, target, filters.period), XLSX, content
    )
