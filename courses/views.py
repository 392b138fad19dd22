"""The courses pages: the programme catalogue, the annual plan, lecturers and
classes with their sessions."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from courses.forms import (
    ClassFilterForm,
    ClassSessionForm,
    CoOrganizerFormSet,
    HistoricClassForm,
    LecturerActivityForm,
    LecturerForm,
    PlanYearForm,
    TrainingClassForm,
    plan_years,
)
from courses.models import ClassType, GradingBand
from courses.plan_levels import PlanLevelsForm, save_levels
from courses.quotas import UnitQuotaFormSet
from courses.services import save_plan
from trainingcenter.models import Membership
from trainingcenter.tenancy import ALL_ROLES, STAFF_ROLES, role_required


@require_GET
@role_required(*ALL_ROLES)
def class_type_list(request, center):
    class_types = (
        ClassType.objects.active()
        .select_related("block")
        .prefetch_related(Prefetch("bands", GradingBand.objects.order_by("-min_score")))
        .order_by("order", "name")
    )
    return render(request, "courses/class_type_list.html", {"class_types": class_types})


# The annual plan --------------------------------------------------------------


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
    editable = request.membership.is_director
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
    levels = {
        level.block_id: level for level in request.center.plan_totals.filter(year=year)
    }
    form = PlanLevelsForm(
        request.POST or None,
        class_types=class_types,
        plans={plan.class_type_id: plan for plan in plans},
        levels=levels,
        editable=editable,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            save_plan(
                request.center, year=year, targets=form.targets(), by=request.user
            )
            save_levels(
                request.center,
                year=year,
                levels=form.levels(),
                existing=set(levels),
                by=request.user,
            )
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


# Lecturers ---------------------------------------------------------------------


@require_GET
@role_required(*STAFF_ROLES)
def lecturer_list(request, center):
    query = request.GET.get("q", "").strip()
    lecturers = (
        request.center.lecturers.matching(query)
        .select_related("unit")
        .with_periods_taught()
        .order_by("sort_key", "pk")
    )
    page = Paginator(lecturers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/lecturer_list.html",
        {"page": page, "query": query, "query_string": urlencode({"q": query})},
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def lecturer_create(request, center):
    form = LecturerForm(request.POST or None, center=request.center)
    if request.method == "POST" and form.is_valid():
        lecturer = form.save()
        messages.success(
            request, _("Lecturer %(name)s was added.") % {"name": lecturer.full_name}
        )
        return redirect("courses:lecturer_list", center)
    return render(request, "courses/lecturer_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def lecturer_update(request, center, pk):
    lecturer = get_object_or_404(request.center.lecturers, pk=pk)
    form = LecturerForm(request.POST or None, instance=lecturer, center=request.center)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, _("Lecturer %(name)s was saved.") % {"name": lecturer.full_name}
        )
        return redirect("courses:lecturer_list", center)
    return render(
        request,
        "courses/lecturer_form.html",
        {
            "form": form,
            "lecturer": lecturer,
            "activities": list(lecturer.activities.all()),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def lecturer_activity_create(request, center, lecturer_pk):
    lecturer = get_object_or_404(request.center.lecturers, pk=lecturer_pk)
    form = LecturerActivityForm(request.POST or None, lecturer=lecturer)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("An activity of %(name)s was added.") % {"name": lecturer.full_name},
        )
        return redirect("courses:lecturer_update", center, lecturer.pk)
    return render(
        request,
        "courses/lecturer_activity_form.html",
        {"form": form, "lecturer": lecturer},
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def lecturer_activity_update(request, center, lecturer_pk, pk):
    lecturer = get_object_or_404(request.center.lecturers, pk=lecturer_pk)
    activity = get_object_or_404(lecturer.activities, pk=pk)
    form = LecturerActivityForm(
        request.POST or None, instance=activity, lecturer=lecturer
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("The activity of %(name)s was saved.") % {"name": lecturer.full_name},
        )
        return redirect("courses:lecturer_update", center, lecturer.pk)
    return render(
        request,
        "courses/lecturer_activity_form.html",
        {"form": form, "lecturer": lecturer, "activity": activity},
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def lecturer_activity_delete(request, center, lecturer_pk, pk):
    """A GET shows what will go; only the POST of that page deletes."""
    lecturer = get_object_or_404(request.center.lecturers, pk=lecturer_pk)
    activity = get_object_or_404(lecturer.activities, pk=pk)
    if request.method == "POST":
        activity.delete()
        messages.success(
            request,
            _("The activity of %(name)s was deleted.") % {"name": lecturer.full_name},
        )
        return redirect("courses:lecturer_update", center, lecturer.pk)
    return render(
        request,
        "courses/lecturer_activity_delete.html",
        {"lecturer": lecturer, "activity": activity},
    )


# Classes and their sessions ----------------------------------------------------


def _closed(request, training_class):
    """A closed class is a record: its data and results no longer change."""
    messages.error(request, _("The class is closed; it can no longer be changed."))
    return redirect(training_class)


@require_GET
@role_required(*STAFF_ROLES)
def class_list(request, center):
    classes = request.center.classes.all()
    years = sorted(
        {day.year for day in classes.dates("start_date", "year")}, reverse=True
    )
    filters = ClassFilterForm(request.GET or None, years=years)
    classes = (
        filters.filter(classes)
        .select_related("class_type__block")
        .with_enrollment_counts()
        .order_by("-start_date", "-pk")
    )
    page = Paginator(classes, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/class_list.html",
        {"page": page, "filters": filters, "query_string": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def class_create(request, center):
    class_type = None
    if request.method == "GET":
        chosen = request.GET.get("programme", "")
        class_type = (
            ClassType.objects.active().filter(pk=chosen).first()
            if chosen.isdigit()
            else None
        )
        if class_type is None:
            return render(
                request,
                "courses/class_choose_programme.html",
                {"class_types": ClassType.objects.active().select_related("block")},
            )
    form = TrainingClassForm(
        request.POST or None,
        center=request.center,
        initial=TrainingClassForm.initial_from(class_type) if class_type else None,
    )
    formset = CoOrganizerFormSet(
        request.POST or None, form_kwargs={"center": request.center}, prefix="co"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            training_class = form.save()
            formset.instance = training_class
            formset.save()
        messages.success(request, _("The class was opened."))
        return redirect(training_class)
    return render(
        request, "courses/class_form.html", {"form": form, "formset": formset}
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def class_update(request, center, pk):
    training_class = get_object_or_404(request.center.classes, pk=pk)
    if training_class.is_closed:
        return _closed(request, training_class)
    form = TrainingClassForm(
        request.POST or None, instance=training_class, center=request.center
    )
    formset = CoOrganizerFormSet(
        request.POST or None,
        instance=training_class,
        form_kwargs={"center": request.center},
        prefix="co",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            formset.save()
        messages.success(request, _("The class was saved."))
        return redirect(training_class)
    return render(
        request,
        "courses/class_form.html",
        {"form": form, "formset": formset, "training_class": training_class},
    )


@require_http_methods(["GET", "POST"])
@role_required(Membership.Role.DIRECTOR)
def class_correct(request, center, pk):
    """The director corrects a class from before the system, closed as it is.

    Classes with a roster stay closed to changes; each correction is kept in
    the class's history with who, when and why.
    """
    training_class = get_object_or_404(request.center.classes.historic(), pk=pk)
    if not request.membership.is_director:
        raise PermissionDenied
    form = HistoricClassForm(
        request.POST or None, instance=training_class, center=request.center
    )
    if request.method == "POST" and form.is_valid():
        corrected = form.save(commit=False)
        corrected._history_user = request.user
        corrected._change_reason = form.cleaned_data["reason"]
        corrected.save()
        messages.success(request, _("The correction was saved."))
        return redirect(training_class)
    return render(
        request,
        "courses/class_correct.html",
        {"form": form, "training_class": training_class},
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def session_create(request, center, class_pk):
    training_class = get_object_or_404(request.center.classes, pk=class_pk)
    if training_class.is_closed:
        return _closed(request, training_class)
    form = ClassSessionForm(request.POST or None, training_class=training_class)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The session was added."))
        return redirect(training_class)
    return render(
        request,
        "courses/session_form.html",
        {"form": form, "training_class": training_class},
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def session_update(request, center, class_pk, pk):
    training_class = get_object_or_404(request.center.classes, pk=class_pk)
    if training_class.is_closed:
        return _closed(request, training_class)
    class_session = get_object_or_404(training_class.class_sessions, pk=pk)
    form = ClassSessionForm(
        request.POST or None, instance=class_session, training_class=training_class
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The session was saved."))
        return redirect(training_class)
    return render(
        request,
        "courses/session_form.html",
        {
            "form": form,
            "training_class": training_class,
            "class_session": class_session,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def class_quotas(request, center, pk):
    """How many people the class asks of each sending unit; the summons to a
    unit asks for its number. All lines are saved together or none."""
    training_class = get_object_or_404(request.center.classes, pk=pk)
    if training_class.is_closed:
        return _closed(request, training_class)
    formset = UnitQuotaFormSet(
        request.POST or None,
        instance=training_class,
        queryset=training_class.quotas.select_related("organization").order_by(
            "organization__name", "pk"
        ),
        form_kwargs={"center": request.center},
        prefix="quota",
    )
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, _("The numbers called were saved."))
        return redirect(training_class)
    return render(
        request,
        "courses/class_quotas.html",
        {"formset": formset, "training_class": training_class},
    )
