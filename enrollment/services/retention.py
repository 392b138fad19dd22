"""Retention: a trainee's identifying details are reduced once the centre's
retention period (`Center.retention_months`) has passed since their last class.

Reduced: the name to its initials, the date of birth to the year, the
citizen ID, the ethnicity and the free-text notes removed; the same in any
history kept of the record. Kept: the record itself, its gender, unit and
party status, its enrolments and results, so every count, summary and report
adds up as before (a person of an ethnic minority stays counted as one,
`counted_as_minority`); the certificate register reads the copy each
certificate froze at issue, which is never changed. A person who holds a
certificate still valid for party admission is left whole. Trainee lists
uploaded and never confirmed (names and IDs in clear) go after a day.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Exists, Max, OuterRef, QuerySet, When

from enrollment.models import Attendance, Certificate, ImportBatch, Trainee
from enrollment.services.summaries import minority_q
from trainingcenter.dates import add_months
from trainingcenter.models import Center

CHUNK = 1000
# An upload never confirmed holds a list's names and IDs in clear; the page
# drops its own after two hours, the nightly run any left after a day.
ABANDONED_AFTER = datetime.timedelta(days=1)
# The fields reduced, in the record and in its history.
REDUCED = [
    "full_name", "family_name", "middle_name", "given_name", "name_key",
    "sort_key", "birth_date", "birth_year_only", "citizen_id", "citizen_id_hash",
    "ethnicity", "notes",
]  # fmt: skip


@dataclass
class Due:
    """The trainees of a centre past its retention period as of a day."""

    center: Center
    # Their last class ended before this day.
    before: datetime.date
    trainees: QuerySet
    # Past the period too, but kept whole for a valid admission certificate.
    kept: int


def initials(full_name: str) -> str:
    """ "Nguyễn Văn An" -> "N. V. A." """
    return " ".join(f"{word[0]}." for word in full_name.split())


def due(center: Center, today: datetime.date) -> Due | None:
    """Whom the retention would reduce at `center` (None: no period set)."""
    if not center.retention_months:
        return None
    before = add_months(today, -center.retention_months)
    # A certificate that counts for a time (an admission file's) and still does.
    valid_for_admission = Certificate.objects.current().filter(
        enrollment__trainee=OuterRef("pk"), valid_until__gte=today
    )
    past = (
        Trainee.objects.filter(center=center, details_removed_on=None)
        .annotate(last_class=Max("enrollments__training_class__end_date"))
        .filter(last_class__lt=before)
    )
    held = Exists(valid_for_admission)
    return Due(
        center=center,
        before=before,
        trainees=past.exclude(held).order_by("last_class", "pk"),
        kept=past.filter(held).count(),
    )


def reduce(trainees: QuerySet, today: datetime.date) -> int:
    """Reduce the identifying details of `trainees`; how many were reduced."""
    ids = list(trainees.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            _reduce_chunk(ids[start : start + CHUNK], today)
    return len(ids)


def _reduce_chunk(ids: list[int], today: datetime.date) -> None:
    people = list(
        Trainee.objects.filter(pk__in=ids)
        .annotate(minority=Case(When(minority_q(), then=True), default=False))
        .select_for_update(of=("self",))
        .only("pk", "full_name", "birth_date", "ethnicity")
    )
    reduced = {}
    for person in people:
        born = person.birth_date
        values = Trainee.name_fields(initials(person.full_name))
        values.update(
            birth_date=born and datetime.date(born.year, 1, 1),
            birth_year_only=born is not None,
            citizen_id="",
            citizen_id_hash="",
            ethnicity="",
            notes="",
        )
        reduced[person.pk] = values
        for name, value in values.items():
            setattr(person, name, value)
        person.counted_as_minority = person.minority
        person.details_removed_on = today
    # No save(): the per-class counts need no recount, nothing they count changed.
    Trainee.objects.bulk_update(
        people, [*REDUCED, "counted_as_minority", "details_removed_on"]
    )
    # The reasons for absences ("ốm", "việc gia đình") go with the details;
    # the absences themselves stay, as the attendance counts use them.
    Attendance.objects.filter(enrollment__trainee_id__in=ids).exclude(
        absence_reason=""
    ).update(absence_reason="")
    history = getattr(Trainee, "history", None)
    if history is not None:
        for pk, values in reduced.items():
            history.model.objects.filter(id=pk).update(**values)


def abandoned_uploads(now: datetime.datetime) -> QuerySet:
    """Trainee lists uploaded and never confirmed, older than a day."""
    return ImportBatch.objects.filter(
        confirmed_at=None, created_at__lt=now - ABANDONED_AFTER
    )
