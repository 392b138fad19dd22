"""Who exported personal data and why, who opened whose record, who
corrected it, and the requests of the people it is about.

The logs are rows, not lines of the server's log: the director reads and
filters them on the centre's pages, and a person's own file lists them.
Each is written by one insert (enrollment/services/privacy.py).
"""

import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from trainingcenter.models import Center, Organization
from trainingcenter.privacy import Purpose
from trainingcenter.tenancy import center_scoped


class ExportLog(models.Model):
    """One file with personal data that left the system."""

    class Kind(models.TextChoices):
        ROSTER = "roster", _("Class list")
        REGISTRY = "registry", _("Trainee registry")
        REGISTER = "register", _("Certificate register")
        CERTIFIED = "certified", _("Rollup: people with a certificate")
        PIPELINE = "pipeline", _("Rollup: admission pipeline")
        PERSON_FILE = "person_file", _("A person's own file")
        CERTIFICATES = "certificates", _("Certificates (PDF)")
        PAPERS = "papers", _("Class papers naming trainees")

    center = models.ForeignKey(
        Center, models.CASCADE, null=True, blank=True, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("export"), max_length=12, choices=Kind)
    file_format = models.CharField(_("format"), max_length=4)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    people = models.PositiveIntegerField(_("people"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.CHOICES)
    purpose_detail = models.CharField(_("purpose detail"), max_length=200, blank=True)
    trainee = models.ForeignKey(
        "enrollment.Trainee",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="exports",
    )

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["center", "-at"], name="exportlog_center_at"),
            models.Index(fields=["user", "-at"], name="exportlog_user_at"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.user} – {self.at:%d/%m/%Y %H:%M}"

    @property
    def purpose_label(self) -> str:
        label = str(self.get_purpose_display())
        return f"{label}: {self.purpose_detail}" if self.purpose_detail else label


class RecordEvent(models.Model):
    """Something a member of staff did to one person's record, and when."""

    center = models.ForeignKey(Center, models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} – {self.trainee_id} – {self.at:%d/%m/%Y %H:%M}"


class AccessLog(RecordEvent):
    """One opening of a person's record."""

    trainee = models.ForeignKey(
        "enrollment.Trainee", models.CASCADE, related_name="accesses"
    )

    class Meta(RecordEvent.Meta):
        verbose_name = _("opening of a record")
        verbose_name_plural = _("openings of records")
        indexes = [
            models.Index(fields=["center", "-at"], name="accesslog_center_at"),
            models.Index(fields=["trainee", "-at"], name="accesslog_trainee_at"),
        ]


