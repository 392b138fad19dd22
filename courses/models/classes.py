"""A centre's classes, the bodies that run them with it, and their sessions."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from courses.models.catalogue import ClassType
from courses.models.lecturers import Lecturer
from trainingcenter.models import Center, Organization
from trainingcenter.tenancy import center_scoped
from trainingcenter.text import search_key


class TrainingClassQuerySet(models.QuerySet):
    def opened_between(self, start, end):
        """Classes opening in the period: a class counts when it opens ."""
        return self.filter(start_date__gte=start, start_date__lte=end)

    def historic(self):
        """Classes from before the system: numbers only, no roster."""
        return self.filter(historic=True)

    def counted_by_declared_numbers(self):
        """Classes without a roster that count by their declared numbers, as
        the summaries count them: those from before the system, and those
        entered with a declared number of trainees before the flag existed."""
        enrollment = self.model._meta.get_field("enrollments").related_model
        rostered = enrollment._base_manager.filter(
            training_class=models.OuterRef("pk")
        ).exclude(status="withdrawn")
        return self.filter(
            models.Q(historic=True) | models.Q(declared_enrolled__isnull=False)
        ).exclude(models.Exists(rostered))

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
    # A class from before the system has no roster, only the numbers its
    # records give. An empty number is not known (an article may give the
    # classes of a year and no trainee figure): reports say so, never 0.
    historic = models.BooleanField(
        _("from before the system"),
        default=False,
        db_default=False,
        help_text=_("Recorded from earlier records: numbers only, no roster."),
    )
    declared_enrolled = models.PositiveIntegerField(
        _("declared enrolled"), null=True, blank=True
    )
    declared_completed = models.PositiveIntegerField(
        _("declared completed"), null=True, blank=True
    )
    declared_certified = models.PositiveIntegerField(
        _("declared certified"), null=True, blank=True
    )
    declared_called = models.PositiveIntegerField(
        _("declared called"),
        null=True,
        blank=True,
        help_text=_("How many were called to the class (“triệu tập”)."),
    )
    declared_attended = models.PositiveIntegerField(
        _("declared attended"), null=True, blank=True
    )
    # What the records name when no organization of the register matches.
    co_organizer_names = models.CharField(
        _("co-organised with (as written)"),
        max_length=255,
        blank=True,
        db_default="",
    )
    issuer_name = models.CharField(
        _("issuing body (as written)"), max_length=255, blank=True, db_default=""
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = center_scoped(TrainingClassQuerySet, center="center")
    # Who corrected a class from before the system, and when; shown on the
    # class page.
    history = HistoricalRecords(
        excluded_fields=["search_text", "version"], cascade_delete_history=False
    )

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
    """A body that runs a class with the centre, and its role."""

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


class UnitQuota(models.Model):
    """How many people a class asks of one sending unit ("chỉ tiêu", "số lượng
    triệu tập"), set before anyone is named: the summons to a unit asks for
    this number, with or without the list of its people."""

    training_class = models.ForeignKey(
        TrainingClass, models.CASCADE, related_name="quotas", verbose_name=_("class")
    )
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="+", verbose_name=_("sending unit")
    )
    number = models.PositiveSmallIntegerField(
        _("number called"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )

    objects = center_scoped(models.QuerySet, center="training_class__center")

    class Meta:
        verbose_name = _("number called from a unit")
        verbose_name_plural = _("numbers called from the units")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "organization"],
                name="courses_unitquota_once_per_class",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1),
                name="courses_unitquota_number_positive",
            ),
        ]

    def __str__(self):
        return f"{self.organization}: {self.number}"
