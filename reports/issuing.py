"""The pages of a report as a document: the director's text, the Word file,
issuing ("Ban hành") and the issued reports of a centre.

The director writes and issues; every member reads. The writes are the
register's (trainingcenter/documents.py); these views only call it. An
issued report is served from what was stored when it was issued, never
made again.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports import counting, document, scope, word
from reports.forms import PeriodForm
from reports.views import for_any_scope
from trainingcenter import documents, register
from trainingcenter.http import file_response
from trainingcenter.logs import audit
from trainingcenter.models import Membership, OutgoingDocument
from trainingcenter.tenancy import ALL_ROLES, role_required

DIRECTOR = (Membership.Role.DIRECTOR,)


class TextForm(forms.Form):
    """The director's parts: one field each, plain text."""

    def __init__(self, *args, headings: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for number, heading in enumerate(headings[: document.NOTE_PARTS], start=1):
            self.fields[f"{document.NOTE_PREFIX}{number}"] = self._field(
                _("Your paragraph under “%(part)s” (optional)") % {"part": heading},
                rows=3,
            )
        for name, label in document.SECTION_LABELS.items():
            self.fields[name] = self._field(label, rows=8)

    @staticmethod
    def _field(label, *, rows: int) -> forms.CharField:
        return forms.CharField(
            label=label,
            required=False,
            max_length=documents.TEXT_MAX_CHARS,
            widget=forms.Textarea(attrs={"rows": rows}),
            help_text=_l("Plain text; each line is a paragraph."),
        )


def period_query(period: counting.Period) -> str:
    """The report page's query string for `period`."""
    if period.whole_years and period.start.year == period.end.year:
        return urlencode({"kind": "year", "year": period.start.year})
    if period.whole_years:
        return urlencode(
            {"kind": "term", "from_year": period.start.year, "to_year": period.end.year}
        )
    return urlencode({"kind": "dates", "start": period.start, "end": period.end})


def period_of(key: str) -> counting.Period:
    _kind, start, end = key.split(":")
    return counting.Period(
        datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    )


def _report(request, target):
    form = PeriodForm(request.GET or None)
    if not form.is_valid():
        return None
    return counting.build_report(
        target.centers,
        form.cleaned_data["period"],
        scope_label=target.label,
        issuer=target.issuer,
    )


def _center_scope(request):
    return scope.for_center(request.center)


def state(target: scope.Scope, period: counting.Period) -> dict:
    """The draft's text, whether it is locked, and the last issued version."""
    issuer = document.issuer_of(target)
    key = document.key(period)
    draft = documents.draft_for(issuer, document.KIND, key)
    return {
        "texts": draft.texts if draft else {},
        "locked": bool(draft and draft.issued_id),
        "issued": documents.latest(issuer, document.KIND, key),
        "next_number": documents.next_number(
            issuer, document.KIND, timezone.localdate()
        ),
    }


@require_GET
@for_any_scope
def report_docx(request, target):
    """The report as it stands (figures of today, the draft's text) in Word,
    for a centre or an organization."""
    report = _report(request, target)
    if report is None:
        return redirect(f"{target.url()}?{request.GET.urlencode()}")
    texts = document.draft_texts(target, report.period)
    content = word.render(report, target, today=timezone.localdate(), texts=texts)
    audit(
        "report docx",
        scope=target.center_id or f"o{target.organization_id}",
        user=request.user.pk,
    )
    name = document.pdf.filename(target, report.period).removesuffix(".pdf")
    return file_response(f"{name}.docx", word.DOCX, content)


def signs(request, target: scope.Scope) -> bool:
    """Who writes and issues this report: a centre's director, or the
    committee member marked as signing the organization's documents."""
    if target.center_id:
        return request.membership.is_director
    return target.may_sign


def text_page(request, target: scope.Scope):
    """The author's parts of the report of a period: written by its signer
    until the report is issued, read by everyone who reads the report."""
    report = _report(request, target)
    if report is None:
        return redirect(f"{target.url()}?{request.GET.urlencode()}")
    current = state(target, report.period)
    may_write = signs(request, target) and not current["locked"]
    headings = document.part_headings(report)
    form = TextForm(
        request.POST if request.method == "POST" else None,
        initial=current["texts"],
        headings=headings,
    )
    if request.method == "POST":
        if not signs(request, target):
            raise PermissionDenied
        if current["locked"]:
            form.add_error(
                None,
                _("This document has been issued; its text can no longer change."),
            )
        elif form.is_valid():
            try:
                documents.save_draft(
                    document.issuer_of(target),
                    document.KIND,
                    document.key(report.period),
                    form.cleaned_data,
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The report's text has been saved."))
                return redirect(request.get_full_path())
    if not may_write:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "reports/document/text.html",
        {
            "form": form,
            "report": report,
            "scope": target,
            "may_write": may_write,
            "may_issue": signs(request, target),
            "query_string": period_query(report.period),
            **current,
        },
        status=400 if form.errors else 200,
    )


def issue_page(request, target: scope.Scope):
    """Confirm, then issue: the number, the date, the signer; frozen."""
    if not signs(request, target):
        raise PermissionDenied
    report = _report(request, target)
    if report is None:
        return redirect(f"{target.url()}?{request.GET.urlencode()}")
    current = state(target, report.period)
    error = None
    if request.method == "POST" and not (
        target.center_id or report.issuer.signer_name.strip()
    ):
        error = _(
            "The signer's name is missing: the administrator enters it in the "
            "organization's details."
        )
    elif request.method == "POST":
        try:
            issued = document.issue(
                report, target, today=timezone.localdate(), by=request.user
            )
        except ValidationError as refused:
            error = refused.messages[0]
        except OperationalError:  # another issuer held the counter too long
            error = _(
                "Another document of the centre is being issued; try again in a "
                "moment. Nothing was issued."
            )
        else:
            audit("report issued", document=issued.pk, user=request.user.pk)
            messages.success(
                request,
                _("The report has been issued as no. %(number)s.")
                % {"number": issued.number_text},
            )
            return redirect(target.link("issued_report", issued.pk))
    return render(
        request,
        "reports/document/issue.html",
        {
            "report": report,
            "scope": target,
            "error": error,
            "today": timezone.localdate(),
            "query_string": period_query(report.period),
            "unwritten": document.unwritten(current["texts"]),
            **current,
        },
        status=400 if error else 200,
    )


def issued_of(target: scope.Scope, pk) -> OutgoingDocument:
    """An issued report of this centre or organization; another's is a 404."""
    return get_object_or_404(
        OutgoingDocument.objects.defer("pdf", "docx"),
        pk=pk,
        issuer=document.issuer_of(target),
        kind=document.KIND,
    )


def issued_list_page(request, target: scope.Scope):
    if target.center_id:
        rows = register.entries(request.center, kind=document.KIND)
    else:
        rows = register.entries_of(target.organization_id, kind=document.KIND)
    return render(
        request,
        "reports/document/issued_list.html",
        {"documents": rows, "scope": target},
    )


def issued_page(request, target: scope.Scope, pk):
    issued = issued_of(target, pk)
    period = period_of(issued.key)
    report = counting.build_report(
        target.centers, period, scope_label=target.label, issuer=target.issuer
    )
    current = state(target, period)
    return render(
        request,
        "reports/document/issued.html",
        {
            "document": issued,
            "scope": target,
            "period": period,
            "changed": document.figures_digest(report) != issued.figures_digest,
            "newest": current["issued"].pk == issued.pk,
            "locked": current["locked"],
            "may_issue": signs(request, target),
            "query_string": period_query(period),
        },
    )


def issued_file_page(request, target: scope.Scope, pk, kind):
    """The file as it was issued, byte for byte."""
    issued = issued_of(target, pk)
    return register.issued_file_response(issued, kind, user=request.user)


def new_version(request, target: scope.Scope, pk):
    """Open the text of an issued report again, for a new version."""
    if not signs(request, target):
        raise PermissionDenied
    issued = issued_of(target, pk)
    documents.reopen(issued.issuer, issued.kind, issued.key, by=request.user)
    messages.info(
        request,
        _(
            "Edit the text if needed, then issue the new version: it takes a "
            "new number."
        ),
    )
    query = period_query(period_of(issued.key))
    return redirect(f"{target.link('report_text')}?{query}")


# A centre's report: read by every member, written and issued by the director.


@require_http_methods(["GET", "POST"])
@role_required(*ALL_ROLES)
def report_text(request, center):
    return text_page(request, _center_scope(request))


@require_http_methods(["GET", "POST"])
@role_required(*DIRECTOR)
def report_issue(request, center):
    return issue_page(request, _center_scope(request))


@require_GET
@role_required(*ALL_ROLES)
def issued_reports(request, center):
    """The register's reports: what every member reads (the whole register
    is the centre's own, trainingcenter.register)."""
    return issued_list_page(request, _center_scope(request))


@require_GET
@role_required(*ALL_ROLES)
def issued_report(request, center, pk):
    return issued_page(request, _center_scope(request), pk)


@require_GET
@role_required(*ALL_ROLES)
def issued_file(request, center, pk, kind):
    return issued_file_page(request, _center_scope(request), pk, kind)


@require_POST
@role_required(*DIRECTOR)
def issued_new_version(request, center, pk):
    return new_version(request, _center_scope(request), pk)
