"""The programme catalogue: blocks, programmes, their grading bands and
certificate templates. Shared by every centre (not scoped).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class BlockManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Block(models.Model):
    """A reporting block ("khối"): Đảng, Chính quyền, Đoàn thể.

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


class CertificateTemplate(models.Model):
    """A programme's own certificate page: extra CSS and, optionally, its own body.

    The body is a Django template for one page that sees only the printed
    fields (`c`) and the QR code (`qr`); it is compiled by an engine that can
    load no other template and no tag library (trainingcenter/pdf.py). Whatever
    it refers to by URL is refused unless it is one of the project's static
    files, so a page reaches neither the network nor the disk. Editing it
    never changes an issued certificate.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    css = models.TextField(
        _("extra CSS"),
        blank=True,
        help_text=_("Added after the standard certificate style."),
    )
    body = models.TextField(
        _("page body"),
        blank=True,
        help_text=_(
            "A Django template for one page with the variables c (the printed "
            "fields) and qr; empty: the standard layout."
        ),
    )

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.template import Context, TemplateDoesNotExist, TemplateSyntaxError

        from trainingcenter.pdf import sandboxed_template

        if self.body.strip():
            try:
                sandboxed_template(self.body).render(Context({"c": {}, "qr": ""}))
            except (TemplateSyntaxError, TemplateDoesNotExist) as error:
                raise ValidationError({"body": str(error)}) from error


class ClassTypeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def get_by_natural_key(self, code):
        return self.get(code=code)


class ClassType(models.Model):
    """A programme ("chương trình") of the catalogue (fixtures/class_types.json)."""

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
    eligible_party_status = models.CharField(
        _("for learners who are"),
        max_length=12,
        blank=True,
        choices=[
            ("non_member", _("Non-members")),
            ("probationary", _("Probationary members")),
            ("full", _("Full members")),
        ],
        help_text=_("Enrolling someone else shows a warning; empty: anyone."),
    )
    prerequisite = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requires first"),
    )
    certificate_template = models.ForeignKey(
        CertificateTemplate,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="class_types",
        verbose_name=_("certificate template"),
        help_text=_("Empty: the standard certificate."),
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

    @property
    def taken_once(self) -> bool:
        """A programme a person completes once in a life: a diploma course
        (sơ cấp, trung cấp lý luận chính trị) or the new members' course.
        Refresher courses and study sessions come round again."""
        return (
            self.kind == self.Kind.TRAINING
            or self.eligible_party_status == "probationary"
        )

    def grade_for(
        self, score: Decimal | None, bands: list["GradingBand"] | None = None
    ) -> "GradingBand | None":
        """The band a score falls in: the highest band whose minimum it reaches.
        `bands`: the programme's bands already read (a roster grades many)."""
        if score is None:
            return None
        if bands is None:
            bands = list(self.bands.all())
        for band in sorted(bands, key=lambda b: b.min_score, reverse=True):
            if score >= band.min_score:
                return band
        return None


class GradingBandManager(models.Manager):
    def get_by_natural_key(self, class_type_code, name):
        return self.get(class_type__code=class_type_code, name=name)


class GradingBand(models.Model):
    """One grade of a programme's scale, e.g. "Giỏi" from 9,0."""

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
                fields=["class_type", "name"],
                name="courses_gradingband_unique_name",
                violation_error_message=_(
                    "This programme already has a grade of that name."
                ),
            ),
            models.UniqueConstraint(
                fields=["class_type", "min_score"],
                name="courses_gradingband_unique_min_score",
                violation_error_message=_(
                    "Two grades of one programme cannot start at the same score."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} (≥ {self.min_score})"

    def natural_key(self):
        return (self.class_type.code, self.name)

    natural_key.dependencies = ["courses.classtype"]
