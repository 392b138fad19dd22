"""Personal data: the purpose asked before an export, the director's export
and access logs, a person's own file, and the register of the requests
people make about their data."""

import copy

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from django_scopes import scopes_disabled

from enrollment.disclosures import (
    ExportLogExporter,
    PersonFileExporter,
    identity_rows,
)
from enrollment.forms import SubjectRequestForm
from enrollment.models import AccessLog, ExportLog, SubjectRequest
from enrollment.services import export_filters, privacy as service
from trainingcenter.forms import DateInput
from trainingcenter.http import PDF, file_response
from trainingcenter.logs import audit
from trainingcenter.models import Membership
from trainingcenter.paging import filtered_page
from trainingcenter.pdf import render_pdf
from trainingcenter.privacy import PLACES, PurposeForm
from trainingcenter.templatetags.vn import staff_name
from trainingcenter.tenancy import role_required
from trainingcenter.text import search_key

DIRECTOR = Membership.Role.DIRECTOR


def ask_purpose(request, what: str, *, base: str = "base_center.html"):
    """(purpose, None) when this POST gives a valid purpose; otherwise
    (None, the page that asks for it): a GET shows the question, a POST
    without a valid purpose shows it again with the reason (400) and makes
    no file."""
    if request.method == "POST":
        form = PurposeForm(request.POST)
        if form.is_valid():
            return form.cleaned_data, None
        status = 400
    else:
        form, status = PurposeForm(), 200
    page = render(
        request,
        "enrollment/privacy/purpose.html",
        {"form": form, "what": what, "base": base, "action": request.get_full_path()},
        status=status,
    )
    return None, page


# The director's logs ---------------------------------------------------------


class LogFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("User"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="—",
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    kind = forms.ChoiceField(label=_("What was exported"), required=False)

    def __init__(self, *args, center, above=(), with_kind=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(
                Q(memberships__center=center)
                | Q(memberships__organization__in=above, memberships__center=None)
            )
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["user"].label_from_instance = staff_name
        if with_kind:
            self.fields["kind"].choices = [("", "—"), *ExportLog.Kind.choices]
        else:
            del self.fields["kind"]

    def apply(self, rows):
        if not self.is_valid():
            return rows.none()
        data = self.cleaned_data
        if data["user"]:
            rows = rows.filter(user=data["user"])
        if data["start"]:
            rows = rows.filter(at__date__gte=data["start"])
        if data["end"]:
            rows = rows.filter(at__date__lte=data["end"])
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        return rows


def _export_rows(request):
    """The centre's exports, and the committees' exports over an organization
    the centre belongs to (their rollups may name its people): the director
    reads who took personal data out, whoever it was."""
    center = request.center
    above = center.organization.ancestor_ids()
    form = LogFilterForm(request.GET or None, center=center, above=above)
    with scopes_disabled():  # the committees' rows belong to no centre
        rows = ExportLog.objects.filter(
            Q(center=center) | Q(center__isnull=True, organization__in=above)
        ).select_related("user", "trainee", "organization")
    return form, (form.apply(rows) if request.GET else rows)


@require_GET
@role_required(DIRECTOR)
def export_log(request, center):
    form, rows = _export_rows(request)
    return filtered_page(
        request,
        "enrollment/privacy/export_log.html",
        form,
        rows,
        prepare=export_filters.describe,
        heavy=service.heavy_exporters(request.center, timezone.localdate()),
        limit=service.daily_limit(),
    )


@require_GET
@role_required(DIRECTOR)
def export_log_xlsx(request, center):
    form, rows = _export_rows(request)
    audit("export log xlsx", centre=request.center.slug, user=request.user.pk)
    return file_response(*ExportLogExporter(request.center, rows).export())


@require_GET
@role_required(DIRECTOR)
def access_log(request, center):
    form = LogFilterForm(request.GET or None, center=request.center, with_kind=False)
    rows = AccessLog.objects.filter(center=request.center).select_related(
        "user", "trainee"
    )
    rows = form.apply(rows) if request.GET else rows
    return filtered_page(request, "enrollment/privacy/access_log.html", form, rows)


# A person's own file ---------------------------------------------------------


def _person_file(request, pk, file_format: str):
    trainee = get_object_or_404(request.center.trainees.select_related("unit"), pk=pk)
    purpose, page = ask_purpose(request, PLACES["person_file"])
    if page is not None:
        return trainee, None, page
    entry = service.record_export(
        user=request.user,
        center=request.center,
        kind=ExportLog.Kind.PERSON_FILE,
        file_format=file_format,
        people=1,
        purpose=purpose,
        filters={"trainee": trainee.pk},
        trainee=trainee,
    )
    return trainee, service.person_file(trainee), entry


@require_http_methods(["GET", "POST"])
@role_required(DIRECTOR)
def person_file_pdf(request, center, pk):
    trainee, held, entry = _person_file(request, pk, "pdf")
    if held is None:
        return entry
    with translation.override("vi"):
        content = render_pdf(
            "enrollment/print/person_file.html",
            {
                "center": request.center,
                "file": held,
                "identity": identity_rows(held.trainee),
                "purpose": entry.purpose_label,
                "document_date": timezone.localdate(),
            },
        )
    return file_response(_file_name(trainee, "pdf"), PDF, content)


@require_http_methods(["GET", "POST"])
@role_required(DIRECTOR)
def person_file_xlsx(request, center, pk):
    trainee, held, entry = _person_file(request, pk, "xlsx")
    if held is None:
        return entry
    name, content_type, content = PersonFileExporter(
        request.center, held, purpose=entry.purpose_label
    ).export()
    return file_response(_file_name(trainee, "xlsx"), content_type, content)


def _file_name(trainee, extension: str) -> str:
    name = slugify(search_key(trainee.full_name))
    return f"ho-so-du-lieu-{name}-{timezone.localdate():%Y%m%d}.{extension}"


# Requests from the people the data is about ----------------------------------


@require_GET
@role_required(DIRECTOR)
def subject_requests(request, center):
    """Every request, newest first, each with its state against its dates;
    the ones past a date first."""
    today = timezone.localdate()
    held = SubjectRequest.objects.filter(center=request.center)
    late = SubjectRequest.past_a_date(request.center, today)

    return filtered_page(
        request,
        "enrollment/privacy/subject_requests.html",
        None,
        held.exclude(pk__in=late.values("pk")).select_related("trainee"),
        prepare=lambda rows: SubjectRequest.with_states(rows, today),
        late=SubjectRequest.with_states(late.select_related("trainee"), today),
        today=today,
    )


@require_http_methods(["GET", "POST"])
@role_required(DIRECTOR)
def subject_request_create(request, center):
    trainee = None
    if request.GET.get("trainee"):
        trainee = get_object_or_404(
            request.center.trainees, pk=_pk(request.GET["trainee"])
        )
    form = SubjectRequestForm(
        request.POST or None, center=request.center, trainee=trainee
    )
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.created_by = request.user
        entry.save()
        audit("subject request", centre=request.center.slug, request=entry.pk)
        messages.success(
            request,
            _("The request was recorded: reply by %(answer)s, done by %(due)s.")
            % {
                "answer": f"{entry.answer_by:%d/%m/%Y}",
                "due": f"{entry.due_on:%d/%m/%Y}",
            },
        )
        if entry.state(timezone.localdate()) in ("overdue", "reply_overdue"):
            messages.warning(
                request,
                _(
                    "Received on %(day)s, this request is already past a date: "
                    "it is listed first in the register until it is answered "
                    "and done."
                )
                % {"day": f"{entry.received_on:%d/%m/%Y}"},
            )
        return redirect("enrollment:subject_requests", center)
    return render(
        request,
        "enrollment/privacy/subject_request_form.html",
        {"form": form, "trainee": trainee},
    )


@require_http_methods(["GET", "POST"])
@role_required(DIRECTOR)
def subject_request_update(request, center, pk):
    entry = get_object_or_404(
        SubjectRequest.objects.filter(center=request.center).select_related("trainee"),
        pk=pk,
    )
    if request.method == "POST" and entry.closed_on:
        messages.error(
            request,
            _("This request was done on %(day)s; the register keeps it as it is.")
            % {"day": f"{entry.closed_on:%d/%m/%Y}"},
        )
        return redirect("enrollment:subject_request_update", center, pk)
    saved = copy.copy(entry)  # the page states the dates as saved, not as typed
    form = SubjectRequestForm(
        request.POST or None, instance=entry, center=request.center
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        audit(
            "subject request saved",
            centre=request.center.slug,
            request=entry.pk,
            user=request.user.pk,
            fields=",".join(form.changed_data),
        )
        messages.success(request, _("The request was saved."))
        return redirect("enrollment:subject_requests", center)
    return render(
        request,
        "enrollment/privacy/subject_request_form.html",
        {"form": form, "trainee": saved.trainee, "entry": saved},
    )


def _pk(value: str) -> int:
    """A number from the query string, or a 404 (not a 500) for anything else."""
    if not (value.isascii() and value.isdigit()):  # "²" is a digit too
        raise Http404
    return int(value)
