"""Trainees (the registry of people), their enrolments and attendance."""

import datetime
import re

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from courses.models import ClassSession, TrainingClass
from trainingcenter.encryption import EncryptedCharField, lookup_hash
from trainingcenter.models import Center, Organization
from trainingcenter.tenancy import center_scoped
from trainingcenter.text import search_key, sort_key, split_name

CITIZEN_ID = re.compile(r"\d{12}")
BIRTH_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
BIRTH_YEAR = re.compile(r"(19|20)\d\d")


def citizen_id_match(citizen_id: str) -> models.Q:
    """Matches a citizen ID through its keyed hash: the stored ID is
    encrypted and cannot be compared in the database (none for "")."""
    return models.Q(citizen_id_hash=lookup_hash(citizen_id) or "-")


class TraineeQuerySet(models.QuerySet):
    def matching(self, text: str):
        """Trainees whose name contains `text`, ignoring diacritics and case;
        a date of birth ("12/03/1990") or a year of birth ("1990") in the text
        narrows the name ("Hoa 1990") or is searched alone."""
        text = text.strip()
        if CITIZEN_ID.fullmatch(text):
            return self.filter(
                models.Q(name_key__contains=text) | citizen_id_match(text)
            )
        found = self
        words = []
        for word in text.split():
            if match := BIRTH_DATE.fullmatch(word):
                day, month, year = (int(part) for part in match.groups())
                try:
                    born = datetime.date(year, month, day)
                except ValueError:
                    return self.none()
                found = found.filter(birth_date=born)
            elif BIRTH_YEAR.fullmatch(word):
                found = found.filter(birth_date__year=int(word))
            else:
                words.append(word)
        key = search_key(" ".join(words))
        return found.filter(name_key__contains=key) if key else found

    def with_citizen_id(self, citizen_id: str):
        """The trainees of this citizen ID (none for "")."""
        return self.filter(citizen_id_match(citizen_id))

    def in_vietnamese_order(self):
        return self.order_by("sort_key", "birth_date", "pk")


class Trainee(models.Model):
    """A person who takes classes at a centre

    Ethnicity, party status and citizen ID are sensitive (Law 91/2025/QH15):
    forms and pages show them only to roles that need them.
    """

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class PartyStatus(models.TextChoices):
        NON_MEMBER = "non_member", _("Non-member")
        PROBATIONARY = "probationary", _("Probationary member")
        FULL = "full", _("Full member")

    center = models.ForeignKey(
        Center, models.PROTECT, related_name="trainees", verbose_name=_("centre")
    )
    full_name = models.CharField(_("full name"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=120, blank=True)
    given_name = models.CharField(_("given name"), max_length=120)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year_only = models.BooleanField(
        _("only the year of birth is known"), default=False
    )
    gender = models.CharField(_("gender"), max_length=6, choices=Gender)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, blank=True)
    unit = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    party_status = models.CharField(
        _("party status"),
        max_length=12,
        choices=PartyStatus,
        default=PartyStatus.NON_MEMBER,
    )
    admission_date = models.DateField(_("date of admission"), null=True, blank=True)
    full_membership_date = models.DateField(
        _("date of full membership"), null=True, blank=True
    )
    # Encrypted at rest; matched through `citizen_id_hash` (its keyed hash).
    citizen_id = EncryptedCharField(
        _("citizen ID"),
        blank=True,
        clear_max_length=12,
        hash_field="citizen_id_hash",
        validators=[RegexValidator(r"^\d{12}$", _("A citizen ID has 12 digits."))],
    )
    citizen_id_hash = models.CharField(
        max_length=64,
        blank=True,
        default="",
        db_default="",
        editable=False,
        db_index=True,
    )
    notes = models.CharField(_("notes"), max_length=255, blank=True)
    # Set when the centre's retention period has passed and the identifying
    # details were reduced (enrollment.services.retention); the minority flag
    # keeps the counts of the classes the person sat in as they were.
    details_removed_on = models.DateField(
        _("identifying details removed on"), null=True, blank=True, editable=False
    )
    counted_as_minority = models.BooleanField(
        default=False, db_default=False, editable=False
    )
    name_key = models.CharField(max_length=120, editable=False, db_index=True)
    sort_key = models.CharField(max_length=400, editable=False, db_index=True)

    objects = center_scoped(TraineeQuerySet, center="center")

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        ordering = ["sort_key", "birth_date", "pk"]
        indexes = [
            # The probationers of the admission pipeline, the earliest admitted
            # first: a committee's page reads its first rows in index order.
            models.Index(
                fields=["admission_date", "sort_key", "id"],
                condition=models.Q(party_status="probationary"),
                name="enrollment_trainee_probation",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "citizen_id_hash"],
                condition=~models.Q(citizen_id_hash=""),
                name="enrollment_trainee_citizen_id_once_per_center",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.fill_keys()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("enrollment:trainee_detail", args=[self.center.slug, self.pk])

    def fill_keys(self):
        """Split the name; compute the search and sort keys and the citizen
        ID's hash."""
        for name, value in self.name_fields(self.full_name).items():
            setattr(self, name, value)
        self.citizen_id_hash = lookup_hash(self.citizen_id)

    @staticmethod
    def name_fields(full_name: str) -> dict[str, str]:
        """The stored name parts and keys of a full name (also for bulk inserts)."""
        full_name = " ".join(full_name.split())
        family, middle, given = split_name(full_name)
        return {
            "full_name": full_name,
            "family_name": family,
            "middle_name": middle,
            "given_name": given,
            "name_key": search_key(full_name),
            "sort_key": sort_key(family, middle, given),
        }

    @property
    def birth_display(self) -> str:
        if not self.birth_date:
            return ""
        if self.birth_year_only:
            return str(self.birth_date.year)
        return f"{self.birth_date:%d/%m/%Y}"


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Enrollment.Status.WITHDRAWN)


