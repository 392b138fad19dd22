"""The programme catalogue and the people and plans a centre's classes use."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trainingcenter.models import Center, Organization
from trainingcenter.tenancy import center_scoped
from trainingcenter.text import search_key, sort_key, split_name


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


class CertificateTemplate(models.Model):
    """A programme's own certificate page: extra CSS and, optionally, its own body.

    The body is a Django template for one page that sees only the printed
    fields (`c`) and the QR code (`qr`); it is compiled by an engine that can
    load no other template and no tag library (trainingcenter/pdf.py). Whatever
    it refers to by URL is refused unless it is one of the project's static
    files (SECURITY.md R28). Editing it never changes an issued certificate.
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
        from django.core.exceptions import ValidationError
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
    of the annual report (DOMAIN.md §3). Only a contest has a prize."""

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


class TrainingClassQuerySet(models.QuerySet):
    def opened_between(self, start, end):
        """Classes opening in the period: a class counts when it opens (DESIGN.md)."""
        return self.filter(start_date__gte=start, start_date__lte=end)

    def matching(self, text: str):
        key = search_key(text)
        return self.filter(search_text__contains=key) if key else self

    def with_enrollment_counts(self):
        """Annotate `enrolled`: enrolments not withdrawn (one "lượt" each).

        A subquery per class rather than a join and GROUP BY: PostgreSQL counts
        the rows of the page only, after ORDER BY and LIMIT, instead of every
        enrolment of the centre's history; and the paginator's COUNT drops it.
        """
        enrollment = self.model._meta.get_field("enrollments").related_model
        counts = (
            enrollment._base_manager.filter(training_class=models.OuterRef("pk"))
            .exclude(status="withdrawn")
            .order_by()
            .values("training_class")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            enrolled=Coalesce(
                models.Subquery(counts), 0, output_field=models.IntegerField()
            )
        )


class TrainingClass(models.Model):
    """A class ("lớp") a centre opens from a programme."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for enrolment")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    center = models.ForeignKey(
        Center, models.PROTECT, related_name="classes", verbose_name=_("centre")
    )
    class_type = models.ForeignKey(
        ClassType, models.PROTECT, related_name="classes", verbose_name=_("programme")
    )
    intake_label = models.CharField(
        _("intake"),
        max_length=60,
        blank=True,
        help_text=_("As the decision to open it says, e.g. “khóa I”, “đợt 2”."),
    )
    sequence = models.PositiveSmallIntegerField(
        _("number in the year"),
        null=True,
        blank=True,
        help_text=_("The class's running number for this programme and year."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    venue_communes = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="+",
        verbose_name=_("communes of the venue cluster"),
        help_text=_("For a class held at a cluster of communes."),
    )
    organizer = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organiser"),
    )
    ordering_body = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordering body"),
        help_text=_("The party committee that set the target for this class."),
    )
    certificate_issuer = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certificate issuer"),
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    counted_in_plan = models.BooleanField(_("counted in the plan"), default=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PLANNED
    )
    periods = models.PositiveSmallIntegerField(
        _("periods (tiết)"), null=True, blank=True
    )
    sessions = models.PositiveSmallIntegerField(
        _("half-day sessions (buổi)"), null=True, blank=True
    )
    assessment = models.CharField(
        _("final assessment"), max_length=15, choices=ClassType.Assessment
    )
    award = models.CharField(_("gives"), max_length=12, choices=ClassType.Award)
    # A class from before the system has no roster, only declared counts.
    declared_enrolled = models.PositiveIntegerField(
        _("declared enrolled"), null=True, blank=True
    )
    declared_completed = models.PositiveIntegerField(
        _("declared completed"), null=True, blank=True
    )
    declared_certified = models.PositiveIntegerField(
        _("declared certified"), null=True, blank=True
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = center_scoped(TrainingClassQuerySet, center="center")

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="courses_trainingclass_dates_in_order",
                violation_error_message=_(
                    "The end date cannot be before the start date."
                ),
            ),
        ]
        indexes = [models.Index(fields=["center", "start_date"])]

    def __str__(self):
        label = f" {self.intake_label}" if self.intake_label else ""
        return f"{self.class_type.name}{label} ({self.start_date:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.search_text = search_key(
            " ".join([self.class_type.name, self.intake_label, self.venue])
        )[:400]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("enrollment:class_detail", args=[self.center.slug, self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class CoOrganizer(models.Model):
    """A body that runs a class with the centre, and its role (DOMAIN.md §2)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        PARTNER = "partner", _("Partner")
        HOST = "host", _("Host")

    training_class = models.ForeignKey(
        TrainingClass,
        models.CASCADE,
        related_name="co_organizers",
        verbose_name=_("class"),
    )
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role)

    objects = center_scoped(models.QuerySet, center="training_class__center")

    class Meta:
        verbose_name = _("co-organiser")
        verbose_name_plural = _("co-organisers")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "organization"],
                name="courses_coorganizer_once_per_class",
            ),
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()})"


class ClassSession(models.Model):
    """One half-day of a class ("buổi học") with its topic ("chuyên đề")."""

    class Part(models.IntegerChoices):
        MORNING = 1, _("Morning")
        AFTERNOON = 2, _("Afternoon")
        EVENING = 3, _("Evening")

    training_class = models.ForeignKey(
        TrainingClass,
        models.PROTECT,
        related_name="class_sessions",
        verbose_name=_("class"),
    )
    date = models.DateField(_("date"))
    part = models.PositiveSmallIntegerField(_("part of the day"), choices=Part)
    topic = models.CharField(_("topic"), max_length=255)
    lecturer = models.ForeignKey(
        Lecturer,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="class_sessions",
        verbose_name=_("lecturer"),
    )
    periods = models.PositiveSmallIntegerField(
        _("periods (tiết)"), default=5, validators=[MaxValueValidator(10)]
    )

    objects = center_scoped(models.QuerySet, center="training_class__center")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "date", "part"],
                name="courses_classsession_one_per_half_day",
            ),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_part_display()}: {self.topic}"


class AnnualPlan(models.Model):
    """A centre's target for one programme in one year ("chỉ tiêu", DOMAIN.md §3).

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
