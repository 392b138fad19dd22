import datetime
import secrets
from collections import Counter
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.models import TrainingClass
from enrollment import exports, feedback, importing, services
from enrollment.forms import (
    ListUploadForm,
    NewUnitForm,
    TraineeForm,
    WithdrawForm,
    parse_score,
)
from enrollment.models import (
    Attendance,
    Certificate,
    ColumnMapping,
    Enrollment,
    ImportBatch,
    Survey,
)
from trainingcenter.http import file_response
from trainingcenter.models import Membership
from trainingcenter.pdf import render_pdf
from trainingcenter.templatetags.vn import vn_number
from trainingcenter.tenancy import STAFF_ROLES, role_required
from trainingcenter.text import search_key
from trainingcenter.xlsx import UploadRefused

# Trainee registry ------------------------------------------------------------


@require_GET
@role_required(*STAFF_ROLES)
def trainee_list(request, center):
    query = request.GET.get("q", "").strip()
    trainees = (
        request.center.trainees.matching(query)
        .select_related("unit")
        .in_vietnamese_order()
    )
    page = Paginator(trainees, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "enrollment/trainee_list.html",
        {"page": page, "query": query, "query_string": urlencode({"q": query})},
    )


def _possible_duplicates(center, form):
    """Records that may be the same person: the same citizen ID, or the same
    name (ignoring diacritics, case and spacing) and birth date."""
    data = getattr(form, "cleaned_data", {})
    match = Q(citizen_id=form.data.get("citizen_id", "").strip() or "-")
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


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def trainee_create(request, center):
    form = TraineeForm(request.POST or None, center=request.center)
    duplicates = []
    if request.method == "POST":
        valid = form.is_valid()
        duplicates = _possible_duplicates(request.center, form)
        if valid and (not duplicates or form.cleaned_data["confirm_new"]):
            trainee = form.save()
            messages.success(request, _("%(name)s was added.") % {"name": trainee})
            return redirect(trainee)
    _offer_confirm_only_with(form, duplicates)
    return render(
        request,
        "enrollment/trainee_form.html",
        {"form": form, "duplicates": duplicates},
    )


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
            form.save()
            messages.success(request, _("%(name)s was saved.") % {"name": trainee})
            return redirect(trainee)
    _offer_confirm_only_with(form, duplicates)
    return render(
        request,
        "enrollment/trainee_form.html",
        {"form": form, "trainee": trainee, "duplicates": duplicates},
    )


@require_GET
@role_required(*STAFF_ROLES)
def trainee_detail(request, center, pk):
    trainee = get_object_or_404(request.center.trainees.select_related("unit"), pk=pk)
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
        "enrollment/trainee_detail.html",
        {"trainee": trainee, "enrollments": enrollments, "certificates": certificates},
    )


# Classes ----------------------------------------------------------------------


def _roster(training_class):
    return training_class.enrollments.select_related("trainee", "unit").order_by(
        "trainee__sort_key", "trainee__birth_date", "pk"
    )


@require_GET
@role_required(*STAFF_ROLES)
def class_detail(request, center, pk):
    training_class = get_object_or_404(
        request.center.classes.select_related(
            "class_type__block", "organizer", "ordering_body", "certificate_issuer"
        ).prefetch_related(Prefetch("co_organizers__organization")),
        pk=pk,
    )
    roster = list(_roster(training_class))
    rates = services.attendance_rates(training_class)
    for enrollment in roster:
        enrollment.attendance_rate = rates.get(enrollment.pk)
    sessions = training_class.class_sessions.select_related("lecturer")
    history = (
        Enrollment.history.filter(training_class_id=training_class.pk)
        .select_related("history_user")
        .order_by("-history_date")[:20]
    )
    names = {e.trainee_id: e.trainee.full_name for e in roster}
    history = list(history)
    for entry in history:
        entry.trainee_name = names.get(entry.trainee_id, "")
    active = [e for e in roster if e.status != Enrollment.Status.WITHDRAWN]
    active_rates = [rates[e.pk] for e in active if e.pk in rates]
    class_rate = sum(active_rates) / len(active_rates) if active_rates else None
    return render(
        request,
        "enrollment/class_detail.html",
        {
            "training_class": training_class,
            "roster": roster,
            "sessions": sessions,
            "history": history,
            "active_count": len(active),
            "class_rate": class_rate,
            "with_outcome": sum(e.status != Enrollment.Status.ENROLLED for e in active),
            "next_statuses": [
                TrainingClass.Status(s)
                for s in services.TRANSITIONS[training_class.status]
            ],
        },
    )


