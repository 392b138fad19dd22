"""Classes held before the system, imported with their declared counts."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enrollment import importing
from enrollment.exports import HistoricClassesTemplateExporter
from trainingcenter.http import file_response
from trainingcenter.tenancy import STAFF_ROLES, role_required
from trainingcenter.uploads import UploadRefused


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def historic_class_import(request, center):
    """Past classes from the Excel template, all or nothing."""
    from enrollment.forms import HistoryUploadForm
    from enrollment.services import historic_classes

    form = HistoryUploadForm(
        request.POST or None,
        request.FILES or None,
        max_bytes=importing.upload_limits()[0],
    )
    rows = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = historic_classes.parse(
                historic_classes.read(form.cleaned_data["file"].read()), request.center
            )
        except UploadRefused as refused:
            form.add_error("file", str(refused))
        else:
            if not any(row.errors for row in rows):
                made = historic_classes.import_classes(request.center, rows)
                messages.success(
                    request,
                    _("%(count)s past classes were recorded.") % {"count": len(made)},
                )
                return redirect("courses:class_list", request.center.slug)
    return render(
        request,
        "enrollment/historic_classes/historic_class_import.html",
        {"form": form, "rows": [row for row in rows if row.errors]},
    )


@require_GET
@role_required(*STAFF_ROLES)
def historic_class_template(request, center):
    return file_response(*HistoricClassesTemplateExporter().export())
