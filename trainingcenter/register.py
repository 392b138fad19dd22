"""The centre's register of outgoing documents (sổ đăng ký văn bản đi): every
document its organization issued, reports and class papers alike, filtered,
paged and exported; and how the register numbers them (per year or per term).

Centre staff and the director read it; the director sets the period. The
writes are `trainingcenter.documents`'; these views only call it.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.dispatch import Signal
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _, gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from trainingcenter import documents
from trainingcenter.documents import OutgoingDocument, Period
from trainingcenter.forms import DateInput
from trainingcenter.http import PDF, file_response
from trainingcenter.logs import audit
from trainingcenter.models import Membership
from trainingcenter.paging import filtered_page
from trainingcenter.tenancy import STAFF_ROLES, role_required
from trainingcenter.word import DOCX
from trainingcenter.xlsx import INTEGER_FORMAT, Column, Exporter, SheetSpec

DIRECTOR = Membership.Role.DIRECTOR
SEARCH_MAX_CHARS = 100


def entries(center, *, kind: str = ""):
    """The centre's issued documents, newest first, without their files."""
    return entries_of(center.organization_id, kind=kind)


def entries_of(issuer_id: int, *, kind: str = ""):
    """An issuer's documents (a centre's organization, or a committee)."""
    rows = OutgoingDocument.objects.filter(issuer_id=issuer_id)
    if kind:
        rows = rows.filter(kind=kind)
    return (
        rows.defer("pdf", "docx", "fields")
        .select_related("issued_by", "replaces")
        .order_by("-issued_on", "-pk")
    )


class RegisterFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_l("Kind"), required=False)
    year = forms.TypedChoiceField(
        label=_l("Year of issue"), required=False, coerce=int, empty_value=None
    )
    period = forms.ChoiceField(label=_l("Numbering period"), required=False)
    q = forms.CharField(
        label=_l("Number or subject"), required=False, max_length=SEARCH_MAX_CHARS
    )
    start = forms.DateField(label=_l("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_l("To"), required=False, widget=DateInput())

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", "—"),
            *(
                (value, capfirst(label))
                for value, label in OutgoingDocument.Kind.choices
            ),
        ]
        years = rows.order_by("-year").values_list("year", flat=True).distinct()
        self.fields["year"].choices = [("", "—"), *((y, y) for y in years)]
        periods = rows.order_by("-period").values_list("period", flat=True).distinct()
        self.fields["period"].choices = [
            ("", "—"),
            *((p, documents.period_label(p)) for p in periods),
        ]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date cannot be before the start date."))
        return data

    def apply(self, rows):
        if not self.is_valid():
            return rows.none()
        data = self.cleaned_data
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["year"]:
            rows = rows.filter(year=data["year"])
        if data["period"]:
            rows = rows.filter(period=data["period"])
        if text := data["q"].strip():
            rows = rows.filter(
                Q(number_text__icontains=text) | Q(subject__icontains=text)
            )
        if data["start"]:
            rows = rows.filter(issued_on__gte=data["start"])
        if data["end"]:
            rows = rows.filter(issued_on__lte=data["end"])
        return rows


def _filtered(request):
    rows = entries(request.center)
    form = RegisterFilterForm(request.GET or None, rows=rows)
    return form, (form.apply(rows) if request.GET else rows)


@require_GET
@role_required(*STAFF_ROLES)
def register(request, center):
    form, rows = _filtered(request)
    current = documents.register_of(request.center.organization)
    return filtered_page(
        request,
        "trainingcenter/register.html",
        form,
        rows,
        period_label=documents.period_label(current.period_key(timezone.localdate())),
    )


class RegisterExporter(Exporter):
    """The register as filtered: one row a document, newest first."""

    def __init__(self, center, rows):
        self.center = center
        self.rows = rows

    def filename(self) -> str:
        return f"so-van-ban-di-{self.center.slug}.xlsx"

    def sheets(self):
        yield SheetSpec(
            "Văn bản đi",
            [
                Column("Số, ký hiệu", 16),
                Column("Số thứ tự", 9, INTEGER_FORMAT),
                Column("Loại văn bản", 14),
                Column("Ngày ban hành", 13),
                Column("Kỳ đánh số", 20),
                Column("Trích yếu", 50),
                Column("Người ký", 22),
                Column("Chức vụ", 16),
                Column("Thay thế văn bản", 16),
            ],
            rows=(
                [
                    d.number_text,
                    d.number,
                    capfirst(d.get_kind_display()),
                    d.issued_on,
                    d.period_label,
                    d.subject,
                    d.signer_name,
                    d.signer_title,
                    d.replaces.number_text if d.replaces_id else "",
                ]
                for d in self.rows.iterator(chunk_size=1000)
            ),
            title_lines=[str(self.center.name).upper(), "SỔ ĐĂNG KÝ VĂN BẢN ĐI"],
            wrap_columns=(5,),
        )

    def export(self, out=None):
        with translation.override("vi"):
            return super().export(out)


@require_GET
@role_required(*STAFF_ROLES)
def register_xlsx(request, center):
    form, rows = _filtered(request)
    if request.GET and not form.is_valid():
        return register(request, center)  # the page, saying what is wrong
    audit("document register xlsx", centre=request.center.slug, user=request.user.pk)
    return file_response(*RegisterExporter(request.center, rows).export())


@require_GET
@role_required(*STAFF_ROLES)
def register_file(request, center, pk, kind):
    """A document's file as it was issued, byte for byte; another centre's
    document is a 404."""
    document = get_object_or_404(
        OutgoingDocument.objects.defer("pdf", "docx", "fields"),
        pk=pk,
        issuer__center=request.center,
    )
    return issued_file_response(document, kind, user=request.user)


# Sent as an issued document's file is served, so that the app whose papers
# name people logs the file (the class papers: enrollment/signals.py).
file_served = Signal()


def issued_file_response(document: OutgoingDocument, kind: str, *, user):
    """The stored PDF or Word file of an issued document."""
    column, content_type = ("pdf", PDF) if kind == "pdf" else ("docx", DOCX)
    content = OutgoingDocument.objects.values_list(column, flat=True).get(
        pk=document.pk
    )
    audit("issued document file", document=document.pk, kind=kind, user=user.pk)
    file_served.send(OutgoingDocument, document=document, file_format=kind, user=user)
    name = f"{document.number_text}-{document.period}".replace("/", "-")
    return file_response(f"{name}.{kind}", content_type, bytes(content))


# The numbering period --------------------------------------------------------


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_l("Numbers start again at 1 with"),
        choices=[(value, capfirst(label)) for value, label in Period.choices],
        widget=forms.RadioSelect,
    )
    term_start = forms.DateField(
        label=_l("First day of the current term"),
        required=False,
        widget=DateInput(),
        help_text=_l(
            "The day after the congress that elected the committee closed "
            "(or the first meeting of the new committee, if held during the "
            "congress)."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("period") == Period.TERM and not data.get("term_start"):
            self.add_error("term_start", _("Enter the first day of the current term."))
        return data


@require_http_methods(["GET", "POST"])
@role_required(DIRECTOR)
def register_period(request, center):
    """The director sets the register's period: per year or per term."""
    issuer = request.center.organization
    current = documents.register_of(issuer)
    initial = {"period": current.period, "term_start": current.term_start}
    form = PeriodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            documents.set_period(
                issuer,
                form.cleaned_data["period"],
                form.cleaned_data["term_start"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("term_start", error)
        else:
            audit(
                "document register period",
                centre=request.center.slug,
                period=form.cleaned_data["period"],
                user=request.user.pk,
            )
            messages.success(request, _("The register's numbering has been saved."))
            return redirect("documents:outgoing", request.center.slug)
    return render(
        request,
        "trainingcenter/register_period.html",
        {
            "form": form,
            "last_issued_on": documents.last_issued_on(issuer),
        },
        status=400 if form.errors else 200,
    )
