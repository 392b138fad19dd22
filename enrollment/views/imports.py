"""Trainee lists from Excel: upload, preview, confirm, and the files around them."""

import datetime
import secrets
from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enrollment import columns, exports, importing
from enrollment.forms import (
    ListUploadForm,
    NewUnitForm,
)
from enrollment.matching import apply_choices
from enrollment.models import Enrollment, ImportBatch, ListField
from enrollment.services import imports
from trainingcenter.http import file_response
from trainingcenter.models import Membership
from trainingcenter.templatetags.vn import vn_number
from trainingcenter.tenancy import STAFF_ROLES, role_required
from trainingcenter.uploads import UploadRefused

IMPORT_TTL = datetime.timedelta(hours=2)


@require_GET
@role_required(*STAFF_ROLES)
def class_template(request, center, class_pk):
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=class_pk
    )
    return file_response(*exports.ClassTemplateExporter(training_class).export())


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
        # "Upload a corrected file" keeps the unit chosen for the first one.
        initial={"sending_unit": request.GET.get("sending_unit")},
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
            remembered = columns.remembered_mapping(sheet, request.center)
            batch = ImportBatch.objects.create(
                token=secrets.token_urlsafe(24),
                center=request.center,
                training_class=training_class,
                user=request.user,
                file_name=form.cleaned_data["file"].name[:255],
                sheet=sheet.to_json(),
                sending_unit=unit,
                mapping=remembered.mapping if remembered else {},
                mapping_remembered=bool(remembered),
            )
            return redirect(
                "enrollment:import_preview", center, training_class.pk, batch.token
            )
    return render(
        request,
        "enrollment/imports/import_upload.html",
        {"form": form, "training_class": training_class, "max_rows": max_rows},
    )


def _batch(request, class_pk, token, *, imported=False):
    """The upload, only for the person who made it, in this centre and class;
    with `imported`, also once it was enrolled (`_stale` then says so)."""
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=class_pk
    )
    batch = get_object_or_404(
        ImportBatch.objects.all()
        if imported
        else ImportBatch.objects.filter(confirmed_at=None),
        training_class=training_class,
        token=token,
        user=request.user,
    )
    return training_class, batch


def _stale(request, batch):
    """A redirect away from an upload already enrolled (the browser's Back
    after confirming) or too old; None for one still to be used."""
    if batch.confirmed_at:
        messages.info(
            request,
            _("This list was already enrolled on %(at)s; nothing more was written.")
            % {"at": timezone.localtime(batch.confirmed_at).strftime("%H:%M %d/%m/%Y")},
        )
        return redirect(batch.training_class)
    if timezone.now() - batch.created_at > IMPORT_TTL:
        messages.error(request, _("This upload has expired; upload the file again."))
        return redirect(
            "enrollment:import_upload", request.center.slug, batch.training_class_id
        )
    return None


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def import_preview(request, center, class_pk, token):
    training_class, batch = _batch(request, class_pk, token, imported=True)
    if stale := _stale(request, batch):
        return stale
    sheet = imports.load_batch_sheet(batch)
    if request.method == "POST":  # the user corrected which column is which
        parsed = importing.parse_batch(batch, training_class, sheet=sheet)
        number = columns.mapping_row(sheet, parsed)
        imports.choose_columns(
            batch,
            headers=sheet.rows[number - 1] if number else (),
            mapping=columns.remap(parsed, request.POST, sheet),
            by=request.user,
        )
        return redirect(request.path)
    parsed = importing.parse_batch(batch, training_class, sheet=sheet)
    rows = sorted(parsed.rows, key=lambda row: (row.kind != "error", row.number))
    page = Paginator(rows, 200).get_page(request.GET.get("page"))
    shown = columns.preview_fields(parsed)
    counts = Counter(row.kind for row in parsed.rows)
    unknown_units = sorted(
        {row.unknown_unit for row in parsed.rows if row.unknown_unit}
    )
    return render(
        request,
        "enrollment/imports/import_preview.html",
        {
            "training_class": training_class,
            "batch": batch,
            "parsed": parsed,
            "page": page,
            "fields": [(key, importing.TITLES.get(key, key)) for key in shown],
            "cells": columns.preview_cells(page.object_list, shown),
            "counts": counts,
            "labels": importing.KIND_LABELS,
            "choices": ListField.choices,
            "header_cells": columns.header_cells(sheet, parsed),
            "over_capacity": _over_capacity(training_class, counts),
            "unknown_units": unknown_units,
            "unit_form": (
                NewUnitForm(center=request.center)
                if request.membership.is_director
                else None
            ),
        },
    )


