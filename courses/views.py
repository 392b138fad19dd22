from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from courses.forms import LecturerForm
from courses.models import ClassType, GradingBand
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


@require_GET
@role_required(*STAFF_ROLES)
def lecturer_list(request, center):
    query = request.GET.get("q", "").strip()
    lecturers = request.center.lecturers.matching(query).select_related("unit")
    page = Paginator(lecturers, 50).get_page(request.GET.get("page"))
    return render(request, "courses/lecturer_list.html", {"page": page, "query": query})


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
        request, "courses/lecturer_form.html", {"form": form, "lecturer": lecturer}
    )
