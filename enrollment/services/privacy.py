"""The export and access logs, and everything the centre holds on one person.

Each log entry is one insert. The export log also feeds the director's
dashboard: a user who exported more people in a day than
PERSONAL_DATA_DAILY_EXPORT_LIMIT is flagged.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.models import (
    AccessLog,
    Attendance,
    Certificate,
    Enrollment,
    ExportLog,
    RecordChange,
    Trainee,
)
from trainingcenter.logs import audit
from trainingcenter.templatetags.vn import staff_name


def record_export(
    *,
    user,
    kind: str,
    file_format: str,
    people: int,
    purpose: dict,
    filters: dict | None = None,
    center=None,
    organization=None,
    trainee=None,
) -> ExportLog:
    """Log one file with personal data: who, what, which filters, how many
    people and why (`purpose`: a valid PurposeForm's cleaned data)."""
    entry = ExportLog.objects.create(
        center=center,
        organization=organization,
        user=user,
        kind=kind,
        file_format=file_format,
        filters=filters or {},
        people=people,
        purpose=purpose["purpose"],
        purpose_detail=purpose.get("purpose_detail", ""),
        trainee=trainee,
    )
    audit(
        f"export {kind}",
        log=entry.pk,
        centre=getattr(center, "slug", None),
        org=getattr(organization, "pk", None),
        people=people,
        purpose=entry.purpose,
        user=user.pk,
    )
    return entry


def record_print(
    *,
    user,
    center,
    kind: str,
    purpose: str,
    file_format: str,
    people: int,
    filters: dict,
    **more,
) -> ExportLog | None:
    """Log a file a class's own work prints (its list, certificates, papers
    naming trainees): the user is asked no purpose, since the page it comes
    from is the purpose, which the caller names (`Purpose.CERTIFICATE`,
    `Purpose.CLASS_WORK`). A file naming nobody is not logged."""
    if not people:
        return None
    return record_export(
        user=user,
        center=center,
        kind=kind,
        file_format=file_format,
        people=people,
        purpose={"purpose": purpose},
        filters=filters,
        **more,
    )


def record_access(*, user, trainee: Trainee) -> None:
    """Log one opening of a person's record: a single insert."""
    AccessLog.objects.create(center_id=trainee.center_id, user=user, trainee=trainee)


def record_change(*, user, trainee: Trainee, fields: list[str]) -> None:
    """Log a correction of the person's record (which fields, not their
    values); nothing when no field changed."""
    if fields:
        RecordChange.objects.create(
            center_id=trainee.center_id, user=user, trainee=trainee, fields=fields
        )


def daily_limit() -> int:
    return settings.PERSONAL_DATA_DAILY_EXPORT_LIMIT


def heavy_exporters(center, day: datetime.date) -> list[dict]:
    """The users who exported more people from `center` on `day` than the
    daily limit allows, most first: {"user": …, "people": …}."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    rows = (
        ExportLog.objects.filter(
            center=center, at__gte=start, at__lt=start + datetime.timedelta(days=1)
        )
        .values("user", "user__username")
        .annotate(people=Sum("people"))
        .filter(people__gt=daily_limit())
        .order_by("-people")
    )
    return [{"user": row["user__username"], "people": row["people"]} for row in rows]


@dataclass
class PersonFile:
    """Everything the centre holds on one person, for their own request."""

    trainee: Trainee
    enrollments: list = field(default_factory=list)
    attendance: dict = field(default_factory=dict)
    certificates: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    accesses: list = field(default_factory=list)
    exports: list = field(default_factory=list)
    requests: list = field(default_factory=list)


def person_file(trainee: Trainee) -> PersonFile:
    enrollments = list(
        trainee.enrollments.select_related(
            "training_class__class_type", "unit"
        ).order_by("training_class__start_date", "pk")
    )
    # Sessions present, absent, and the reasons of the excused absences
    # ("03/12/2026: ốm"): the reasons are data held on the person too.
    attendance = {e.pk: [0, 0, []] for e in enrollments}
    rows = (
        Attendance.objects.filter(enrollment__trainee=trainee)
        .order_by("class_session__date", "class_session__part")
        .values_list(
            "enrollment_id", "present", "absence_reason", "class_session__date"
        )
    )
    for enrollment_id, present, reason, day in rows:
        attendance[enrollment_id][0 if present else 1] += 1
        if not present and reason:
            attendance[enrollment_id][2].append(f"{day:%d/%m/%Y}: {reason}")
    return PersonFile(
        trainee=trainee,
        enrollments=enrollments,
        attendance=attendance,
        certificates=list(
            Certificate.objects.filter(enrollment__trainee=trainee)
            .select_related("enrollment__training_class__class_type")
            .order_by("issued_on", "pk")
        ),
        changes=_changes(trainee, enrollments),
        accesses=list(trainee.accesses.select_related("user")[:500]),
        exports=list(trainee.exports.select_related("user")[:500]),
        requests=list(trainee.subject_requests.order_by("received_on", "pk")),
    )


def _changes(trainee: Trainee, enrollments) -> list[dict]:
    """The recorded changes of the person's record, results and enrolments
    (the corrections logged and the history kept of each enrolment), oldest
    first."""
    history = Enrollment.history.filter(
        id__in=[e.pk for e in enrollments]
    ).select_related("history_user")
    # The programme and its intake: three awareness classes read apart.
    labels = {
        e.pk: " ".join(
            filter(
                None, [e.training_class.class_type.name, e.training_class.intake_label]
            )
        )
        for e in enrollments
    }
    changes = []
    for record in history.order_by("history_date", "history_id"):
        changes.append(
            {
                "at": record.history_date,
                "user": staff_name(record.history_user) if record.history_user else "",
                "what": labels.get(record.id, ""),
                "status": Enrollment.Status(record.status).label,
                "score": record.score,
                "reason": change_reason(record.history_change_reason),
            }
        )
    for change in RecordChange.objects.filter(trainee=trainee).select_related("user"):
        changes.append(
            {
                "at": change.at,
                "user": staff_name(change.user),
                "what": _("Personal record: %(fields)s")
                % {"fields": change.fields_label},
                "status": "",
                "score": None,
                "reason": _("Record corrected"),
            }
        )
    return sorted(changes, key=lambda change: change["at"])


def change_reason(recorded: str | None) -> str:
    """Why an enrolment changed: the saving page's own words, or what the
    person correcting a result wrote."""
    words = {
        "results": _("Results saved"),
        "attendance": _("Judged again after a roll call"),
        "withdraw": _("Withdrawn from the class"),
    }
    return str(words.get(recorded or "", recorded or ""))
