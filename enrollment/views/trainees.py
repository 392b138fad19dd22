"""The trainee registry and enrolment pages."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from enrollment import exports
from enrollment.forms import (
    TraineeForm,
    WithdrawForm,
)
from enrollment.models import (
    Certificate,
    ExportLog,
    SubjectRequest,
)
from enrollment.models.trainees import citizen_id_match
from enrollment.services import privacy, trainees as services
from enrollment.views.privacy import ask_purpose
from trainingcenter.http import XLSX, file_response
from trainingcenter.privacy import (
    PLACES,
    citizen_id_for,
    looks_like_citizen_id,
    role_of,
    visible,
)
from trainingcenter.tenancy import STAFF_ROLES, role_required
from trainingcenter.text import search_key

ID_NOT_IN_ADDRESS = gettext_lazy(
    "A citizen ID is searched with the search box only, so that it never "
    "travels in a page address."
)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def trainee_list(request, center):
    """The registry, searched by name or citizen ID. The search form posts,
    so that what is typed never lands in an address: a name is then shown at
    ?q= (a page one can go back to); an ID is answered on the POST itself,
    matched through its keyed hash, and never put in a link."""
    query_string = None
    if request.method == "POST":
        query = request.POST.get("q", "").strip()
        if not looks_like_citizen_id(query):
            return redirect(f"{request.path}?{urlencode({'q': query})}")
        query_string = ""  # no link of this page may carry the ID
    else:
        query = request.GET.get("q", "").strip()
        if looks_like_citizen_id(query):
            messages.error(request, ID_NOT_IN_ADDRESS)
            return redirect(request.path)
    trainees = (
        request.center.trainees.matching(query)
        .select_related("unit")
        .in_vietnamese_order()
    )
    page = Paginator(trainees, 50).get_page(request.GET.get("page"))
    if query_string is None:
        query_string = urlencode({"q": query})
    return render(
        request,
        "enrollment/trainees/trainee_list.html",
        {"page": page, "query": query, "query_string": query_string},
    )


def _possible_duplicates(center, form):
    """Records that may be the same person: the same citizen ID, or the same
    name (ignoring diacritics, case and spacing) and birth date."""
    data = getattr(form, "cleaned_data", {})
    match = citizen_id_match(form.data.get("citizen_id", "").strip())
    if data.get("birth_date") and data.get("full_name"):
        match |= Q(
            name_key=search_key(data["full_name"]), birth_date=data["birth_date"]
        )
    same = center.trainees.filter(match)
    if form.instance.pk:
        same = same.exclude(pk=form.instance.pk)
    return list(same.select_related("unit")[:5])


def _offer_confirm_only_with(form, duplicates):
    """The "different person" box appears only next to a possible duplicate."""
    if not duplicates:
        form.fields["confirm_new"].widget = forms.HiddenInput()


@sensitive_post_parameters("citizen_id")
@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def trainee_create(request, center):
    """A new person; opened from a class's enrolment page (`?for_class=`),
    back to it afterwards with the person found, ready to enrol."""
    wanted = request.GET.get("for_class", "")
    for_class = (
        request.center.classes.filter(pk=int(wanted)).first()
        if wanted.isascii() and wanted.isdecimal()
        else None
    )
    form = TraineeForm(request.POST or None, center=request.center)
    duplicates = []
    if request.method == "POST":
        valid = form.is_valid()
        duplicates = _possible_duplicates(request.center, form)
        if valid and (not duplicates or form.cleaned_data["confirm_new"]):
            trainee = form.save()
            messages.success(request, _("%(name)s was added.") % {"name": trainee})
            if for_class:  # back to enrolling, the new person found
                return redirect(
                    reverse("enrollment:enrollment_add", args=[center, for_class.pk])
                    + "?"
                    + urlencode({"q": trainee.full_name})
                )
            return redirect(trainee)
    _offer_confirm_only_with(form, duplicates)
    return render(
        request,
        "enrollment/trainees/trainee_form.html",
        {"form": form, "duplicates": duplicates, "for_class": for_class},
    )


@sensitive_post_parameters("citizen_id")
@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def trainee_update(request, center, pk):
    trainee = get_object_or_404(request.center.trainees, pk=pk)
    form = TraineeForm(request.POST or None, instance=trainee, center=request.center)
    duplicates = []
    if request.method == "POST":
        valid = form.is_valid()
        duplicates = _possible_duplicates(request.center, form)
        if valid and (not duplicates or form.cleaned_data["confirm_new"]):
            with transaction.atomic():
                form.save()
                privacy.record_change(
                    user=request.user,
                    trainee=trainee,
                    fields=[f for f in form.changed_data if f != "confirm_new"],
                )
            messages.success(request, _("%(name)s was saved.") % {"name": trainee})
            return redirect(trainee)
    _offer_confirm_only_with(form, duplicates)
    return render(
        request,
        "enrollment/trainees/trainee_form.html",
        {"form": form, "trainee": trainee, "duplicates": duplicates},
    )


@require_GET
@role_required(*STAFF_ROLES)
def trainee_detail(request, center, pk):
    trainee = get_object_or_404(request.center.trainees.select_related("unit"), pk=pk)
    privacy.record_access(user=request.user, trainee=trainee)
    role = role_of(request.membership)
    enrollments = trainee.enrollments.select_related(
        "training_class__class_type", "unit"
    ).order_by("-training_class__start_date")
    certificates = (
        Certificate.objects.filter(enrollment__trainee=trainee)
        .select_related("enrollment__training_class__class_type", "replaced_by")
        .order_by("-issued_on", "-pk")
    )
    return render(
        request,
        "enrollment/trainees/trainee_detail.html",
        {
            "trainee": trainee,
            "enrollments": enrollments,
            "certificates": certificates,
            "fields": visible("trainee_detail", role),
            "citizen_id": citizen_id_for("trainee_detail", role, trainee.citizen_id),
            "history": _history(trainee) if request.membership.is_director else None,
            "requests": _requests(trainee) if request.membership.is_director else None,
        },
    )


def _requests(trainee) -> list:
    """The person's requests about their data, newest first, each with its
    state against its dates (as the register shows them)."""
    requests = trainee.subject_requests.order_by("-received_on", "-pk")
    return SubjectRequest.with_states(requests, timezone.localdate())


def _history(trainee) -> list[tuple]:
    """The last openings, corrections and exports of the person's own file,
    newest first, in one list: (time, user, what was done)."""
    entries = [
        (entry.at, entry.user, _("opened"))
        for entry in trainee.accesses.select_related("user")[:20]
    ]
    entries += [
        (
            entry.at,
            entry.user,
            _("corrected: %(fields)s") % {"fields": entry.fields_label},
        )
        for entry in trainee.record_changes.select_related("user")[:20]
    ]
    entries += [
        (
            entry.at,
            entry.user,
            _("exported the person's own file: %(purpose)s")
            % {"purpose": entry.purpose_label},
        )
        for entry in trainee.exports.select_related("user")[:20]
    ]
    return sorted(entries, key=lambda entry: entry[0], reverse=True)[:20]


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def enrollment_add(request, center, class_pk):
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=class_pk
    )
    query = request.GET.get("q", "").strip()
    if looks_like_citizen_id(query):
        messages.error(request, ID_NOT_IN_ADDRESS)
        return redirect(request.path)
    enrolled = training_class.enrollments.values("trainee_id")
    candidates = (
        request.center.trainees.matching(query)
        .exclude(pk__in=enrolled)
        .select_related("unit")
        .in_vietnamese_order()[:50]
        if query
        else []
    )
    chosen, warnings = [], []
    picked = [i for i in request.GET.getlist("trainee") if i.isdigit()]
    if picked and request.method == "GET":
        chosen = list(
            request.center.trainees.filter(pk__in=picked)
            .exclude(pk__in=enrolled)
            .select_related("unit")
            .in_vietnamese_order()
        )
        candidates = [c for c in candidates if c.pk not in {p.pk for p in chosen}]
    if request.method == "POST":
        ids = [i for i in request.POST.getlist("trainee") if i.isdigit()]
        chosen = list(request.center.trainees.filter(pk__in=ids).in_vietnamese_order())
        if not chosen:
            messages.error(request, _("Choose at least one trainee."))
        else:
            for trainee in chosen:
                warnings += services.eligibility_warnings(trainee, training_class)
            if not warnings or request.POST.get("confirm_warnings"):
                try:
                    services.enroll_trainees(
                        training_class,
                        trainees=chosen,
                        by=request.user,
                        membership=request.membership,
                        over_capacity_confirmed=bool(request.POST.get("over_capacity")),
                    )
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(
                        request,
                        _("%(count)s trainees were enrolled.") % {"count": len(chosen)},
                    )
                    return redirect(training_class)
    _attach_warnings([*chosen, *candidates], training_class)
    return render(
        request,
        "enrollment/trainees/enrollment_add.html",
        {
            "training_class": training_class,
            "query": query,
            "candidates": candidates,
            "chosen": chosen,
            "warnings": warnings,
            "over_capacity": bool(request.POST.get("over_capacity")),
        },
    )


def _attach_warnings(people, training_class) -> None:
    """Each person's eligibility warnings, shown in the search before the form
    is sent: two queries for the whole list."""
    found = services.eligibility_warnings_for_many(
        [{"pk": person.pk} for person in people], training_class
    )
    for person, warnings in zip(people, found, strict=True):
        person.warnings = warnings


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def enrollment_withdraw(request, center, class_pk, pk):
    training_class = get_object_or_404(request.center.classes, pk=class_pk)
    enrollment = get_object_or_404(
        training_class.enrollments.select_related("trainee"), pk=pk
    )
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(
                enrollment, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s was withdrawn.") % {"name": enrollment.trainee}
            )
        return redirect(training_class)
    return render(
        request,
        "enrollment/trainees/enrollment_withdraw.html",
        {"form": form, "enrollment": enrollment, "training_class": training_class},
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def registry_export(request, center):
    purpose, page = ask_purpose(request, PLACES["registry_export"])
    if page is not None:
        return page
    exporter = exports.RegistryExporter(
        request.center, by=request.user, role=role_of(request.membership)
    )
    privacy.record_export(
        user=request.user,
        center=request.center,
        kind=ExportLog.Kind.REGISTRY,
        file_format="xlsx",
        people=request.center.trainees.count(),
        purpose=purpose,
    )
    name, _type, content = exporter.export()
    return file_response(name, XLSX, content)
