"""Trainee lists uploaded from Excel, waiting for their preview to be confirmed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import TrainingClass
from trainingcenter.models import Center, Organization
from trainingcenter.tenancy import center_scoped


class ImportBatch(models.Model):
    """An uploaded trainee list waiting for confirmation; private to its uploader.

    Owned by the uploader, the centre and the class: anyone else's token answers
    404. The cells stay in the database, so app servers keep no state.
    """

    token = models.CharField(max_length=43, unique=True, editable=False)
    center = models.ForeignKey(Center, models.CASCADE, related_name="+")
    training_class = models.ForeignKey(
        TrainingClass, models.CASCADE, related_name="import_batches"
    )
    user = models.ForeignKey("auth.User", models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    # The first sheet's cells as read at upload time (never the file itself):
    # the preview and the confirmation reuse them without parsing again.
    sheet = models.JSONField(default=dict)
    sending_unit = models.ForeignKey(
        Organization, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mapping = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        verbose_name = _("trainee list upload")
        verbose_name_plural = _("trainee list uploads")

    def __str__(self):
        return self.file_name


class ColumnMapping(models.Model):
    """The columns found in a sending unit's file, remembered for its next one."""

    center = models.ForeignKey(Center, models.CASCADE, related_name="+")
    sending_unit = models.ForeignKey(Organization, models.CASCADE, related_name="+")
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "sending_unit"],
                name="enrollment_columnmapping_one_per_unit",
            ),
        ]

    def __str__(self):
        return str(self.sending_unit)
