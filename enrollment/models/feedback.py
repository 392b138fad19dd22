"""Learner feedback: anonymous surveys, one-time codes, answers and their tallies."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import TrainingClass
from enrollment.models.trainees import Enrollment
from trainingcenter.tenancy import center_scoped


class Survey(models.Model):
    """A class's feedback survey, opened by the staff; one per class."""

    training_class = models.OneToOneField(
        TrainingClass, models.CASCADE, related_name="survey", verbose_name=_("class")
    )
    token = models.CharField(_("short link"), max_length=12, unique=True)
    forms_given = models.PositiveIntegerField(
        _("forms given out"),
        null=True,
        blank=True,
        help_text=_("Left empty: one per trainee of the class."),
    )
    # Kept by enrollment.services.feedback.recount(), with the tallies.
    received = models.PositiveIntegerField(_("forms received"), default=0)
    received_online = models.PositiveIntegerField(default=0)

    objects = center_scoped(models.QuerySet, center="training_class__center")

    class Meta:
        verbose_name = _("feedback survey")
        verbose_name_plural = _("feedback surveys")

    def __str__(self):
        return str(self.training_class)


class FeedbackCode(models.Model):
    """The one-time code a trainee answers with: it says only whether it was used."""

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="codes")
    enrollment = models.OneToOneField(
        Enrollment, models.CASCADE, related_name="feedback_code"
    )
    code = models.CharField(max_length=12)
    used = models.BooleanField(default=False)

    objects = center_scoped(models.QuerySet, center="survey__training_class__center")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "code"], name="feedback_code_unique_in_survey"
            )
        ]

    def __str__(self):
        return self.code


class Rating(models.IntegerChoices):
    """The three boxes of the paper form, in their printed order."""

    VERY_SATISFIED = 1, _("Very satisfied")
    SATISFIED = 2, _("Satisfied")
    NOT_SATISFIED = 3, _("Not satisfied")


class FeedbackResponse(models.Model):
    """One form received: on the phone or typed from paper. Deliberately
    without code, person or time."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")

    # Random, not a sequence: the order of the forms says nothing either.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="responses")
    channel = models.CharField(_("channel"), max_length=6, choices=Channel)
    # A paper form's row in the grid, so that the grid keeps the stack's order.
    number = models.PositiveSmallIntegerField(null=True, editable=False)
    comment = models.TextField(_("other comments"), max_length=2000, blank=True)

    objects = center_scoped(models.QuerySet, center="survey__training_class__center")

    class Meta:
        verbose_name = _("feedback form")
        verbose_name_plural = _("feedback forms")

    def __str__(self):
        return f"{self.survey_id}/{self.pk}"


class FeedbackAnswer(models.Model):
    """A form's ratings of one lecturer (or of the class, when no lecturer is
    recorded) on the four criteria: content, method, manner, effect."""

    CRITERIA = ("content", "method", "manner", "usefulness")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        FeedbackResponse, models.CASCADE, related_name="answers"
    )
    lecturer = models.ForeignKey(
        "courses.Lecturer", models.PROTECT, null=True, blank=True, related_name="+"
    )
    content = models.PositiveSmallIntegerField(
        _("content"), choices=Rating, null=True, blank=True
    )
    method = models.PositiveSmallIntegerField(
        _("method"), choices=Rating, null=True, blank=True
    )
    manner = models.PositiveSmallIntegerField(
        _("teaching manner"), choices=Rating, null=True, blank=True
    )
    usefulness = models.PositiveSmallIntegerField(
        _("usefulness"), choices=Rating, null=True, blank=True
    )

    objects = center_scoped(
        models.QuerySet, center="response__survey__training_class__center"
    )

    def __str__(self):
        return f"{self.response_id}/{self.lecturer_id}"


class FeedbackTally(models.Model):
    """A survey's counts per lecturer and criterion, kept on every write:
    Biểu 3 adds these up instead of reading every answer of the country."""

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="tallies")
    lecturer = models.ForeignKey(
        "courses.Lecturer", models.CASCADE, null=True, blank=True, related_name="+"
    )
    criterion = models.CharField(max_length=12)
    # Forms that rated this lecturer (the same on the lecturer's four rows).
    responses = models.PositiveIntegerField(default=0)
    very_satisfied = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    not_satisfied = models.PositiveIntegerField(default=0)

    objects = center_scoped(models.QuerySet, center="survey__training_class__center")

    class Meta:
        indexes = [models.Index(fields=["survey", "lecturer"])]

    def __str__(self):
        return f"{self.survey_id}/{self.lecturer_id}/{self.criterion}"


class FeedbackAttempt(models.Model):
    """A wrong code typed on the public form: logged, and rate-limited by it."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    client = models.CharField(max_length=64, db_index=True)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.client}"
