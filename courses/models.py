"""The programme catalogue and the people and plans a centre's classes use."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trainingcenter.models import Center, Organization
from trainingcenter.tenancy import center_scoped
from trainingcenter.text import search_key


class BlockManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Block(models.Model):
    """A reporting block ("khối"): Đảng, Chính quyền, Đoàn thể (DOMAIN.md section 2).

    A reference table, not an enum: provinces name and add blocks as they report.
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order in reports"), default=0)

    objects = BlockManager()

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class ClassTypeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def get_by_natural_key(self, code):
        return self.get(code=code)


class ClassType(models.Model):
    """A programme ("chương trình") from the catalogue of DOMAIN.md section 1."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training (diploma)")
        REFRESHER = "refresher", _("Refresher course")
        STUDY_SESSION = "study_session", _("Resolution study session")

    class Assessment(models.TextChoices):
        ESSAY = "essay", _("Essay")
        TEST = "test", _("Written test")
        TESTS_AND_THESIS = "tests_thesis", _("Tests and final thesis")
        EXAMS = "exams", _("Module exams and graduation")
        NONE = "none", _("No final assessment")

    class Award(models.TextChoices):
        CERTIFICATE = "certificate", _("Certificate")
        DIPLOMA = "diploma", _("Diploma")
        NONE = "none", _("Nothing")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("official name"), max_length=255)
    block = models.ForeignKey(
        Block, models.PROTECT, related_name="class_types", verbose_name=_("block")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind)
    learners = models.TextField(_("learners"), blank=True)
    periods = models.PositiveSmallIntegerField(
        _("periods (tiết)"),
        null=True,
        blank=True,
        help_text=_("Leave empty where the official count is not known."),
    )
    sessions = models.PositiveSmallIntegerField(
        _("half-day sessions (buổi)"), null=True, blank=True
    )
    assessment = models.CharField(
        _("final assessment"), max_length=15, choices=Assessment
    )
    award = models.CharField(_("gives"), max_length=12, choices=Award)
    award_validity_months = models.PositiveSmallIntegerField(
        _("validity of the award (months)"),
        null=True,
        blank=True,
        help_text=_("For example 60 months for an admission file; empty: no limit."),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Below this share of sessions attended nobody passes."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order in reports"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ClassTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(award="none")
                | models.Q(award_validity_months__isnull=True)
                | models.Q(award_validity_months__gt=0),
                name="courses_classtype_validity_positive",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def grade_for(self, score: Decimal | None) -> "GradingBand | None":
        """The band a score falls in: the highest band whose minimum it reaches."""
        if score is None:
            return None
        for band in sorted(self.bands.all(), key=lambda b: b.min_score, reverse=True):
            if score >= band.min_score:
                return band
        return None


class GradingBandManager(models.Manager):
    def get_by_natural_key(self, class_type_code, name):
        return self.get(class_type__code=class_type_code, name=name)


class GradingBand(models.Model):
    """One grade of a programme's scale, e.g. "Giỏi" from 9,0 (DOMAIN.md section 1)."""

    class_type = models.ForeignKey(
        ClassType, models.CASCADE, related_name="bands", verbose_name=_("programme")
    )
    name = models.CharField(_("grade"), max_length=40)
    min_score = models.DecimalField(
        _("from score"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    is_passing = models.BooleanField(_("passes"), default=True)

    objects = GradingBandManager()

    class Meta:
        verbose_name = _("grading band")
        verbose_name_plural = _("grading bands")
        ordering = ["class_type", "-min_score"]
        constraints = [
            models.UniqueConstraint(
                fields=["class_type", "name"], name="courses_gradingband_unique_name"
            ),
            models.UniqueConstraint(
                fields=["class_type", "min_score"],
                name="courses_gradingband_unique_min_score",
            ),
        ]

    def __str__(self):
        return f"{self.name} (≥ {self.min_score})"

    def natural_key(self):
        return (self.class_type.code, self.name)

    natural_key.dependencies = ["courses.classtype"]


class LecturerQuerySet(models.QuerySet):
    def matching(self, text: str):
        key = search_key(text)
        return self.filter(name_key__contains=key) if key else self


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

    objects = center_scoped(LecturerQuerySet, center="center")

    class Meta:
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_key = search_key(self.full_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("courses:lecturer_update", args=[self.center.slug, self.pk])