@require_POST
@role_required(*STAFF_ROLES)
def class_status(request, center, pk):
    training_class = get_object_or_404(request.center.classes, pk=pk)
    target = request.POST.get("status", "")
    if target not in TrainingClass.Status.values:
        messages.error(request, _("Unknown status."))
        return redirect(training_class)
    try:
        services.change_class_status(training_class, to=target, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The class is now “%(status)s”.")
            % {"status": TrainingClass.Status(target).label},
        )
    return redirect(training_class)


@require_GET
@role_required(*STAFF_ROLES)
def roster_pdf(request, center, class_pk):
    """The sign-in list of a class as an A4 PDF, without citizen IDs."""
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=class_pk
    )
    roster = _roster(training_class).exclude(status=Enrollment.Status.WITHDRAWN)
    survey = Survey.objects.filter(training_class=training_class).first()
    link = feedback.public_url(survey) if survey else ""
    with translation.override("vi"):
        content = render_pdf(
            "enrollment/print/roster.html",
            {
                "center": request.center,
                "training_class": training_class,
                "roster": roster,
                "document_date": timezone.localdate(),
                # The feedback form's QR code and short link, once it is open.
                "feedback_link": link.split("://", 1)[-1],
                "feedback_qr": feedback.qr_data_uri(link, scale=3) if link else "",
            },
        )
    return file_response(
        f"danh-sach-hoc-vien-lop-{training_class.pk}.pdf", "application/pdf", content
    )


# Enrolment --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def enrollment_add(request, center, class_pk):
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=class_pk
    )
    query = request.GET.get("q", "").strip()
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
    return render(
        request,
        "enrollment/enrollment_add.html",
        {
            "training_class": training_class,
            "query": query,
            "candidates": candidates,
            "chosen": chosen,
            "warnings": warnings,
            "is_director": request.membership.role == Membership.Role.DIRECTOR,
            "over_capacity": bool(request.POST.get("over_capacity")),
        },
    )


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
        "enrollment/enrollment_withdraw.html",
        {"form": form, "enrollment": enrollment, "training_class": training_class},
    )


