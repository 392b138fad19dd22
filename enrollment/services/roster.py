"""A class's roster at work: attendance, results and the class's status.

Each function validates everything first, then writes in one transaction: all
or nothing.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from courses.models import ClassSession, ClassType, TrainingClass
from enrollment.models import Attendance, Enrollment
from enrollment.services import summaries


@transaction.atomic
def record_attendance(
    class_session: ClassSession,
    *,
    present: Iterable[int],
    by,
    reasons: Mapping[int, str] | None = None,
) -> list[Enrollment]:
    """Mark the whole roster of a session: the ids in `present` attended; the
    others were absent, excused where `reasons` gives a reason. Returns the
    enrolments whose result changed with the new attendance rates.

    The class row is locked first, as a results save locks it: a roll call
    and a results save at the same moment take turns, so the later of them
    judges with the other's scores and roll calls, never with what it read
    before they were committed."""
    training_class = TrainingClass.objects.select_for_update().get(
        pk=class_session.training_class_id
    )
    if training_class.is_closed:
        raise ValidationError(_("The class is closed."), code="closed")
    if class_session.date > timezone.localdate():
        raise ValidationError(
            _("This session has not taken place yet."), code="future_session"
        )
    present = set(present)
    roster = list(training_class.enrollments.active())
    existing = {
        a.enrollment_id: a
        for a in Attendance.objects.filter(class_session=class_session)
    }
    new, changed = [], []
    reasons = reasons or {}
    for enrollment in roster:
        is_present = enrollment.pk in present
        reason = "" if is_present else " ".join(reasons.get(enrollment.pk, "").split())
        reason = reason[: Attendance._meta.get_field("absence_reason").max_length]
        row = existing.get(enrollment.pk)
        if row is None:
            new.append(
                Attendance(
                    enrollment=enrollment,
                    class_session=class_session,
                    present=is_present,
                    absence_reason=reason,
                )
            )
        elif (row.present, row.absence_reason) != (is_present, reason):
            row.present, row.absence_reason = is_present, reason
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["present", "absence_reason"])
    rejudged = _judge_again(training_class, roster, by)
    summaries.touch([training_class.pk], ranks=False)
    return rejudged


def _judge_again(training_class: TrainingClass, roster, by) -> list[Enrollment]:
    """A roll call changes attendance rates: whoever already has a result is
    judged again, so a result saved early does not keep a pass (or a fail)
    the roll calls since no longer support."""
    judged = [e for e in roster if e.status != Enrollment.Status.ENROLLED]
    if not judged:
        return []
    judge = _Judge(training_class)
    changed = []
    for enrollment in judged:
        new = judge(enrollment.pk, enrollment.score)
        if (enrollment.status, enrollment.grade) != new:
            enrollment.status, enrollment.grade = new
            changed.append(enrollment)
    bulk_update_with_history(
        changed,
        Enrollment,
        ["status", "grade"],
        batch_size=500,
        default_user=by,
        default_change_reason="attendance",
    )
    return changed


def attendance_rates(training_class: TrainingClass) -> dict[int, Decimal | None]:
    """Share of the roll calls taken in the class that each enrolment attended.

    Only a saved roll call counts: before the first one a trainee's rate is
    None ("chưa điểm danh"), never 100%. An enrolment missing from the result
    has no roll call yet.
    """
    counts = training_class.enrollments.annotate(
        records=Count("attendances"),
        present=Count("attendances", filter=Q(attendances__present=True)),
    ).values_list("pk", "records", "present")
    return {
        pk: Decimal(present) / Decimal(records)
        for pk, records, present in counts
        if records
    }


def held_sessions(training_class: TrainingClass):
    """The class's sessions that have taken place (dated today or earlier)."""
    return training_class.class_sessions.filter(date__lte=timezone.localdate())


