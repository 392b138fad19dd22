"""The summary report as a PDF and as an Excel workbook (issue 6, items 5 and 6)."""

from django.http import Http404
from django.views.decorators.http import require_GET
from django_scopes import scopes_disabled

from reports import scope
from trainingcenter.tenancy import ALL_ROLES, role_required


def _pdf(request, target):
    raise Http404  # built next


def _xlsx(request, target):
    raise Http404  # built next


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