class RecordChange(RecordEvent):
    """One correction of a person's record through its form: who, when and
    which fields. Not their values: the record holds the new ones, and a log
    of old citizen IDs and party dates would be a second copy to protect."""

    trainee = models.ForeignKey(
        "enrollment.Trainee", models.CASCADE, related_name="record_changes"
    )
    fields = models.JSONField(_("fields changed"), default=list)

    class Meta(RecordEvent.Meta):
        verbose_name = _("change to a record")
        verbose_name_plural = _("changes to records")
        indexes = [
            models.Index(fields=["trainee", "-at"], name="recordchange_trainee_at"),
        ]

    @property
    def fields_label(self) -> str:
        """The changed fields as the form names them: "Ngày vào Đảng, Chức vụ"."""
        from enrollment.models import Trainee

        names = []
        for name in self.fields:
            try:
                label = str(Trainee._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                label = name
            names.append(label[:1].upper() + label[1:])
        return ", ".join(names)


# Requests from the people the data is about ----------------------------------

# The reply is due two working days after a request arrives; the work
# itself within 10 to 20 days by kind, extended once by at most 15 days.
# The register proposes the earliest completion date that applies to the
# kind; the director may extend it once.
ANSWER_WORKING_DAYS = 2
MAX_EXTENSION_DAYS = 15


def working_days_after(day: datetime.date, count: int) -> datetime.date:
    """`count` working days (Monday to Friday) after `day`. Public holidays
    are not known here, so the date can only be early, never late."""
    while count:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


class SubjectRequest(models.Model):
    """A request from a person (or someone on their behalf) about the data the
    centre holds on them: when it came, by when it is to be answered and
    done, and how it ended. The work itself happens where it always does (the
    person's file, the record's form); this is the proof that it did."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("See or receive a copy of the data")
        CORRECTION = "correction", _("Correct the data")
        DELETION = "deletion", _("Delete the data")
        RESTRICTION = "restriction", _("Restrict processing")
        OBJECTION = "objection", _("Object to processing")
        WITHDRAWAL = "withdrawal", _("Withdraw consent")

    class Outcome(models.TextChoices):
        DONE = "done", pgettext_lazy("request outcome", "Done")
        PARTLY = "partly", _("Partly done")
        REFUSED = "refused", _("Refused")

    # Days from arrival to completion the register proposes, by kind.
    DAYS = {
        Kind.ACCESS: 10,
        Kind.CORRECTION: 10,
        Kind.DELETION: 10,
        Kind.RESTRICTION: 15,
        Kind.OBJECTION: 15,
        Kind.WITHDRAWAL: 15,
    }

    center = models.ForeignKey(Center, models.CASCADE, related_name="+")
    trainee = models.ForeignKey(
        "enrollment.Trainee",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="subject_requests",
        verbose_name=_("trainee"),
    )
    # For someone not in the registry: who the data would be about.
    subject_name = models.CharField(
        _("the person the data is about"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
    )
    requester = models.CharField(
        _("requested by"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty when the person asked in person or in writing."),
    )
    kind = models.CharField(_("request"), max_length=12, choices=Kind)
    received_on = models.DateField(_("received on"))
    details = models.TextField(_("what is asked"), blank=True)
    answer_by = models.DateField(_("reply due by"))
    due_on = models.DateField(_("to be done by"))
    extended_to = models.DateField(_("extended to"), null=True, blank=True)
    answered_on = models.DateField(_("replied on"), null=True, blank=True)
    closed_on = models.DateField(_("done on"), null=True, blank=True)
    # The day each was written into the register: a date typed in after its
    # deadline is shown with the day it was written, so the register stays
    # the proof it is meant to be.
    answered_recorded_on = models.DateField(null=True, blank=True, editable=False)
    closed_recorded_on = models.DateField(null=True, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome, blank=True)
    outcome_note = models.TextField(_("what was done, or why not"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        verbose_name = _("request from a data subject")
        verbose_name_plural = _("requests from data subjects")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["center", "-received_on"], name="subjectreq_center"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.received_on:%d/%m/%Y}"

    @classmethod
    def deadlines(cls, kind: str, received_on: datetime.date):
        """(reply due by, to be done by) for a request of `kind`."""
        days = cls.DAYS.get(kind, min(cls.DAYS.values()))
        return (
            working_days_after(received_on, ANSWER_WORKING_DAYS),
            received_on + datetime.timedelta(days=days),
        )

    @property
    def deadline(self) -> datetime.date:
        return self.extended_to or self.due_on

    @classmethod
    def past_a_date(cls, center, today: datetime.date):
        """The open requests `state` calls "overdue" or "reply_overdue", in
        one query: what the director's overview counts."""
        return cls.objects.filter(center=center, closed_on=None).filter(
            models.Q(extended_to=None, due_on__lt=today)
            | models.Q(extended_to__lt=today)
            | models.Q(answered_on=None, answer_by__lt=today)
        )

    @property
    def replied_late(self) -> bool:
        return bool(self.answered_on and self.answered_on > self.answer_by)

    @property
    def reply_written_late(self) -> bool:
        """The reply was written into the register after its date had passed."""
        day = self.answered_recorded_on
        return bool(self.answered_on and day and day > self.answer_by)

    @property
    def close_written_late(self) -> bool:
        day = self.closed_recorded_on
        return bool(self.closed_on and day and day > self.deadline)

    @staticmethod
    def with_states(rows, today: datetime.date) -> list:
        """`rows` as a list, each with `current_state` (what the register's
        and a person's record's list of requests show)."""
        rows = list(rows)
        for row in rows:
            row.current_state = row.state(today)
        return rows

    def state(self, today: datetime.date) -> str:
        """ "done", "late" (done after the deadline), "overdue", "reply_overdue"
        (no reply yet, past its date) or "open"."""
        if self.closed_on:
            return "late" if self.closed_on > self.deadline else "done"
        if today > self.deadline:
            return "overdue"
        if not self.answered_on and today > self.answer_by:
            return "reply_overdue"
        return "open"