class Enrollment(models.Model):
    """A trainee in a class; counted as one "lượt học viên"."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COMPLETED = "completed", _("Passed")
        FAILED = "failed", _("Not passed")

    training_class = models.ForeignKey(
        TrainingClass,
        models.PROTECT,
        related_name="enrollments",
        verbose_name=_("class"),
    )
    trainee = models.ForeignKey(
        Trainee, models.PROTECT, related_name="enrollments", verbose_name=_("trainee")
    )
    # The trainee's unit and party body as they were when the class ran.
    unit = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit at the time"),
    )
    party_status = models.CharField(
        _("party status at the time"),
        max_length=12,
        choices=Trainee.PartyStatus,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.ENROLLED
    )
    withdrawal_reason = models.CharField(
        _("reason for withdrawal"), max_length=255, blank=True
    )
    score = models.DecimalField(
        _("score"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    grade = models.CharField(_("grade"), max_length=40, blank=True, editable=False)
    remarks = models.CharField(_("remarks"), max_length=255, blank=True)

    objects = center_scoped(EnrollmentQuerySet, center="training_class__center")
    # Who changed a result and when (the audit trail); shown on the class page.
    history = HistoricalRecords(
        excluded_fields=["unit", "party_status"], cascade_delete_history=False
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "trainee"],
                name="enrollment_enrollment_one_per_class",
            ),
        ]

    def __str__(self):
        return f"{self.trainee} – {self.training_class}"


class Attendance(models.Model):
    """Whether an enrolled trainee attended one session."""

    enrollment = models.ForeignKey(
        Enrollment,
        models.CASCADE,
        related_name="attendances",
        verbose_name=_("enrolment"),
    )
    class_session = models.ForeignKey(
        ClassSession,
        models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    present = models.BooleanField(_("present"), default=True)
    # An absence with a reason given is excused ("vắng có phép"). It still
    # counts as an absence for the attendance a pass needs.
    absence_reason = models.CharField(
        _("reason for absence"), max_length=120, blank=True, default="", db_default=""
    )

    objects = center_scoped(
        models.QuerySet, center="enrollment__training_class__center"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "class_session"],
                name="enrollment_attendance_once_per_session",
            ),
        ]

    def __str__(self):
        return f"{self.enrollment} – {self.class_session}"
