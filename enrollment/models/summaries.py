"""Per-class counts kept up to date for the reports.

One row a class, and one per unit and per lecturer of it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import TrainingClass
from trainingcenter.models import Center, Organization
from trainingcenter.tenancy import center_scoped


class ClassSummary(models.Model):
    """A class's counts, kept current on every write (enrollment/summary.py).

    The reports sum these rows instead of scanning enrolments, so a national
    year (76,000 classes, 4.2 million enrolments) adds up in milliseconds
    whatever order the enrolments were stored in. A class from before the
    system has its declared numbers here. Never edited by hand:
    `manage.py refresh_summaries` recomputes them from the rows.
    """

    training_class = models.OneToOneField(
        TrainingClass,
        models.CASCADE,
        primary_key=True,
        related_name="summary",
        verbose_name=_("class"),
    )
    # Copied from the class, so that a period's rows are read by index
    # without joining the classes (whose whole table a join would hash).
    center = models.ForeignKey(
        Center, models.CASCADE, null=True, related_name="+", verbose_name=_("centre")
    )
    start_date = models.DateField(_("start date"), null=True)
    class_type = models.ForeignKey(
        "courses.ClassType",
        models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    counted_in_plan = models.BooleanField(default=True)
    # The class has a list of trainees (not only declared numbers).
    listed = models.BooleanField(default=True)
    enrolled = models.PositiveIntegerField(default=0)
    women = models.PositiveIntegerField(default=0)
    minorities = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    certified = models.PositiveIntegerField(default=0)
    excellent = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    average = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    attendance_records = models.PositiveIntegerField(default=0)
    at_cluster = models.BooleanField(default=False)
    co_organized = models.BooleanField(default=False)
    # Distinct persons: of this class's trainees (not withdrawn), how many
    # have it as their first class of its calendar year at the centre, and how
    # many as their last (by start date, then class). A period from 1 January,
    # or to 31 December, of one year then counts each person once by adding
    # these up (a trainee belongs to one centre, so centres add up too).
    first_in_year = models.PositiveIntegerField(default=0)
    last_in_year = models.PositiveIntegerField(default=0)
    # The year these two were ranked in: when the class moves to another
    # year, the classes of the old one are ranked again.
    ranked_year = models.PositiveSmallIntegerField(null=True)

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        verbose_name = _("class summary")
        verbose_name_plural = _("class summaries")
        indexes = [
            models.Index(fields=["start_date", "center"]),
            models.Index(fields=["center", "start_date"]),
        ]

    def __str__(self):
        return str(self.training_class_id)


class ClassPartSummary(models.Model):
    """A class's counts per unit or per lecturer, kept with ClassSummary.

    Each row carries its class's centre and opening day, so that a period's
    rows are read by index without joining the classes.
    """

    center = models.ForeignKey(
        Center, models.CASCADE, related_name="+", verbose_name=_("centre")
    )
    start_date = models.DateField(_("start date"))

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        abstract = True
        indexes = [
            models.Index(fields=["start_date", "center"]),
            models.Index(fields=["center", "start_date"]),
        ]


class ClassUnitSummary(ClassPartSummary):
    """A class's trainees (not withdrawn) per sending unit.

    The report's "by sending unit" table and the committees' rollups add
    these rows up (a few per class) instead of grouping millions of
    enrolments.
    """

    training_class = models.ForeignKey(
        TrainingClass,
        models.CASCADE,
        related_name="unit_summaries",
        verbose_name=_("class"),
    )
    unit = models.ForeignKey(
        Organization,
        models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("unit at the time"),
    )
    enrolled = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    certified = models.PositiveIntegerField(default=0)

    class Meta(ClassPartSummary.Meta):
        verbose_name = _("class summary by unit")
        verbose_name_plural = _("class summaries by unit")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "unit"],
                name="class_unit_summary_unique",
            )
        ]

    def __str__(self):
        return f"{self.training_class_id}/{self.unit_id}"


class ClassLecturerSummary(ClassPartSummary):
    """A class's sessions and periods per lecturer: Biểu 2 adds these rows up
    instead of grouping every session of the country."""

    training_class = models.ForeignKey(
        TrainingClass,
        models.CASCADE,
        related_name="lecturer_summaries",
        verbose_name=_("class"),
    )
    lecturer = models.ForeignKey(
        "courses.Lecturer",
        models.CASCADE,
        related_name="+",
        verbose_name=_("lecturer"),
    )
    sessions = models.PositiveIntegerField(default=0)
    periods = models.PositiveIntegerField(default=0)

    class Meta(ClassPartSummary.Meta):
        verbose_name = _("class summary by lecturer")
        verbose_name_plural = _("class summaries by lecturer")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "lecturer"],
                name="class_lecturer_summary_unique",
            )
        ]

    def __str__(self):
        return f"{self.training_class_id}/{self.lecturer_id}"