# Attendance and results -------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def attendance(request, center, class_pk, pk):
    training_class = get_object_or_404(request.center.classes, pk=class_pk)
    class_session = get_object_or_404(
        training_class.class_sessions.select_related("lecturer"), pk=pk
    )
    roster = list(
        _roster(training_class).filter(~Q(status=Enrollment.Status.WITHDRAWN))
    )
    if request.method == "POST":
        present = [int(i) for i in request.POST.getlist("present") if i.isdigit()]
        try:
            services.record_attendance(class_session, present=present, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendance was saved."))
            return redirect(training_class)
    absent = set(
        Attendance.objects.filter(
            class_session=class_session, present=False
        ).values_list("enrollment_id", flat=True)
    )
    for enrollment in roster:
        enrollment.is_present = enrollment.pk not in absent
    return render(
        request,
        "enrollment/attendance.html",
        {
            "training_class": training_class,
            "class_session": class_session,
            "roster": roster,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def results(request, center, class_pk):
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=class_pk
    )
    roster = list(
        _roster(training_class).filter(~Q(status=Enrollment.Status.WITHDRAWN))
    )
    errors, values, bad_rows = [], {}, set()
    version = str(training_class.version)
    if request.method == "POST":
        rows = {}
        for number, enrollment in enumerate(roster, start=1):
            raw = request.POST.get(f"score-{enrollment.pk}", "")
            remarks = request.POST.get(f"remarks-{enrollment.pk}", "").strip()[:255]
            values[enrollment.pk] = (raw, remarks)
            try:
                score = parse_score(raw)
            except ValueError as error:
                bad_rows.add(enrollment.pk)
                errors.append(
                    _("Row %(row)s (%(name)s), column “Score”: %(message)s")
                    % {"row": number, "name": enrollment.trainee, "message": error}
                )
                continue
            rows[enrollment.pk] = services.ResultRow(enrollment.pk, score, remarks)
        version = request.POST.get("version", "")
        if not errors:
            try:
                services.record_results(
                    training_class,
                    rows=rows,
                    version=int(version) if version.isdigit() else -1,
                    by=request.user,
                )
            except ValidationError as error:
                errors += error.messages
            else:
                messages.success(request, _("The results were saved."))
                return redirect(training_class)
    for enrollment in roster:
        raw, remarks = values.get(
            enrollment.pk,
            (vn_number(enrollment.score), enrollment.remarks),
        )
        enrollment.raw_score, enrollment.raw_remarks = raw, remarks
    return render(
        request,
        "enrollment/results.html",
        {
            "training_class": training_class,
            "roster": roster,
            "errors": errors,
            "bad_rows": bad_rows,
            "version": version,
        },
    )


# Trainee lists from Excel -------------------------------------------------------

IMPORT_TTL = datetime.timedelta(hours=2)


@require_GET
@role_required(*STAFF_ROLES)
def class_template(request, center, class_pk):
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=class_pk
    )
    return file_response(*exports.class_template(training_class))


@require_GET
@role_required(*STAFF_ROLES)
def roster_export(request, center, class_pk):
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=class_pk
    )
    return file_response(*exports.roster_workbook(training_class, by=request.user))


@require_GET
@role_required(*STAFF_ROLES)
def registry_export(request, center):
    return file_response(*exports.registry_workbook(request.center, by=request.user))


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def import_upload(request, center, class_pk):
    training_class = get_object_or_404(request.center.classes, pk=class_pk)
    max_bytes, max_rows = importing.upload_limits()
    form = ListUploadForm(
        request.POST or None,
        request.FILES or None,
        center=request.center,
        max_bytes=max_bytes,
    )
    if request.method == "POST" and form.is_valid():
        # Uploads never confirmed hold personal data for nothing: drop old ones.
        ImportBatch.objects.filter(
            confirmed_at=None, created_at__lt=timezone.now() - IMPORT_TTL
        ).delete()
        content = form.cleaned_data["file"].read()
        try:
            sheet = importing.read_list(content)
        except UploadRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            unit = form.cleaned_data["sending_unit"]
            remembered = (
                ColumnMapping.objects.filter(sending_unit=unit).first()
                if unit
                else None
            )
            batch = ImportBatch.objects.create(
                token=secrets.token_urlsafe(24),
                center=request.center,
                training_class=training_class,
                user=request.user,
                file_name=form.cleaned_data["file"].name[:255],
                sheet=sheet.to_json(),
                sending_unit=unit,
                mapping=remembered.mapping if remembered else {},
            )
            return redirect(
                "enrollment:import_preview", center, training_class.pk, batch.token
            )
    return render(
        request,
        "enrollment/import_upload.html",
        {"form": form, "training_class": training_class, "max_rows": max_rows},
    )


def _batch(request, class_pk, token):
    """The upload, only for the person who made it, in this centre and class."""
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=class_pk
    )
    batch = get_object_or_404(
        ImportBatch.objects.filter(confirmed_at=None),
        training_class=training_class,
        token=token,
        user=request.user,
    )
    return training_class, batch


