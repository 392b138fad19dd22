"""Certificates: numbered, frozen at issue, revocable, verifiable by a public code."""

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import TrainingClass
from enrollment.models.trainees import Enrollment
from trainingcenter.models import Job, JobQuerySet, Organization
from trainingcenter.tenancy import center_scoped


class CertificateBatchQuerySet(JobQuerySet):
    def with_progress(self):
        """Each batch with `rendered`, its certificates that have their PDF."""
        return self.annotate(
            rendered=Count("certificates", filter=~Q(certificates__pdf=None))
        )


class CertificateBatch(Job):
    """One issuing action whose PDFs are rendered in the background, with progress.

    Progress is counted from the batch's certificates that have their PDF
    (`with_progress()`); its files are theirs.
    """

    training_class = models.ForeignKey(
        TrainingClass,
        models.PROTECT,
        related_name="certificate_batches",
        verbose_name=_("class"),
    )
    total = models.PositiveIntegerField(_("certificates"))
    created_by = models.ForeignKey(
        "auth.User", models.PROTECT, related_name="+", verbose_name=_("issued by")
    )

    objects = center_scoped(CertificateBatchQuerySet, center="training_class__center")

    class Meta(Job.Meta):
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")

    def __str__(self):
        return f"{self.training_class} {self.created_at:%d/%m/%Y %H:%M}"

    def progress(self) -> tuple[int, int]:
        return self.rendered, self.total

    def run_later(self) -> None:
        """Render what is missing: now if the batch is small, else in the
        worker. A resumed batch renders only the certificates without a PDF."""
        from enrollment.services.certificate_files import start_rendering

        start_rendering(self)


class CertificateQuerySet(models.QuerySet):
    def current(self):
        """Certificates that stand: not revoked, not replaced.

        NOT EXISTS rather than `replaced_by=None`: Django writes that as a
        LEFT JOIN … IS NULL, which PostgreSQL estimates at one row, and then
        joins the rest of a rollup row by row (a province's candidates for
        admission: 190 ms instead of 20)."""
        replacement = Certificate.objects.filter(replaces=models.OuterRef("pk"))
        return self.filter(revoked_at=None).exclude(models.Exists(replacement))

    def unsupported(self):
        """Standing certificates whose holder's result in the class no longer
        reads a pass: a roll call or a results save in a reopened class
        changed it. They stand until the director revokes them."""
        return self.current().exclude(enrollment__status=Enrollment.Status.COMPLETED)


class Certificate(models.Model):
    """A numbered certificate ("giấy chứng nhận") or a recorded diploma ("bằng").

    Frozen at issue: the printed fields, the PDF and a hash of both are kept,
    so later edits to the person, the class or the template change nothing.
    Nothing is ever deleted; revoking and reissuing keep the chain.
    """

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("Certificate")
        DIPLOMA = "diploma", _("Diploma")

    enrollment = models.ForeignKey(
        Enrollment,
        models.PROTECT,
        related_name="certificates",
        verbose_name=_("enrolment"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    issuer = models.ForeignKey(
        Organization, models.PROTECT, related_name="+", verbose_name=_("issuer")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_text = models.CharField(_("certificate number"), max_length=60)
    issued_on = models.DateField(_("date of issue"))
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    code = models.CharField(_("verification code"), max_length=43, unique=True)
    fields = models.JSONField(_("printed fields"), default=dict)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    digest = models.CharField(_("SHA-256 of fields and PDF"), max_length=64, blank=True)
    replaces = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    batch = models.ForeignKey(
        CertificateBatch,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("batch"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("reason for revoking"), max_length=255, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = center_scoped(
        CertificateQuerySet, center="enrollment__training_class__center"
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["year", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number"],
                name="enrollment_certificate_number_once",
                condition=models.Q(number__isnull=False),
            ),
        ]

    def __str__(self):
        return self.number_text

    STATUS_LABELS = {
        "valid": _("Valid"),
        "expired": _("Expired"),
        "revoked": _("Revoked"),
        "replaced": _("Replaced"),
    }

    @property
    def status_label(self) -> str:
        return self.STATUS_LABELS[self.status]

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if getattr(self, "replaced_by", None) is not None:
            return "replaced"
        if self.valid_until and self.valid_until < timezone.localdate():
            return "expired"
        return "valid"


class CertificateEvent(models.Model):
    """Append-only register events: issue, revoke, reissue; who did what to a
    certificate is never lost."""

    class Action(models.TextChoices):
        ISSUE = "issue", _("Issued")
        REVOKE = "revoke", _("Revoked")
        REISSUE = "reissue", _("Reissued")
        DIPLOMA = "diploma", _("Diploma recorded")

    certificate = models.ForeignKey(
        Certificate,
        models.PROTECT,
        related_name="events",
        verbose_name=_("certificate"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action)
    user = models.ForeignKey("auth.User", models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = center_scoped(
        models.QuerySet, center="certificate__enrollment__training_class__center"
    )

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.certificate} {self.action}"


class Verification(models.Model):
    """One lookup on the public verification page: logged, and rate-limited by it."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    client = models.CharField(max_length=64, db_index=True)
    found = models.ForeignKey(
        Certificate, models.PROTECT, null=True, blank=True, related_name="verifications"
    )

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.client}"
