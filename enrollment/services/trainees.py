"""Enrolment: who may join a class, enrolling people and withdrawing them.

Each function validates everything first, then writes in one transaction: all
or nothing.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import ClassType, TrainingClass
from enrollment.models import Enrollment, Trainee
from enrollment.services import summaries
from trainingcenter.dates import add_months
from trainingcenter.models import Membership

PROBATION_MONTHS = 12  # Điều lệ Đảng: 12 months from the admission ceremony


def eligibility_warnings(
    trainee: Trainee,
    training_class: TrainingClass,
    *,
    completed: Sequence[tuple[int, datetime.date]] | None = None,
) -> list[str]:
    """What staff should know before enrolling `trainee`.

    Warnings, not errors: the centre decides. Covers the programme's party
    status, a probation ending before the class, a still-valid earlier
    completion of the same programme (or any, for a programme taken once),
    and a missing prerequisite.
    `completed` holds the (programme id, end date) of the trainee's completed
    classes other than this one, when the caller read them for many people at
    once (a list being imported; a person not yet registered has none);
    without it they are read here.
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
    if completed is None:
        completed = completed_classes([trainee.pk], training_class).get(trainee.pk, [])
    if programme.award_validity_months:
        ends = sorted(
            (end for type_id, end in completed if type_id == programme.pk),
            reverse=True,
        )
        valid_until = ends and add_months(ends[0], programme.award_validity_months)
        if valid_until and valid_until >= training_class.start_date:
            warnings.append(
                _("%(name)s already completed this programme; it counts until %(day)s.")
                % {"name": name, "day": f"{valid_until:%d/%m/%Y}"}
            )
    elif programme.taken_once:
        ends = sorted(end for type_id, end in completed if type_id == programme.pk)
        if ends:
            warnings.append(
                _(
                    "%(name)s already completed this programme (class ended "
                    "%(day)s); it is taken once."
                )
                % {"name": name, "day": f"{ends[-1]:%d/%m/%Y}"}
            )
    if programme.prerequisite_id and not any(
        type_id == programme.prerequisite_id for type_id, _end in completed
    ):
        warnings.append(
            _("%(name)s has not completed “%(programme)s” yet.")
            % {"name": name, "programme": programme.prerequisite.name}
        )
    return warnings


def completed_classes(
    trainee_ids, training_class: TrainingClass
) -> dict[int, list[tuple[int, datetime.date]]]:
    """Per trainee, the (programme id, end date) of each class they completed,
    other than `training_class`: one query for any number of people."""
    found = defaultdict(list)
    for trainee_id, type_id, end in (
        Enrollment.objects.filter(
            trainee_id__in=trainee_ids, status=Enrollment.Status.COMPLETED
        )
        .exclude(training_class=training_class)
        .values_list(
            "trainee_id", "training_class__class_type_id", "training_class__end_date"
        )
    ):
        found[trainee_id].append((type_id, end))
    return found


@dataclass
class Candidate:
    """What `eligibility_warnings` reads of a person, for many people at once:
    lighter than a model instance, the status labels translated once."""

    full_name: str
    birth_date: datetime.date | None
    party_status: str
    admission_date: datetime.date | None
    labels: dict
    pk: int | None = None

    def get_party_status_display(self) -> str:
        return self.labels[self.party_status]


def eligibility_warnings_for_many(
    people: Sequence[dict], training_class: TrainingClass
) -> list[list[str]]:
    """`eligibility_warnings` for each person, in order. A person is a dict:
    "pk" of a registered trainee (or None) and any of "full_name",
    "birth_date", "party_status", "admission_date", which override the
    registry's. Two queries whatever the number of people."""
    fields = ("full_name", "birth_date", "party_status", "admission_date")
    ids = {person["pk"] for person in people if person.get("pk")}
    registry = {
        pk: dict(zip(fields, rest, strict=True))
        for pk, *rest in Trainee.objects.filter(pk__in=ids).values_list("pk", *fields)
    }
    completed = completed_classes(ids, training_class) if ids else {}
    labels = {value: str(label) for value, label in Trainee.PartyStatus.choices}
    blank = dict.fromkeys(fields) | {"full_name": "", "party_status": "non_member"}
    warnings = []
    for person in people:
        pk = person.get("pk")
        known = {**blank, **registry.get(pk, {})}
        known.update((key, person[key]) for key in fields if key in person)
        warnings.append(
            eligibility_warnings(
                Candidate(**known, labels=labels, pk=pk),
                training_class,
                completed=completed.get(pk, []),
            )
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
            if not (over_capacity_confirmed and membership.is_director):
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
    with summaries.batched():
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