def _expired(request, batch):
    if timezone.now() - batch.created_at > IMPORT_TTL:
        messages.error(request, _("This upload has expired; upload the file again."))
        return redirect(
            "enrollment:import_upload", request.center.slug, batch.training_class_id
        )
    return None


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def import_preview(request, center, class_pk, token):
    training_class, batch = _batch(request, class_pk, token)
    if expired := _expired(request, batch):
        return expired
    sheet = services.load_batch_sheet(batch)
    if request.method == "POST":  # the user corrected which column is which
        parsed = importing.parse_list(
            sheet, training_class=training_class, remembered=batch.mapping
        )
        batch.mapping = importing.remap(parsed, request.POST, sheet)
        batch.save(update_fields=["mapping"])
        return redirect(request.path)
    parsed = importing.parse_batch(batch, training_class, sheet=sheet)
    rows = sorted(parsed.rows, key=lambda row: (row.kind != "error", row.number))
    page = Paginator(rows, 200).get_page(request.GET.get("page"))
    counts = Counter(row.kind for row in parsed.rows)
    unknown_units = sorted(
        {row.unknown_unit for row in parsed.rows if row.unknown_unit}
    )
    is_director = request.membership.role == Membership.Role.DIRECTOR
    return render(
        request,
        "enrollment/import_preview.html",
        {
            "training_class": training_class,
            "batch": batch,
            "parsed": parsed,
            "page": page,
            "counts": counts,
            "labels": importing.KIND_LABELS,
            "columns": importing.COLUMNS,
            "header_cells": importing.header_cells(sheet, parsed),
            "unknown_units": unknown_units,
            "unit_form": NewUnitForm(center=request.center) if is_director else None,
            "is_director": is_director,
        },
    )


@require_POST
@role_required(*STAFF_ROLES)
def import_confirm(request, center, class_pk, token):
    training_class, batch = _batch(request, class_pk, token)
    if expired := _expired(request, batch):
        return expired
    try:
        result = services.import_trainee_list(
            batch,
            by=request.user,
            membership=request.membership,
            over_capacity_confirmed=bool(request.POST.get("over_capacity")),
        )
    except (ValidationError, UploadRefused) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(request.path.replace("confirm/", ""))
    messages.success(
        request,
        _("%(created)s new people and %(matched)s already registered were enrolled.")
        % {"created": result.created, "matched": result.matched},
    )
    return redirect(training_class)


@require_GET
@role_required(*STAFF_ROLES)
def import_errors(request, center, class_pk, token):
    training_class, batch = _batch(request, class_pk, token)
    sheet = services.load_batch_sheet(batch)
    parsed = importing.parse_list(
        sheet, training_class=training_class, remembered=batch.mapping
    )
    return file_response(*exports.error_workbook(sheet, parsed, batch.file_name))


@require_POST
@role_required(Membership.Role.DIRECTOR)
def import_unit_create(request, center, class_pk, token):
    training_class, batch = _batch(request, class_pk, token)
    form = NewUnitForm(request.POST, center=request.center)
    if form.is_valid():
        unit = services.create_unit(
            name=form.cleaned_data["name"],
            parent=form.cleaned_data["parent"],
            kind=form.cleaned_data["kind"],
            by=request.user,
        )
        messages.success(request, _("Unit “%(name)s” was created.") % {"name": unit})
    else:
        messages.error(request, _("Choose the body the new unit belongs to."))
    return redirect("enrollment:import_preview", center, class_pk, token)


# Classes from before the system ------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def history_import(request, center):
    """Past classes from the Excel template, all or nothing (issue 6, item 3)."""
    from enrollment import history
    from enrollment.forms import HistoryUploadForm

    form = HistoryUploadForm(
        request.POST or None,
        request.FILES or None,
        max_bytes=importing.upload_limits()[0],
    )
    rows = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = history.parse(
                history.read(form.cleaned_data["file"].read()), request.center
            )
        except UploadRefused as refused:
            form.add_error("file", str(refused))
        else:
            if not any(row.errors for row in rows):
                made = history.import_classes(request.center, rows)
                messages.success(
                    request,
                    _("%(count)s past classes were recorded.") % {"count": len(made)},
                )
                return redirect("courses:class_list", request.center.slug)
    return render(
        request,
        "enrollment/history_import.html",
        {"form": form, "rows": [row for row in rows if row.errors]},
    )


@require_GET
@role_required(*STAFF_ROLES)
def history_template(request, center):
    from enrollment import history

    return file_response(*history.template())
