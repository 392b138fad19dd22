"""A centre's lecturers and what they do besides teaching sessions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trainingcenter.models import Center, Organization
from trainingcenter.tenancy import center_scoped
from trainingcenter.text import search_key, sort_key, split_name


class LecturerQuerySet(models.QuerySet):
    def matching(self, text: str):
        key = search_key(text)
        return self.filter(name_key__contains=key) if key else self

    def with_periods_taught(self):
        """Annotate `periods_taught` and `sessions_taught` over all their sessions."""
        return self.annotate(
            periods_taught=models.Sum("class_sessions__periods", default=0),
            sessions_taught=models.Count("class_sessions"),
        )


class Lecturer(models.Model):
    """A centre's lecturer: full-time ("chuyên trách") or concurrent ("kiêm chức")."""

    class Kind(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        CONCURRENT = "concurrent", _("Concurrent")
        GUEST = "guest", _("Guest speaker")

    center = models.ForeignKey(
        Center, models.PROTECT, related_name="lecturers", verbose_name=_("centre")
    )
    full_name = models.CharField(_("full name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    unit = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    qualifications = models.CharField(
        _("qualifications"),
        max_length=255,
        blank=True,
        help_text=_("Professional and political-theory levels."),
    )
    is_active = models.BooleanField(_("teaching"), default=True)
    name_key = models.CharField(max_length=120, editable=False, db_index=True)
    sort_key = models.CharField(max_length=400, editable=False, db_index=True)

    objects = center_scoped(LecturerQuerySet, center="center")

    class Meta:
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        ordering = ["sort_key", "pk"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_key = search_key(self.full_name)
        self.sort_key = sort_key(*split_name(self.full_name))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("courses:lecturer_update", args=[self.center.slug, self.pk])


class LecturerActivity(models.Model):
    """A lecturer's peer teaching ("thao giảng"), class observation ("dự giờ")
    or entry in a lecturer contest ("hội thi giảng viên"): Biểu 2 and item 2.4
    of the annual report. Only a contest has a prize."""

    class Kind(models.TextChoices):
        PEER_TEACHING = "peer_teaching", _("Peer teaching")
        OBSERVATION = "observation", _("Class observation")
        CONTEST = "contest", _("Lecturer contest")

    class Award(models.TextChoices):
        FIRST = "first", _("First prize")
        SECOND = "second", _("Second prize")
        THIRD = "third", _("Third prize")
        CONSOLATION = "consolation", _("Consolation prize")
        NONE = "none", _("No prize")

    lecturer = models.ForeignKey(
        Lecturer,
        models.CASCADE,
        related_name="activities",
        verbose_name=_("lecturer"),
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind)
    date = models.DateField(_("date"), help_text=_("The day it took place."))
    title = models.CharField(
        _("topic or contest"),
        max_length=255,
        help_text=_("The topic taught or observed, or the contest's full name."),
    )
    award = models.CharField(
        _("prize"),
        max_length=12,
        choices=Award,
        blank=True,
        help_text=_("For a contest only."),
    )
    note = models.TextField(_("note"), blank=True)

    objects = center_scoped(models.QuerySet, center="lecturer__center")

    class Meta:
        verbose_name = _("lecturer activity")
        verbose_name_plural = _("lecturer activities")
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="contest") & ~models.Q(award=""))
                | (~models.Q(kind="contest") & models.Q(award="")),
                name="courses_lectureractivity_prize_for_contests",
                violation_error_message=_(
                    "A contest needs a prize; other activities have none."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.title}"

    def clean(self):
        errors = {}
        if self.kind == self.Kind.CONTEST and not self.award:
            errors["award"] = ValidationError(
                _("Choose the prize won at the contest, or “No prize”."),
                code="prize_required",
            )
        elif self.kind and self.kind != self.Kind.CONTEST and self.award:
            errors["award"] = ValidationError(
                _("Only a contest has a prize: leave it empty."),
                code="prize_not_allowed",
            )
        if self.date and self.date > timezone.localdate():
            errors["date"] = ValidationError(
                _("The date cannot be in the future."), code="date_in_future"
            )
        if errors:
            raise ValidationError(errors)