@require_POST
@role_required(*STAFF_ROLES)
def import_confirm(request, center, class_pk, token):
    training_class, batch = _batch(request, class_pk, token, imported=True)
    if stale := _stale(request, batch):
        return stale
    if not request.POST.get("confirmed") and (
        asked := _confirm_import(request, training_class, batch)
    ):
        return asked
    try:
        result = imports.import_trainee_list(
            batch,
            by=request.user,
            membership=request.membership,
            over_capacity_confirmed=bool(request.POST.get("over_capacity")),
            choices=request.POST,
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


def _over_capacity(training_class, counts: Counter) -> dict | None:
    """The class's capacity, its trainees and this list's, when the list would
    take it past its capacity: said on the preview, not first at the confirm."""
    if not training_class.capacity:
        return None
    taken = Enrollment.objects.filter(training_class=training_class).active().count()
    adding = counts["new"] + counts["match"]
    if taken + adding <= training_class.capacity:
        return None
    return {"capacity": training_class.capacity, "taken": taken, "adding": adding}


def _confirm_import(request, training_class, batch):
    """Asked once before the list is written: rows, new people, units created.
    None for a list that cannot be imported: the import itself says why."""
    parsed = importing.parse_batch(
        batch, training_class, sheet=imports.load_batch_sheet(batch)
    )
    if not parsed.header_row or parsed.error_count or not parsed.rows:
        return None
    apply_choices(parsed.rows, request.POST)
    skipped = sum(row.already_enrolled for row in parsed.rows)
    new = sum(not row.match_id and not row.already_enrolled for row in parsed.rows)
    units = request.session.get(_units_key(batch), [])
    facts = [
        _("Rows of the list to enrol: %(count)s.")
        % {"count": vn_number(len(parsed.rows) - skipped)},
        _("New people added to the registry: %(count)s.") % {"count": vn_number(new)},
        _("People already registered: %(count)s.")
        % {"count": vn_number(len(parsed.rows) - skipped - new)},
        _("Already in the class, left as they are: %(count)s.")
        % {"count": vn_number(skipped)},
        _("Units created for this list: %(units)s.")
        % {"units": ", ".join(units) if units else _("none")},
    ]
    hidden = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirmed")
        for value in values
    ]
    return render(
        request,
        "includes/confirm.html",
        {
            "heading": _("Import the list?"),
            "subject": f"{training_class} · {batch.file_name}",
            "facts": facts,
            "warning": _("Everyone is enrolled at once; nothing is saved before this."),
            "action": request.path,
            "hidden": hidden,
            "confirm_label": _("Enrol %(count)s people")
            % {"count": vn_number(len(parsed.rows) - skipped)},
            "cancel_url": reverse(
                "enrollment:import_preview",
                args=[request.center.slug, training_class.pk, batch.token],
            ),
        },
    )


def _units_key(batch) -> str:
    return f"import-units-{batch.token}"


@require_GET
@role_required(*STAFF_ROLES)
def import_errors(request, center, class_pk, token):
    training_class, batch = _batch(request, class_pk, token)
    sheet = imports.load_batch_sheet(batch)
    parsed = importing.parse_batch(batch, training_class, sheet=sheet)
    return file_response(
        *exports.ErrorWorkbookExporter(sheet, parsed, batch.file_name).export()
    )


@require_POST
@role_required(Membership.Role.DIRECTOR)
def import_unit_create(request, center, class_pk, token):
    training_class, batch = _batch(request, class_pk, token)
    form = NewUnitForm(request.POST, center=request.center)
    if form.is_valid():
        unit = imports.create_unit(
            name=form.cleaned_data["name"],
            parent=form.cleaned_data["parent"],
            kind=form.cleaned_data["kind"],
            by=request.user,
        )
        created = request.session.get(_units_key(batch), [])
        request.session[_units_key(batch)] = [*created, str(unit)]
        messages.success(request, _("Unit “%(name)s” was created.") % {"name": unit})
    else:
        messages.error(request, _("Choose the body the new unit belongs to."))
    return redirect("enrollment:import_preview", center, class_pk, token)
