"""A centre's annual plan: its target per programme and year."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models.catalogue import Block, ClassType
from trainingcenter.models import Center
from trainingcenter.tenancy import center_scoped


class AnnualPlan(models.Model):
    """A centre's target for one programme in one year ("chỉ tiêu").

    The year's plan is approved by the party committee's standing body; the
    reports compare the classes counted in the plan against it.
    """

    center = models.ForeignKey(
        Center, models.PROTECT, related_name="plans", verbose_name=_("centre")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    class_type = models.ForeignKey(
        ClassType, models.PROTECT, related_name="plans", verbose_name=_("programme")
    )
    target_classes = models.PositiveIntegerField(_("planned classes"), default=0)
    target_trainees = models.PositiveIntegerField(_("planned trainees"), default=0)

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["year", "class_type__order", "class_type__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "class_type"],
                name="courses_annualplan_once_per_programme",
            ),
        ]

    def __str__(self):
        return f"{self.year} – {self.class_type}"


class PlanTotal(models.Model):
    """A centre's target for a whole block, or for all its classes, in a year.

    Centres' plans often state only "mở 34 lớp, 2.400 lượt học viên", or a
    figure per block, beside or instead of the targets per programme. The
    report compares each level with its own target where there is one, and
    otherwise with the sum of the targets below it. Classes and trainees are
    separate: 0 means no target at that level.
    """

    center = models.ForeignKey(
        Center, models.PROTECT, related_name="plan_totals", verbose_name=_("centre")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    block = models.ForeignKey(
        Block,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_totals",
        verbose_name=_("block"),
        help_text=_("Empty: the target of all the centre's classes."),
    )
    target_classes = models.PositiveIntegerField(_("planned classes"), default=0)
    target_trainees = models.PositiveIntegerField(_("planned trainees"), default=0)

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        verbose_name = _("plan total")
        verbose_name_plural = _("plan totals")
        ordering = ["year", "block__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "block"],
                name="courses_plantotal_once_per_block",
            ),
            models.UniqueConstraint(
                fields=["center", "year"],
                condition=models.Q(block__isnull=True),
                name="courses_plantotal_once_per_centre",
            ),
        ]

    def __str__(self):
        # gettext outside the f-string, where makemessages can read it.
        scope = self.block or _("whole centre")
        return f"{self.year} – {scope}"
