"""Certificates in the browser: issue, follow a batch, download, revoke, reissue,
record diplomas, keep the register; and the public verification page (issue 5)."""

import datetime
import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_scopes import scopes_disabled

from courses.forms import DATE_WIDGET
from courses.models import ClassType
from enrollment import certificates as service
from enrollment.exports import XLSX
from enrollment.models import Certificate, CertificateBatch, Enrollment, Verification
from trainingcenter import jobs
from trainingcenter.http import client_address, file_response
from trainingcenter.models import Membership, Organization
from trainingcenter.pdf import render_pdf
from trainingcenter.tenancy import STAFF_ROLES, role_required
from trainingcenter.text import search_key
from trainingcenter.xlsx import Column, write_workbook

DIRECTOR = Membership.Role.DIRECTOR
audit = logging.getLogger("trainingcenter.audit")


class IssueForm(forms.Form):
    issued_on = forms.DateField(label=gettext_lazy("Date of issue"), widget=DATE_WIDGET)
    signer_title = forms.CharField(label=gettext_lazy("Signer's title"), max_length=120)
    signer_name = forms.CharField(label=gettext_lazy("Signer's name"), max_length=120)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for revoking"), max_length=255, strip=True
    )


class ReissueForm(forms.Form):
    issued_on = forms.DateField(label=gettext_lazy("Date of issue"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=gettext_lazy("What was wrong"), max_length=200, required=False
    )


def _class(request, class_pk):
    return get_object_or_404(
        request.center.classes.select_related("class_type", "certificate_issuer"),
        pk=class_pk,
    )


def _standing_with_pdf(training_class):
    return (
        Certificate.objects.current()
        .filter(enrollment__training_class=training_class)
        .exclude(pdf=None)
        .order_by("number", "pk")
    )


# A class's certificates ------------------------------------------------------


@require_GET
@role_required(*STAFF_ROLES)
def class_certificates(request, center, class_pk):
    training_class = _class(request, class_pk)
    passed = list(
        training_class.enrollments.filter(status=Enrollment.Status.COMPLETED)
        .select_related("trainee", "unit")
        .order_by("trainee__sort_key", "trainee__birth_date", "pk")
    )
    issued = Certificate.objects.filter(
        enrollment__training_class=training_class
    ).select_related("replaced_by")
    standing, revoked = {}, {}
    for certificate in issued:
        if certificate.status in ("valid", "expired"):
            standing[certificate.enrollment_id] = certificate
        elif certificate.status == "revoked":
            revoked[certificate.enrollment_id] = certificate
    for enrollment in passed:
        enrollment.certificate = standing.get(enrollment.pk)
        enrollment.revoked = revoked.get(enrollment.pk)
    waiting = [e for e in passed if e.certificate is None]
    center_obj = request.center
    form = IssueForm(
        initial={
            "issued_on": timezone.localdate(),
            "signer_title": center_obj.director_title,
            "signer_name": center_obj.director_name,
        }
    )
    return render(
        request,
        "enrollment/class_certificates.html",
        {
            "training_class": training_class,
            "passed": passed,
            "waiting": waiting,
            "form": form,
            "is_diploma": training_class.award == ClassType.Award.DIPLOMA,
            "gives_nothing": training_class.award == ClassType.Award.NONE,
            "may_issue": request.membership.role == DIRECTOR,
            "batches": training_class.certificate_batches.annotate(
                rendered=Count("certificates", filter=~Q(certificates__pdf=None))
            )[:5],
            "printable": _standing_with_pdf(training_class).count(),
        },
    )


@require_POST
@role_required(DIRECTOR)
def certificates_issue(request, center, class_pk):
    training_class = _class(request, class_pk)
    form = IssueForm(request.POST)
    chosen_ids = request.POST.getlist("enrollment")
    if not form.is_valid():
        messages.error(request, _("Check the date of issue and the signer."))
        return redirect("enrollment:class_certificates", center, class_pk)
    chosen = list(
        training_class.enrollments.filter(pk__in=[i for i in chosen_ids if i.isdigit()])
    )
    if not chosen:
        messages.error(request, _("Tick at least one trainee."))
        return redirect("enrollment:class_certificates", center, class_pk)
    try:
        issued = service.issue_certificates(
            training_class, enrollments=chosen, by=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("enrollment:class_certificates", center, class_pk)
    audit.info(
        "certificates issued center=%s class=%s count=%s user=%s",
        request.center.pk,
        training_class.pk,
        len(issued),
        request.user.pk,
    )
    if len(issued) == 1:
        done = _("Certificate %(number)s was numbered.") % {"number": issued[0]}
    else:
        done = _("%(count)s certificates were numbered: %(first)s to %(last)s.") % {
            "count": len(issued),
            "first": issued[0].number_text,
            "last": issued[-1].number_text,
        }
    messages.success(request, done)
    return redirect("enrollment:batch_detail", center, issued[0].batch_id)


@require_POST
@role_required(DIRECTOR)
def diplomas_record(request, center, class_pk):
    training_class = _class(request, class_pk)
    try:
        issued_on = forms.DateField(widget=DATE_WIDGET).clean(
            request.POST.get("issued_on")
        )
    except ValidationError:
        messages.error(request, _("Enter the date the diplomas were issued."))
        return redirect("enrollment:class_certificates", center, class_pk)
    enrollments = training_class.enrollments.in_bulk(
        [
            int(key.removeprefix("number-"))
            for key in request.POST
            if key.startswith("number-") and key.removeprefix("number-").isdigit()
        ]
    )
    entries = [
        (enrollment, request.POST[f"number-{pk}"].strip())
        for pk, enrollment in sorted(enrollments.items())
        if request.POST[f"number-{pk}"].strip()
    ]
    if not entries:
        messages.error(request, _("Enter at least one diploma number."))
        return redirect("enrollment:class_certificates", center, class_pk)
    try:
        recorded = service.record_diplomas(
            training_class, entries, issued_on=issued_on, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("enrollment:class_certificates", center, class_pk)
    messages.success(
        request,
        _("%(count)s diploma numbers were recorded.") % {"count": len(recorded)},
    )
    return redirect("enrollment:class_certificates", center, class_pk)


@require_GET
@role_required(*STAFF_ROLES)
def batch_detail(request, center, pk):
    batch = get_object_or_404(
        CertificateBatch.objects.select_related("training_class__class_type").annotate(
            rendered=Count("certificates", filter=~Q(certificates__pdf=None))
        ),
        training_class__center=request.center,
        pk=pk,
    )
    numbers = batch.certificates.order_by("number").values_list(
        "number_text", flat=True
    )
    stalled = jobs.is_stalled(batch)
    running = not stalled and batch.status in (
        CertificateBatch.Status.QUEUED,
        CertificateBatch.Status.RUNNING,
    )
    return render(
        request,
        "enrollment/certificate_batch.html",
        {
            "batch": batch,
            "training_class": batch.training_class,
            "first": numbers.first(),
            "last": numbers.last(),
            "percent": round(100 * batch.rendered / batch.total) if batch.total else 0,
            "running": running,
            "stalled": stalled,
        },
    )


@require_POST
@role_required(*STAFF_ROLES)
def batch_resume(request, center, pk):
    """Print what a failed or interrupted batch has left; the numbers and the
    certificates already printed stay as they are."""
    batch = get_object_or_404(
        CertificateBatch.objects.all(), training_class__center=request.center, pk=pk
    )
    if service.resume_batch(batch):
        audit.info("certificate batch resume batch=%s user=%s", pk, request.user.pk)
        messages.success(request, _("Printing goes on from where it stopped."))
    else:
        messages.info(request, _("This batch is not waiting to be resumed."))
    return redirect("enrollment:batch_detail", request.center.slug, pk)


@require_GET
@role_required(*STAFF_ROLES)
def class_certificates_pdf(request, center, class_pk):
    return _class_download(request, class_pk, "pdf", service.merged_pdf)


@require_GET
@role_required(*STAFF_ROLES)
def class_certificates_zip(request, center, class_pk):
    return _class_download(request, class_pk, "zip", service.zipped_pdfs)


def _class_download(request, class_pk, extension, build):
    """The class's standing certificates, from their stored PDFs, in one file;
    never a class file with some certificates missing while a batch prints."""
    training_class = _class(request, class_pk)
    unprinted = (
        Certificate.objects.current()
        .filter(enrollment__training_class=training_class, pdf=None)
        .exclude(batch=None)
        .values_list("batch_id", flat=True)
        .first()
    )
    if unprinted is not None:
        messages.warning(
            request,
            _(
                "Some certificates of this class are still being printed; "
                "download the class once printing is done."
            ),
        )
        return redirect("enrollment:batch_detail", request.center.slug, unprinted)
    certificates = list(_standing_with_pdf(training_class))
    if not certificates:
        raise Http404
    return file_response(
        f"giay-chung-nhan-lop-{training_class.pk}.{extension}",
        "application/pdf" if extension == "pdf" else "application/zip",
        build(certificates),
    )


# One certificate ---------------------------------------------------------------


def _certificate(request, pk):
    return get_object_or_404(
        Certificate.objects.select_related(
            "enrollment__training_class__class_type",
            "enrollment__trainee",
            "issuer",
            "replaces",
            "replaced_by",
        ),
        enrollment__training_class__center=request.center,
        pk=pk,
    )


@require_GET
@role_required(*STAFF_ROLES)
def certificate_detail(request, center, pk):
    certificate = _certificate(request, pk)
    return render(
        request,
        "enrollment/certificate_detail.html",
        {
            "certificate": certificate,
            "events": certificate.events.select_related("user"),
            "verifications": certificate.verifications.count(),
            "may_change": request.membership.role == DIRECTOR,
            "revoke_form": RevokeForm(),
            "reissue_form": ReissueForm(initial={"issued_on": timezone.localdate()}),
            "training_class": certificate.enrollment.training_class,
        },
    )


@require_GET
@role_required(*STAFF_ROLES)
def certificate_pdf(request, center, pk):
    certificate = _certificate(request, pk)
    if not certificate.pdf:
        raise Http404
    return file_response(
        f"giay-chung-nhan-{slugify(certificate.number_text.replace('/', '-'))}.pdf",
        "application/pdf",
        bytes(certificate.pdf),
    )


@require_POST
@role_required(DIRECTOR)
def certificate_revoke(request, center, pk):
    certificate = _certificate(request, pk)
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for revoking."))
        service.revoke_certificate(
            certificate, reason=form.cleaned_data["reason"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Certificate %(number)s was revoked.") % {"number": certificate},
        )
    return redirect("enrollment:certificate_detail", center, pk)


@require_POST
@role_required(DIRECTOR)
def certificate_reissue(request, center, pk):
    certificate = _certificate(request, pk)
    form = ReissueForm(request.POST)
    try:
        if certificate.kind != Certificate.Kind.CERTIFICATE:
            raise ValidationError(_("A diploma is reissued by the school."))
        if not form.is_valid():
            raise ValidationError(_("Enter the date of issue."))
        new = service.reissue_certificate(
            certificate,
            issued_on=form.cleaned_data["issued_on"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("enrollment:certificate_detail", center, pk)
    messages.success(
        request,
        _("Certificate %(new)s replaces %(old)s.") % {"new": new, "old": certificate},
    )
    return redirect("enrollment:certificate_detail", center, new.pk)


# The register -------------------------------------------------------------------


def _register_choice(request):
    """The years and issuers this centre has records for, and the chosen pair."""
    records = Certificate.objects.filter(
        enrollment__training_class__center=request.center
    )
    years = sorted(set(records.values_list("year", flat=True)), reverse=True)
    issuers = list(
        Organization.objects.filter(
            pk__in=records.values_list("issuer_id", flat=True).distinct()
        ).order_by("name_key")
    )
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else (years[0] if years else timezone.now().year)
    issuer_id = request.GET.get("issuer", "")
    issuer = next(
        (o for o in issuers if str(o.pk) == issuer_id),
        issuers[0] if issuers else None,
    )
    return years, issuers, year, issuer


def _register_rows(entries):
    for entry in entries:
        yield entry, service.register_remark(entry), entry.status_label


@require_GET
@role_required(*STAFF_ROLES)
def register(request, center):
    years, issuers, year, issuer = _register_choice(request)
    entries = (
        service.register_entries(request.center, year=year, issuer_id=issuer.pk)
        if issuer
        else Certificate.objects.none()
    )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "enrollment/register.html",
        {
            "years": years,
            "issuers": issuers,
            "year": year,
            "issuer": issuer,
            "page": page,
            "rows": list(_register_rows(page.object_list)),
            "query_string": f"year={year}&issuer={issuer.pk if issuer else ''}",
        },
    )


def _log_register(kind, request, year):
    audit.info(
        "register %s center=%s year=%s user=%s",
        kind,
        request.center.pk,
        year,
        request.user.pk,
    )


def _register_or_404(request):
    _years, _issuers, year, issuer = _register_choice(request)
    if issuer is None:
        raise Http404
    return (
        year,
        issuer,
        service.register_entries(request.center, year=year, issuer_id=issuer.pk),
    )


@require_GET
@role_required(*STAFF_ROLES)
def register_pdf(request, center):
    year, issuer, entries = _register_or_404(request)
    with translation.override("vi"):
        content = render_pdf(
            "enrollment/print/register.html",
            {
                "center": request.center,
                "issuer": issuer,
                "year": year,
                "rows": _register_rows(entries.iterator(chunk_size=500)),
                "document_date": timezone.localdate(),
            },
        )
    audit.info(
        "register pdf center=%s year=%s user=%s",
        request.center.pk,
        year,
        request.user.pk,
    )
    return file_response(
        f"so-cap-giay-chung-nhan-{year}-{slugify(search_key(issuer.name))}.pdf",
        "application/pdf",
        content,
    )


@require_GET
@role_required(*STAFF_ROLES)
def register_xlsx(request, center):
    year, issuer, entries = _register_or_404(request)
    columns = [
        Column("Số", 16),
        Column("Loại", 14),
        Column("Họ và tên", 28),
        Column("Ngày sinh", 12),
        Column("Chương trình", 36),
        Column("Lớp", 16),
        Column("Từ ngày", 12, "dd/mm/yyyy"),
        Column("Đến ngày", 12, "dd/mm/yyyy"),
        Column("Ngày cấp", 12, "dd/mm/yyyy"),
        Column("Người ký", 24),
        Column("Tình trạng", 14),
        Column("Ghi chú", 40),
    ]

    def day(text):
        try:
            return datetime.datetime.strptime(text, "%d/%m/%Y").date()
        except (TypeError, ValueError):
            return text or None

    with translation.override("vi"):
        rows = (
            [
                entry.number_text,
                str(entry.get_kind_display()),
                entry.fields.get("full_name", ""),
                entry.fields.get("birth", ""),
                entry.fields.get("programme", ""),
                entry.fields.get("class_label", ""),
                day(entry.fields.get("start")),
                day(entry.fields.get("end")),
                entry.issued_on,
                entry.signer_name,
                str(status),
                remark,
            ]
            for entry, remark, status in _register_rows(
                entries.iterator(chunk_size=500)
            )
        )
        content = write_workbook(
            [(f"Sổ cấp GCN {year}", columns, rows)],
            title_lines=[
                str(issuer.name).upper(),
                f"SỔ CẤP GIẤY CHỨNG NHẬN NĂM {year}",
            ],
        )
    audit.info(
        "register xlsx center=%s year=%s user=%s",
        request.center.pk,
        year,
        request.user.pk,
    )
    return file_response(
        f"so-cap-giay-chung-nhan-{year}-{slugify(search_key(issuer.name))}.xlsx",
        XLSX,
        content,
    )


# The public verification page -------------------------------------------------


@login_not_required
@never_cache
@require_GET
def verify(request, code=None):
    """Anyone may check a certificate by its code; only the printed essentials show.

    Rate-limited per client address by counting its lookups of the last minute;
    every lookup is logged, and an unknown code says only "not found".
    """
    if code is None:
        typed = request.GET.get("code", "").strip()
        if typed:
            return redirect("verify", code=typed[:64])
        return render(request, "enrollment/verify.html", {"searched": False})
    client = client_address(request)
    since = timezone.now() - datetime.timedelta(minutes=1)
    with scopes_disabled():
        if (
            Verification.objects.filter(client=client, at__gte=since).count()
            >= settings.VERIFY_RATE_PER_MINUTE
        ):
            audit.warning("verification rate limit client=%s", client)
            return render(request, "enrollment/verify_limited.html", status=429)
        certificate = (
            Certificate.objects.filter(code=code).select_related("replaced_by").first()
        )
        Verification.objects.create(client=client, found=certificate)
    if certificate is None:
        return render(request, "enrollment/verify.html", {"searched": True}, status=404)
    fields = certificate.fields
    return render(
        request,
        "enrollment/verify.html",
        {
            "searched": True,
            "record": {
                "full_name": fields.get("full_name", ""),
                "programme": fields.get("programme", ""),
                "start": fields.get("start", ""),
                "end": fields.get("end", ""),
                "issued_on": certificate.issued_on,
                "number": certificate.number_text,
                "issuer": fields.get("issuer", ""),
                "status": certificate.status,
                "status_label": certificate.status_label,
                "valid_until": certificate.valid_until,
            },
        },
    )
