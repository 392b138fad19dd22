"""Read-only pages: the centre dashboard now, the reports later."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from courses.models import ClassType, TrainingClass
from reports import counting
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
