"""Writes that touch several rows: enrolment, attendance, results, class status.

Each function validates everything first, then writes in one transaction: all
or nothing (DESIGN.md "Rules every part keeps"; STYLE.md S05).
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from courses.models import ClassSession, ClassType, TrainingClass
from enrollment import summary
from enrollment.models import Attendance, Enrollment, Trainee
from trainingcenter.bulk import insert_rows, paused_gc
from trainingcenter.models import Membership
from trainingcenter.text import search_key

PROBATION_MONTHS = 12  # Điều lệ Đảng: 12 months from the admission ceremony


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months, clamped to the month's last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def eligibility_warnings(trainee: Trainee, training_class: TrainingClass) -> list[str]:
    """What staff should know before enrolling `trainee` (issue 3, item 4).

    Warnings, not errors: the centre decides. Covers the programme's party
    status, a probation ending before the class, a still-valid earlier
    certificate of the same programme, and a missing prerequisite.
    """
    programme: ClassType = training_class.class_type
    warnings = []
    # Namesakes are common: the birth date tells them apart.
    name = trainee.full_name
    if trainee.birth_date:
        name = f"{name} ({trainee.birth_date:%d/%m/%Y})"
    wanted = programme.eligible_party_status
    if wanted and trainee.party_status != wanted:
        warnings.append(
            _("%(name)s is %(status)s; this programme is meant for %(wanted)s.")
            % {
                "name": name,
                "status": trainee.get_party_status_display().lower(),
                "wanted": dict(
                    programme._meta.get_field("eligible_party_status").choices
                )[wanted].lower(),
            }
        )
    if (
        wanted == Trainee.PartyStatus.PROBATIONARY
        and trainee.party_status == Trainee.PartyStatus.PROBATIONARY
        and trainee.admission_date
    ):
        probation_end = add_months(trainee.admission_date, PROBATION_MONTHS)
        if probation_end < training_class.end_date:
            warnings.append(
                _("The probation of %(name)s ends on %(day)s, before the class ends.")
                % {"name": name, "day": f"{probation_end:%d/%m/%Y}"}
            )
    earlier = Enrollment.objects.filter(
        trainee=trainee, status=Enrollment.Status.COMPLETED
    ).exclude(training_class=training_class)
    if programme.award_validity_months:
        for enrollment in earlier.filter(
            training_class__class_type=programme
        ).select_related("training_class"):
            valid_until = add_months(
                enrollment.training_class.end_date, programme.award_validity_months
            )
            if valid_until >= training_class.start_date:
                warnings.append(
                    _(
                        "%(name)s already completed this programme; "
                        "it counts until %(day)s."
                    )
                    % {"name": name, "day": f"{valid_until:%d/%m/%Y}"}
                )
                break
    if (
        programme.prerequisite_id
        and not earlier.filter(
            training_class__class_type_id=programme.prerequisite_id
        ).exists()
    ):
        warnings.append(
            _("%(name)s has not completed “%(programme)s” yet.")
            % {"name": name, "programme": programme.prerequisite.name}
        )
    return warnings


@transaction.atomic
def enroll_trainees(
    training_class: TrainingClass,
    *,
    trainees: Sequence[Trainee],
    by,
    membership: Membership,
    over_capacity_confirmed: bool = False,
) -> list[Enrollment]:
    """Enrol every trainee, or none.

    Refused: a closed class; a trainee already in the class; more trainees than
    the capacity unless a director confirms. The enrolment keeps the trainee's
    unit and party status as they are now.
    """
    locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if locked.is_closed:
        raise ValidationError(
            _("The class is closed; nobody can be enrolled any more."), code="closed"
        )
    already = set(
        Enrollment.objects.filter(
            training_class=locked, trainee__in=trainees
        ).values_list("trainee__full_name", flat=True)
    )
    if already:
        raise ValidationError(
            _("Already enrolled in this class: %(names)s.")
            % {"names": ", ".join(sorted(already))},
            code="duplicate",
        )
    if len({trainee.pk for trainee in trainees}) != len(trainees):
        raise ValidationError(_("The same person is listed twice."), code="duplicate")
    if locked.capacity:
        taken = Enrollment.objects.filter(training_class=locked).active().count()
        if taken + len(trainees) > locked.capacity:
            if not (
                over_capacity_confirmed and membership.role == Membership.Role.DIRECTOR
            ):
                raise ValidationError(
                    _(
                        "The class holds %(capacity)s trainees and has %(taken)s; "
                        "only a director can enrol beyond that."
                    )
                    % {"capacity": locked.capacity, "taken": taken},
                    code="capacity",
                )
    enrollments = [
        Enrollment(
            training_class=locked,
            trainee=trainee,
            unit_id=trainee.unit_id,
            party_status=trainee.party_status,
        )
        for trainee in trainees
    ]
    with summary.batched():
        for enrollment in enrollments:
            enrollment._history_user = by
            enrollment.save()
    return enrollments


@transaction.atomic
def withdraw(enrollment: Enrollment, *, reason: str, by) -> Enrollment:
    """Take a trainee out of a class, keeping the record and the reason."""
    if enrollment.training_class.is_closed:
        raise ValidationError(_("The class is closed."), code="closed")
    if not reason.strip():
        raise ValidationError(_("Give the reason for the withdrawal."), code="reason")
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.withdrawal_reason = reason.strip()
    enrollment._history_user = by
    enrollment._change_reason = "withdraw"
    enrollment.save()
    return enrollment


@transaction.atomic
def record_attendance(
    class_session: ClassSession, *, present: Iterable[int], by
) -> None:
    """Mark the whole roster of a session: the ids in `present` attended."""
    if class_session.training_class.is_closed:
        raise ValidationError(_("The class is closed."), code="closed")
    if class_session.date > timezone.localdate():
        raise ValidationError(
            _("This session has not taken place yet."), code="future_session"
        )
    present = set(present)
    roster = list(class_session.training_class.enrollments.active())
    existing = {
        a.enrollment_id: a
        for a in Attendance.objects.filter(class_session=class_session)
    }
    new, changed = [], []
    for enrollment in roster:
        is_present = enrollment.pk in present
        row = existing.get(enrollment.pk)
        if row is None:
            new.append(
                Attendance(
                    enrollment=enrollment,
                    class_session=class_session,
                    present=is_present,
                )
            )
        elif row.present != is_present:
            row.present = is_present
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["present"])
    summary.touch([class_session.training_class_id], ranks=False)


def attendance_rates(training_class: TrainingClass) -> dict[int, Decimal | None]:
    """Share of the class's sessions each enrolment attended (None: no session yet).

    A session with no attendance taken counts as attended: staff mark absences.
    """
    total = training_class.class_sessions.count()
    if not total:
        return {}
    absences = dict(
        training_class.enrollments.annotate(
            absent=Count("attendances", filter=Q(attendances__present=False))
        ).values_list("pk", "absent")
    )
    return {
        pk: Decimal(total - absent) / Decimal(total) for pk, absent in absences.items()
    }


@dataclass
class ResultRow:
    enrollment_id: int
    score: Decimal | None
    remarks: str


@transaction.atomic
def record_results(
    training_class: TrainingClass,
    *,
    rows: Mapping[int, ResultRow],
    version: int,
    by,
) -> int:
    """Save scores and remarks for the roster; compute grade and pass/fail.

    Refused when someone saved the roster since `version` was read (SECURITY.md
    R34): nothing is overwritten silently. Grade comes from the programme's
    bands; below the programme's attendance threshold nobody passes. Returns
    the new version.
    """
    updated = TrainingClass.objects.filter(
        pk=training_class.pk, version=version
    ).update(version=F("version") + 1)
    if not updated:
        raise ValidationError(
            _(
                "Someone else saved this roster's results after you opened it. "
                "Reload the page to see their changes, then enter yours again."
            ),
            code="stale",
        )
    if training_class.is_closed:
        raise ValidationError(_("The class is closed."), code="closed")
    programme = training_class.class_type
    bands = list(programme.bands.all())
    rates = attendance_rates(training_class)
    threshold = Decimal(programme.min_attendance_percent) / 100
    graded = training_class.assessment != ClassType.Assessment.NONE
    enrollments = training_class.enrollments.active().filter(pk__in=rows.keys())
    changed = []
    for enrollment in enrollments:
        row = rows[enrollment.pk]
        enough = rates.get(enrollment.pk, Decimal(1)) >= threshold
        band = (
            programme.grade_for(row.score, bands)
            if bands and row.score is not None
            else None
        )
        if graded and row.score is None:
            status, grade = Enrollment.Status.ENROLLED, ""
        elif graded:
            passed = enough and (band.is_passing if band else row.score >= 5)
            status = Enrollment.Status.COMPLETED if passed else Enrollment.Status.FAILED
            grade = (
                band.name
                if band and passed
                else (_("Not passed") if not passed else "")
            )
        else:
            status = Enrollment.Status.COMPLETED if enough else Enrollment.Status.FAILED
            grade = ""
        new = (row.score, row.remarks, status, grade)
        if (
            enrollment.score,
            enrollment.remarks,
            enrollment.status,
            enrollment.grade,
        ) == new:
            continue
        enrollment.score, enrollment.remarks, enrollment.status, enrollment.grade = new
        changed.append(enrollment)
    # One UPDATE and one history INSERT for the whole roster, however long, then
    # one recount of the class (enrollment/summary.py).
    bulk_update_with_history(
        changed,
        Enrollment,
        ["score", "remarks", "status", "grade"],
        batch_size=500,
        default_user=by,
        default_change_reason="results",
    )
    if changed:
        # Scores change no one's classes: the ranking of the year stays.
        summary.touch([training_class.pk], ranks=False)
    return version + 1


TRANSITIONS = {
    TrainingClass.Status.PLANNED: {TrainingClass.Status.OPEN},
    TrainingClass.Status.OPEN: {
        TrainingClass.Status.PLANNED,
        TrainingClass.Status.IN_PROGRESS,
    },
    TrainingClass.Status.IN_PROGRESS: {
        TrainingClass.Status.OPEN,
        TrainingClass.Status.CLOSED,
    },
    TrainingClass.Status.CLOSED: set(),
}


@transaction.atomic
def change_class_status(training_class: TrainingClass, *, to: str, by) -> TrainingClass:
    """Move a class along planned > open > in progress > closed.

    A class closes only when every enrolment not withdrawn has an outcome.
    """
    locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if to not in TRANSITIONS[locked.status]:
        raise ValidationError(
            _("A class cannot go from “%(old)s” to “%(new)s”.")
            % {
                "old": locked.get_status_display(),
                "new": TrainingClass.Status(to).label,
            },
            code="transition",
        )
    today = timezone.localdate()
    if to == TrainingClass.Status.IN_PROGRESS and locked.start_date > today:
        raise ValidationError(
            _("The class starts on %(day)s; it cannot be in progress before that.")
            % {"day": f"{locked.start_date:%d/%m/%Y}"},
            code="not_started",
        )
    if to == TrainingClass.Status.CLOSED and locked.end_date > today:
        raise ValidationError(
            _("The class ends on %(day)s; it can be closed from that day on.")
            % {"day": f"{locked.end_date:%d/%m/%Y}"},
            code="not_ended",
        )
    if to == TrainingClass.Status.CLOSED:
        open_outcomes = locked.enrollments.filter(status=Enrollment.Status.ENROLLED)
        if open_outcomes.exists():
            raise ValidationError(
                _(
                    "%(count)s trainees still have no result; enter every result "
                    "before closing the class."
                )
                % {"count": open_outcomes.count()},
                code="open_outcomes",
            )
    locked.status = to
    locked.save(update_fields=["status"])
    return locked


@dataclass
class ImportResult:
    created: int
    matched: int


def load_batch_sheet(batch):
    """The cells of a stored upload, as read (and checked) when it was uploaded."""
    from trainingcenter.xlsx import Sheet

    return Sheet.from_json(batch.sheet)


@paused_gc()
@transaction.atomic
def import_trainee_list(
    batch,
    *,
    by,
    membership: Membership,
    over_capacity_confirmed: bool = False,
    sheet=None,
) -> ImportResult:
    """Enrol every person of an uploaded list, creating those not yet registered.

    All or nothing: the list is read and checked again against the registry as
    it is now; any row error, a closed class or (unless a director confirms) an
    exceeded capacity refuses the whole list and writes nothing. New people are
    created with one bulk insert, enrolments with another.
    """
    from enrollment.importing import parse_batch
    from enrollment.models import ColumnMapping

    training_class = TrainingClass.objects.select_for_update().get(
        pk=batch.training_class_id
    )
    if training_class.is_closed:
        raise ValidationError(
            _("The class is closed; nobody can be enrolled any more."), code="closed"
        )
    parsed = parse_batch(batch, training_class, sheet=sheet)
    if not parsed.header_row:
        raise ValidationError(_("No column “Họ và tên” was found."), code="no_header")
    if parsed.error_count:
        raise ValidationError(
            _("%(count)s rows have errors; fix them and upload the file again.")
            % {"count": parsed.error_count},
            code="row_errors",
        )
    rows = [row for row in parsed.rows if not row.already_enrolled]
    if not parsed.rows:
        raise ValidationError(_("The list has no trainee."), code="empty")
    if training_class.capacity:
        taken = (
            Enrollment.objects.filter(training_class=training_class).active().count()
        )
        if taken + len(rows) > training_class.capacity and not (
            over_capacity_confirmed and membership.role == Membership.Role.DIRECTOR
        ):
            raise ValidationError(
                _(
                    "The class holds %(capacity)s trainees and has %(taken)s; "
                    "only a director can enrol beyond that."
                )
                % {"capacity": training_class.capacity, "taken": taken},
                code="capacity",
            )
    fields = {f.attname for f in Trainee._meta.concrete_fields}
    new_rows = [row for row in rows if not row.match_id]
    people = []
    for row in new_rows:
        person = {k: v for k, v in row.values.items() if k in fields}
        person.setdefault("party_status", Trainee.PartyStatus.NON_MEMBER)
        person.update(
            Trainee.name_fields(person["full_name"]), center_id=batch.center_id
        )
        people.append(person)
    for row, pk in zip(new_rows, insert_rows(Trainee, people), strict=True):
        row.match_id = pk
    # The enrolment keeps unit and party status as they are now: from the new
    # records, or from the registry for people already in it.
    now = {
        row.match_id: (person.get("unit_id"), person["party_status"])
        for row, person in zip(new_rows, people, strict=True)
    }
    matched = [row.match_id for row in rows if row.match_id not in now]
    now.update(
        (pk, (unit_id, status))
        for pk, unit_id, status in Trainee.objects.filter(pk__in=matched).values_list(
            "pk", "unit_id", "party_status"
        )
    )
    enrollments = [
        {
            "training_class_id": training_class.pk,
            "trainee_id": row.match_id,
            "unit_id": now[row.match_id][0],
            "party_status": now[row.match_id][1],
        }
        for row in rows
    ]
    # The batch itself records who imported the list and when; the history
    # tables start with the first change of a result (SECURITY.md R35).
    insert_rows(Enrollment, enrollments)
    summary.touch([training_class.pk])
    # The record of who imported what stays; the personal data of the file does not.
    batch.confirmed_at = timezone.now()
    batch.sheet = {}
    batch.save(update_fields=["confirmed_at", "sheet"])
    if batch.sending_unit_id:
        # Remember how this unit's headers read, for its next file.
        found = {
            search_key(parsed.headers[i]): key for i, key in parsed.columns.items()
        }
        ColumnMapping.objects.update_or_create(
            center_id=batch.center_id,
            sending_unit_id=batch.sending_unit_id,
            defaults={"mapping": found},
        )
    return ImportResult(created=len(new_rows), matched=len(rows) - len(new_rows))


def create_unit(*, name: str, parent, kind: str, by):
    """A unit that a list names but the catalogue lacks, added by a director."""
    from django.utils.text import slugify

    from trainingcenter.models import Organization

    level = (
        Organization.Level.COMMUNE
        if parent.level == Organization.Level.PROVINCE
        else Organization.Level.CELL
        if kind == Organization.Kind.PARTY_CELL
        else Organization.Level.GRASSROOTS
    )
    base = f"{parent.code}-{slugify(search_key(name))[:24]}".upper()
    code, number = base, 1
    while Organization.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    return Organization.objects.create(
        code=code, name=" ".join(name.split()), kind=kind, level=level, parent=parent
    )
