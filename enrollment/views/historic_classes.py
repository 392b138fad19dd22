"""Classes held before the system, imported with their declared counts."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enrollment import importing
from enrollment.exports import HistoricClassesTemplateExporter
from trainingcenter.http import file_response
from trainingcenter.tenancy import STAFF_ROLES, role_required
from trainingcenter.uploads import Sheet, UploadRefused


def _session_key(center) -> str:
    return f"historic_classes:{center.pk}"


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def historic_class_import(request, center):
    """Past classes from Excel: a preview of every row and of the columns not
    imported, then all or nothing on confirmation.

    The checked file waits in the user's session between the two steps, and
    is checked again on confirmation (classes may have been recorded since).
    """
    from enrollment.forms import HistoryUploadForm
    from enrollment.services import historic_classes

    key = _session_key(request.center)
    confirming = request.method == "POST" and "confirm" in request.POST
    form = HistoryUploadForm(
        None if confirming else request.POST or None,
        None if confirming else request.FILES or None,
        max_bytes=importing.upload_limits()[0],
    )
    parsed, sheet = None, None
    try:
        if confirming and key in request.session:
            sheet = Sheet.from_json(request.session[key])
        elif request.method == "POST" and not confirming and form.is_valid():
            sheet = historic_classes.read(form.cleaned_data["file"].read())
        if sheet is not None:
            parsed = historic_classes.parse(sheet, request.center)
    except UploadRefused as refused:
        if not confirming:
            form.add_error("file", str(refused))
    if confirming and parsed is None:
        messages.error(request, _("Nothing to record; send the file again."))
        return redirect("enrollment:historic_class_import", request.center.slug)
    if confirming and not parsed.error_rows:
        made = historic_classes.import_classes(
            request.center, parsed.rows, by=request.user
        )
        del request.session[key]
        messages.success(
            request, _("%(count)s past classes were recorded.") % {"count": len(made)}
        )
        return redirect("courses:class_list", request.center.slug)
    if parsed is not None and not confirming:
        request.session[key] = sheet.to_json()
    return render(
        request,
        "enrollment/historic_classes/historic_class_import.html",
        {"form": form, "parsed": parsed},
    )


@require_GET
@role_required(*STAFF_ROLES)
def historic_class_template(request, center):
    return file_response(*HistoricClassesTemplateExporter().export())
