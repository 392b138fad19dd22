"""The committees' rollups: on screen with filters, and as Excel (issue 7).

Read-only and GET-only. Who may see them is decided by reports.scope (a
committee membership on the organization or above it, or a superuser);
anyone else gets 404 whether the organization exists or not.
"""

import logging

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_scopes import scopes_disabled

from enrollment.exports import XLSX
from reports import rollup_excel, rollups, scope
from reports.forms import RollupForm
from trainingcenter.http import file_response
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


@require_GET
def rollup_xlsx(request, organization):
    with scopes_disabled():
        target, form = _request(request, organization)
        if not form.is_valid():
            return _page(request, target, form)
        filters = form.filters()
        kind = form.cleaned_data["rollup"]
        content = rollup_excel.workbook(kind, target, filters, timezone.localdate())
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
