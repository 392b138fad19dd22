"""Certificates of a class: issue, print, revoke and reissue; diplomas recorded."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from courses.forms import DATE_WIDGET
from courses.models import ClassType
from enrollment.models import Certificate, CertificateBatch, Enrollment, ExportLog
from enrollment.services import certificate_files, certificates as services, privacy
from enrollment.views import confirmations
from trainingcenter.http import PDF, ZIP, file_response
from trainingcenter.logs import audit
from trainingcenter.models import Membership
from trainingcenter.privacy import Purpose
from trainingcenter.tenancy import STAFF_ROLES, role_required


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
        "enrollment/certificates/class_certificates.html",
        {
            "training_class": training_class,
            "passed": passed,
            "waiting": waiting,
            "form": form,
            "is_diploma": training_class.award == ClassType.Award.DIPLOMA,
            "gives_nothing": training_class.award == ClassType.Award.NONE,
            "batches": training_class.certificate_batches.with_progress()[:5],
            "printable": _standing_with_pdf(training_class).count(),
            "unsupported": services.unsupported_certificates(training_class),
        },
    )


@require_POST
@role_required(Membership.Role.DIRECTOR)
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
    if not request.POST.get("confirmed"):
        return confirmations.issue(request, training_class, form, chosen)
    try:
        issued = services.issue_certificates(
            training_class, enrollments=chosen, by=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("enrollment:class_certificates", center, class_pk)
    audit(
        "certificates issued",
        center=request.center.pk,
        class_=training_class.pk,
        count=len(issued),
        user=request.user.pk,
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
@role_required(Membership.Role.DIRECTOR)
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
        recorded = services.record_diplomas(
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
        CertificateBatch.objects.select_related(
            "training_class__class_type"
        ).with_progress(),
        training_class__center=request.center,
        pk=pk,
    )
    numbers = batch.certificates.order_by("number").values_list(
        "number_text", flat=True
    )
    stalled = batch.is_stalled
    return render(
        request,
        "enrollment/certificates/certificate_batch.html",
        {
            "batch": batch,
            "training_class": batch.training_class,
            "first": numbers.first(),
            "last": numbers.last(),
            "percent": batch.percent,
            "running": batch.running and not stalled,
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
    if batch.resume():
        audit("certificate batch resume", batch=pk, user=request.user.pk)
        messages.success(request, _("Printing goes on from where it stopped."))
    else:
        messages.info(request, _("This batch is not waiting to be resumed."))
    return redirect("enrollment:batch_detail", request.center.slug, pk)


@require_GET
@role_required(*STAFF_ROLES)
def class_certificates_pdf(request, center, class_pk):
    return _class_download(request, class_pk, "pdf", certificate_files.merged_pdf)


@require_GET
@role_required(*STAFF_ROLES)
def class_certificates_zip(request, center, class_pk):
    return _class_download(request, class_pk, "zip", certificate_files.zipped_pdfs)


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
    privacy.record_print(
        user=request.user,
        center=request.center,
        kind=ExportLog.Kind.CERTIFICATES,
        purpose=Purpose.CERTIFICATE,
        file_format=extension,
        people=len(certificates),
        filters={"class": training_class.pk},
    )
    return file_response(
        f"giay-chung-nhan-lop-{training_class.pk}.{extension}",
        PDF if extension == "pdf" else ZIP,
        build(certificates),
    )


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
        "enrollment/certificates/certificate_detail.html",
        {
            "certificate": certificate,
            "events": certificate.events.select_related("user"),
            "verifications": certificate.verifications.count(),
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
    name = f"giay-chung-nhan-{slugify(certificate.number_text.replace('/', '-'))}"
    privacy.record_print(
        user=request.user,
        center=request.center,
        kind=ExportLog.Kind.CERTIFICATES,
        purpose=Purpose.CERTIFICATE,
        file_format="pdf",
        people=1,
        filters={"certificate": certificate.number_text},
        trainee=certificate.enrollment.trainee,
    )
    if certificate.status in ("revoked", "replaced"):
        content = certificate_files.withdrawn_copy(certificate)
        return file_response(f"{name}-{certificate.status}.pdf", PDF, content)
    return file_response(f"{name}.pdf", PDF, bytes(certificate.pdf))


@require_POST
@role_required(Membership.Role.DIRECTOR)
def certificate_revoke(request, center, pk):
    certificate = _certificate(request, pk)
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for revoking."))
        if not request.POST.get("confirmed"):
            return confirmations.revoke(
                request, certificate, form.cleaned_data["reason"]
            )
        services.revoke_certificate(
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
@role_required(Membership.Role.DIRECTOR)
def certificate_reissue(request, center, pk):
    certificate = _certificate(request, pk)
    form = ReissueForm(request.POST)
    try:
        if certificate.kind != Certificate.Kind.CERTIFICATE:
            raise ValidationError(_("A diploma is reissued by the school."))
        if not form.is_valid():
            raise ValidationError(_("Enter the date of issue."))
        if not request.POST.get("confirmed"):
            return confirmations.reissue(request, certificate, form.cleaned_data)
        new = services.reissue_certificate(
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