def check_has_held_session(training_class: TrainingClass) -> None:
    """Results and attendance wait for the class's first session to be held."""
    if not held_sessions(training_class).exists():
        raise ValidationError(
            _(
                "No session of this class has taken place yet; results and "
                "attendance can be entered once one has."
            ),
            code="no_session_held",
        )


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

    Refused when someone saved the roster since `version` was read: nothing
    is overwritten silently. Grade comes from the programme's bands; below
    the programme's attendance threshold nobody passes. Returns the new
    version.
    """
    _check_results_can_be_saved(training_class, version)
    judge = _Judge(training_class)
    enrollments = training_class.enrollments.active().filter(pk__in=rows.keys())
    changed = []
    for enrollment in enrollments:
        row = rows[enrollment.pk]
        new = (row.score, row.remarks, *judge(enrollment.pk, row.score))
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
        summaries.touch([training_class.pk], ranks=False)
    return version + 1


class _Judge:
    """Status and grade of an enrolment from its score and the roll calls
    taken so far: the grade from the programme's bands; below the programme's
    attendance threshold nobody passes; without a roll call there is nothing
    to hold against the trainee."""

    def __init__(self, training_class: TrainingClass):
        programme = self.programme = training_class.class_type
        self.bands = list(programme.bands.all())
        self.rates = attendance_rates(training_class)
        self.threshold = Decimal(programme.min_attendance_percent) / 100
        self.graded = training_class.assessment != ClassType.Assessment.NONE
        # Stored and printed on the centre's papers: in the centre's language,
        # whichever language the person saving reads the pages in.
        with translation.override(settings.LANGUAGE_CODE):
            self.not_passed = _("Not passed")

    def __call__(self, enrollment_id: int, score: Decimal | None) -> tuple[str, str]:
        rate = self.rates.get(enrollment_id)
        enough = rate is None or rate >= self.threshold
        if not self.graded:
            status = Enrollment.Status.COMPLETED if enough else Enrollment.Status.FAILED
            return status, ""
        if score is None:
            return Enrollment.Status.ENROLLED, ""
        band = self.programme.grade_for(score, self.bands) if self.bands else None
        passed = enough and (band.is_passing if band else score >= 5)
        if not passed:
            return Enrollment.Status.FAILED, self.not_passed
        return Enrollment.Status.COMPLETED, band.name if band else ""


def _check_results_can_be_saved(training_class: TrainingClass, version: int) -> None:
    """Take the roster's next version (refused when someone saved since
    `version`), and refuse a closed class or one with no session held yet."""
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
    check_has_held_session(training_class)


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


def date_refusal(training_class: TrainingClass, to: str) -> ValidationError | None:
    """Why the class cannot move to `to` today, when its dates forbid it."""
    day = available_from(training_class, to)
    if day is None:
        return None
    if to == TrainingClass.Status.IN_PROGRESS:
        return ValidationError(
            _("The class starts on %(day)s; it cannot be in progress before that.")
            % {"day": f"{day:%d/%m/%Y}"},
            code="not_started",
        )
    return ValidationError(
        _("The class ends on %(day)s; it can be closed from that day on.")
        % {"day": f"{day:%d/%m/%Y}"},
        code="not_ended",
    )


def available_from(training_class: TrainingClass, to: str) -> datetime.date | None:
    """The day the class may first move to `to`, when that is still to come:
    in progress from its first day, closed from its last. None when it may
    move today."""
    today = timezone.localdate()
    if to == TrainingClass.Status.IN_PROGRESS and training_class.start_date > today:
        return training_class.start_date
    if to == TrainingClass.Status.CLOSED and training_class.end_date > today:
        return training_class.end_date
    return None


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
    too_early = date_refusal(locked, to)
    if too_early:
        raise too_early
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
class ClosingFacts:
    """What closing a class leaves behind, shown before it is closed."""

    sessions_held: int
    sessions_scheduled: int
    sessions_planned: int
    without_roll_call: int
    without_outcome: int
    certificates_to_issue: int

    @property
    def sessions_missing(self) -> int:
        return max(self.sessions_planned - self.sessions_held, 0)


def closing_facts(training_class: TrainingClass) -> ClosingFacts:
    """Sessions held of those planned, roll calls not taken, trainees without
    an outcome and certificates not yet issued: a few counts, whatever the
    size of the class."""
    from enrollment.models import Certificate

    sessions = training_class.class_sessions.annotate(records=Count("attendances"))
    today = timezone.localdate()
    held = [s for s in sessions if s.date <= today]
    passed = training_class.enrollments.filter(status=Enrollment.Status.COMPLETED)
    waiting = 0
    if training_class.award == ClassType.Award.CERTIFICATE:
        holders = Certificate.objects.current().filter(enrollment__in=passed)
        waiting = passed.count() - holders.count()
    return ClosingFacts(
        sessions_held=len(held),
        sessions_scheduled=len(sessions),
        sessions_planned=max(training_class.sessions or 0, len(sessions)),
        without_roll_call=sum(1 for s in held if not s.records),
        without_outcome=training_class.enrollments.filter(
            status=Enrollment.Status.ENROLLED
        ).count(),
        certificates_to_issue=waiting,
    )


REOPEN_REASON_MAX = 100  # the history's change reason


@transaction.atomic
def reopen_class(training_class: TrainingClass, *, reason: str, by) -> TrainingClass:
    """A director takes a closed class back to "in progress", with the reason
    kept in the class's history. Certificates already issued stay valid."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("Give the reason for reopening."), code="reason")
    if len(reason) > REOPEN_REASON_MAX:
        raise ValidationError(
            _("The reason is at most %(max)s characters.") % {"max": REOPEN_REASON_MAX},
            code="reason",
        )
    locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if not locked.is_closed:
        raise ValidationError(_("Only a closed class can be reopened."), code="open")
    locked.status = TrainingClass.Status.IN_PROGRESS
    locked._change_reason = reason
    locked._history_user = by
    locked.save(update_fields=["status"])
    return locked
