"""The annual plan page: a year's targets per programme (DOMAIN.md §3, issue 6)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from courses.forms import AnnualPlanForm, PlanYearForm, plan_years
from courses.models import ClassType
from courses.plans import save_plan
from trainingcenter.models import Membership
from trainingcenter.tenancy import ALL_ROLES, role_required


@require_GET
@role_required(*ALL_ROLES)
def plan_current(request, center):
    """The current year's plan, or the year typed in the switcher."""
    if "year" not in request.GET:
        return redirect("courses:plan_form", center, timezone.localdate().year)
    switcher = PlanYearForm(request.GET)
    if switcher.is_valid():
        return redirect("courses:plan_form", center, switcher.cleaned_data["year"])
    return render(request, "courses/plan_form.html", {"switcher": switcher})


@require_http_methods(["GET", "POST"])
@role_required(*ALL_ROLES)
def plan_form(request, center, year):
    """Everyone may read the plan; only the director changes it."""
    editable = request.membership.role == Membership.Role.DIRECTOR
    if request.method == "POST" and not editable:
        raise PermissionDenied
    switcher = PlanYearForm({"year": year})
    if not switcher.is_valid():
        return render(request, "courses/plan_form.html", {"switcher": switcher})
    plans = request.center.plans.filter(year=year)
    # Active programmes, and any other that has a target this year.
    class_types = (
        ClassType.objects.filter(
            Q(is_active=True) | Q(pk__in=plans.values("class_type"))
        )
        .select_related("block")
        .order_by("block__order", "block__name", "order", "name")
    )
    form = AnnualPlanForm(
        request.POST or None,
        class_types=class_types,
        plans={plan.class_type_id: plan for plan in plans},
        editable=editable,
    )
    if request.method == "POST" and form.is_valid():
        save_plan(request.center, year=year, targets=form.targets(), by=request.user)
        messages.success(
            request, _("The plan for %(year)s was saved.") % {"year": year}
        )
        return redirect("courses:plan_form", center, year)
    first, last = plan_years()
    return render(
        request,
        "courses/plan_form.html",
        {
            "form": form,
            "switcher": switcher,
            "year": year,
            "previous_year": year - 1 if year > first else None,
            "next_year": year + 1 if year < last else None,
        },
    )
