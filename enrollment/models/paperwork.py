"""A centre's own wording of the papers it writes around a class."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trainingcenter.models import Center
from trainingcenter.tenancy import center_scoped


class PaperWording(models.Model):
    """The text of one kind of class paper as a centre words it: plain lines
    with named fields in braces ({lop}, {ngay_khai_giang}…), filled from the
    class when a paper is made (enrollment/paperwork/wording.py). Without a
    row the kind's default text is used."""

    center = models.ForeignKey(
        Center, models.CASCADE, related_name="+", verbose_name=_("centre")
    )
    kind = models.CharField(_("kind"), max_length=20)
    text = models.TextField(_("text"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        verbose_name = _("wording of a class paper")
        verbose_name_plural = _("wordings of class papers")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "kind"], name="enrollment_paperwording_one_per_kind"
            )
        ]

    def __str__(self):
        return self.kind
