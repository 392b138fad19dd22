"""Read-only pages: the centre dashboard now, the reports later."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from courses.models import ClassType
from trainingcenter.tenancy import ALL_ROLES, centers_for_user, role_required


@require_GET
@role_required(*ALL_ROLES)
def dashboard(request, center):
    counts = {
        "lecturers": request.center.lecturers.filter(is_active=True).count(),
        "programmes": ClassType.objects.active().count(),
    }
    return render(
        request,
        "reports/dashboard.html",
        {"counts": counts, "other_centers": centers_for_user(request.user)},
    )
