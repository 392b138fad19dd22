"""Who exported personal data and why, who opened whose record, and who
corrected it.

The logs are rows, not lines of the server's log: the director reads and
filters them on the centre's pages, and a person's own file lists them.
Each is written by one insert (enrollment/services/privacy.py).
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from trainingcenter.models import Center, Organization
from trainingcenter.privacy import Purpose
from trainingcenter.tenancy import center_scoped


class ExportLog(models.Model):
    """One file with personal data that left the system."""

    class Kind(models.TextChoices):
        ROSTER = "roster", _("Class list")
        REGISTRY = "registry", _("Trainee registry")
        REGISTER = "register", _("Certificate register")
        CERTIFIED = "certified", _("Rollup: people with a certificate")
        PIPELINE = "pipeline", _("Rollup: admission pipeline")
        PERSON_FILE = "person_file", _("A person's own file")

    center = models.ForeignKey(
        Center, models.CASCADE, null=True, blank=True, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("export"), max_length=12, choices=Kind)
    file_format = models.CharField(_("format"), max_length=4)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    people = models.PositiveIntegerField(_("people"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.CHOICES)
    purpose_detail = models.CharField(_("purpose detail"), max_length=200, blank=True)
    trainee = models.ForeignKey(
        "enrollment.Trainee",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="exports",
    )

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["center", "-at"], name="exportlog_center_at"),
            models.Index(fields=["user", "-at"], name="exportlog_user_at"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.user} – {self.at:%d/%m/%Y %H:%M}"

    @property
    def purpose_label(self) -> str:
        label = str(self.get_purpose_display())
        return f"{label}: {self.purpose_detail}" if self.purpose_detail else label


class RecordEvent(models.Model):
    """Something a member of staff did to one person's record, and when."""

    center = models.ForeignKey(Center, models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} – {self.trainee_id} – {self.at:%d/%m/%Y %H:%M}"


class AccessLog(RecordEvent):
    """One opening of a person's record."""

    trainee = models.ForeignKey(
        "enrollment.Trainee", models.CASCADE, related_name="accesses"
    )

    class Meta(RecordEvent.Meta):
        verbose_name = _("opening of a record")
        verbose_name_plural = _("openings of records")
        indexes = [
            models.Index(fields=["center", "-at"], name="accesslog_center_at"),
            models.Index(fields=["trainee", "-at"], name="accesslog_trainee_at"),
        ]


class RecordChange(RecordEvent):
    """One correction of a person's record through its form: who, when and
    which fields. Not their values: the record holds the new ones, and a log
    of old citizen IDs and party dates would be a second copy to protect."""

    trainee = models.ForeignKey(
        "enrollment.Trainee", models.CASCADE, related_name="record_changes"
    )
    fields = models.JSONField(_("fields changed"), default=list)

    class Meta(RecordEvent.Meta):
        verbose_name = _("change to a record")
        verbose_name_plural = _("changes to records")
        indexes = [
            models.Index(fields=["trainee", "-at"], name="recordchange_trainee_at"),
        ]

    @property
    def fields_label(self) -> str:
        """The changed fields as the form names them: "Ngày vào Đảng, Chức vụ"."""
        from enrollment.models import Trainee

        names = []
        for name in self.fields:
            try:
                label = str(Trainee._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                label = name
            names.append(label[:1].upper() + label[1:])
        return ", ".join(names)
