"""Trainees, their enrolments, attendance and results."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from courses.models import ClassSession, TrainingClass
from trainingcenter.models import Center, Organization
from trainingcenter.tenancy import center_scoped
from trainingcenter.text import search_key, sort_key, split_name


class TraineeQuerySet(models.QuerySet):
    def matching(self, text: str):
        """Trainees whose name contains `text`, ignoring diacritics and case."""
        key = search_key(text)
        return self.filter(name_key__contains=key) if key else self

    def in_vietnamese_order(self):
        return self.order_by("sort_key", "birth_date", "pk")


class Trainee(models.Model):
    """A person who takes classes at a centre (DESIGN.md, DOMAIN.md section 4).

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
    citizen_id = models.CharField(
        _("citizen ID"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", _("A citizen ID has 12 digits."))],
    )
    notes = models.CharField(_("notes"), max_length=255, blank=True)
    name_key = models.CharField(max_length=120, editable=False, db_index=True)
    sort_key = models.CharField(max_length=400, editable=False, db_index=True)

    objects = center_scoped(TraineeQuerySet, center="center")

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        ordering = ["sort_key", "birth_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "citizen_id"],
                condition=~models.Q(citizen_id=""),
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
        """Split the name; compute the search and sort keys."""
        for name, value in self.name_fields(self.full_name).items():
            setattr(self, name, value)

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
    """A trainee in a class; counted as one "lượt học viên" (DOMAIN.md section 0)."""

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
    # Who changed a result and when (SECURITY.md R35); shown on the class page.
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


class ImportBatch(models.Model):
    """An uploaded trainee list waiting for confirmation (SECURITY.md R17).

    Owned by the uploader, the centre and the class: anyone else's token answers
    404. The cells stay in the database, so app servers keep no state.
    """

    token = models.CharField(max_length=43, unique=True, editable=False)
    center = models.ForeignKey(Center, models.CASCADE, related_name="+")
    training_class = models.ForeignKey(
        TrainingClass, models.CASCADE, related_name="import_batches"
    )
    user = models.ForeignKey("auth.User", models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    # The first sheet's cells as read at upload time (never the file itself):
    # the preview and the confirmation reuse them without parsing again.
    sheet = models.JSONField(default=dict)
    sending_unit = models.ForeignKey(
        Organization, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mapping = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        verbose_name = _("trainee list upload")
        verbose_name_plural = _("trainee list uploads")

    def __str__(self):
        return self.file_name


class ColumnMapping(models.Model):
    """The columns found in a sending unit's file, remembered for its next one."""

    center = models.ForeignKey(Center, models.CASCADE, related_name="+")
    sending_unit = models.ForeignKey(Organization, models.CASCADE, related_name="+")
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "sending_unit"],
                name="enrollment_columnmapping_one_per_unit",
            ),
        ]

    def __str__(self):
        return str(self.sending_unit)


class CertificateBatch(models.Model):
    """One issuing action whose PDFs are rendered in the background, with progress.

    Progress is counted from the batch's certificates that have their PDF.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    training_class = models.ForeignKey(
        TrainingClass,
        models.PROTECT,
        related_name="certificate_batches",
        verbose_name=_("class"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("certificates"))
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        "auth.User", models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Touched by the worker after every committed chunk: a running batch whose
    # heartbeat is old lost its worker (trainingcenter/jobs.py).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = center_scoped(models.QuerySet, center="training_class__center")

    class Meta:
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.training_class} {self.created_at:%d/%m/%Y %H:%M}"


class CertificateQuerySet(models.QuerySet):
    def current(self):
        """Certificates that stand: not revoked, not replaced."""
        return self.filter(revoked_at=None, replaced_by=None)


class Certificate(models.Model):
    """A numbered certificate ("giấy chứng nhận") or a recorded diploma ("bằng").

    Frozen at issue: the printed fields, the PDF and a hash of both are kept,
    so later edits to the person, the class or the template change nothing.
    Nothing is ever deleted; revoking and reissuing keep the chain.
    """

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("Certificate")
        DIPLOMA = "diploma", _("Diploma")

    enrollment = models.ForeignKey(
        Enrollment,
        models.PROTECT,
        related_name="certificates",
        verbose_name=_("enrolment"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    issuer = models.ForeignKey(
        Organization, models.PROTECT, related_name="+", verbose_name=_("issuer")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_text = models.CharField(_("certificate number"), max_length=60)
    issued_on = models.DateField(_("date of issue"))
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    code = models.CharField(_("verification code"), max_length=43, unique=True)
    fields = models.JSONField(_("printed fields"), default=dict)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    digest = models.CharField(_("SHA-256 of fields and PDF"), max_length=64, blank=True)
    replaces = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    batch = models.ForeignKey(
        CertificateBatch,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("batch"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("reason for revoking"), max_length=255, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = center_scoped(
        CertificateQuerySet, center="enrollment__training_class__center"
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["year", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number"],
                name="enrollment_certificate_number_once",
                condition=models.Q(number__isnull=False),
            ),
        ]

    def __str__(self):
        return self.number_text

    STATUS_LABELS = {
        "valid": _("Valid"),
        "expired": _("Expired"),
        "revoked": _("Revoked"),
        "replaced": _("Replaced"),
    }

    @property
    def status_label(self) -> str:
        return self.STATUS_LABELS[self.status]

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if getattr(self, "replaced_by", None) is not None:
            return "replaced"
        if self.valid_until and self.valid_until < timezone.localdate():
            return "expired"
        return "valid"


class CertificateEvent(models.Model):
    """Append-only register events: issue, revoke, reissue (SECURITY.md R36)."""

    class Action(models.TextChoices):
        ISSUE = "issue", _("Issued")
        REVOKE = "revoke", _("Revoked")
        REISSUE = "reissue", _("Reissued")
        DIPLOMA = "diploma", _("Diploma recorded")

    certificate = models.ForeignKey(
        Certificate,
        models.PROTECT,
        related_name="events",
        verbose_name=_("certificate"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action)
    user = models.ForeignKey("auth.User", models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = center_scoped(
        models.QuerySet, center="certificate__enrollment__training_class__center"
    )

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.certificate} {self.action}"


class Verification(models.Model):
    """One lookup on the public verification page: logged, and rate-limited by it."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    client = models.CharField(max_length=64, db_index=True)
    found = models.ForeignKey(
        Certificate, models.PROTECT, null=True, blank=True, related_name="verifications"
    )

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.client}"


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


# Learner feedback ("phiếu phản hồi", DOMAIN.md §3, Biểu 3) --------------------
#
# Answers are anonymous by construction: a trainee's one-time code only proves
# that they may answer once. A response keeps no link to the code, the
# enrolment or the time it came in, so no page or report can say who answered
# what; a code keeps only whether it was used.


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
    # Kept by enrollment.feedback.recount(), with the tallies.
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
    recorded) on the four criteria of DOMAIN.md §3."""

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
