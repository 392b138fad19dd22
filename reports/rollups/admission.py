"""The admission pipeline, as of a day: non-members whose admission-file
certificate still counts, and probationary members with the date their
probation ends and whether they have finished the new-member course."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from courses.models import ClassType
from enrollment.models import Certificate, Enrollment, Trainee
from reports.rollups.filters import Filters, whose
from trainingcenter.dates import add_months
from trainingcenter.routers import reads_reports
from trainingcenter.templatetags.vn import vn_number

# A probationer still without the new-member course is flagged this many days
# before the 12 months of probation end (and after).
PROBATION_MONTHS = 12
PROBATION_WARNING_DAYS = 60
# A certificate without an end date counts longer than any with one.
NO_END = datetime.date(9999, 12, 31)


@dataclass
class Candidate:
    """A non-member whose admission-file certificate still counts."""

    name: str
    unit: str
    center: str
    programme: str
    number: str
    issued_on: datetime.date
    valid_until: datetime.date | None
    expires_soon: bool


@dataclass
class Probationer:
    name: str
    unit: str
    center: str
    admission_date: datetime.date | None
    probation_ends: datetime.date | None
    finished_on: datetime.date | None
    flagged: bool


@dataclass
class Pipeline:
    """The pipeline as of `today`: how many of each, and the rows asked for
    (all of them, or the first few for a page)."""

    today: datetime.date
    candidates: list[Candidate]
    probationers: list[Probationer]
    candidate_count: int
    probationer_count: int
    flagged: int
    # Non-members who passed such a course and hold no certificate for it
    # (not issued yet): not candidates, but soon to be.
    awaiting_certificate: int = 0

    @property
    def awaiting_note(self) -> str:
        """What the page and the workbook say under the candidates."""
        if not self.awaiting_certificate:
            return ""
        return _(
            "%(count)s more non-members passed such a course but have no "
            "certificate yet, so they are not in this list: the centre has "
            "still to issue their certificates."
        ) % {"count": vn_number(self.awaiting_certificate)}


def admitted_by(ends_by: datetime.date) -> datetime.date:
    """The last admission date whose probation ends by `ends_by` (months
    clamp to their last day, so a few admission dates can share an end)."""
    day, one = add_months(ends_by, -PROBATION_MONTHS), datetime.timedelta(1)
    while add_months(day + one, PROBATION_MONTHS) <= ends_by:
        day += one
    return day


@reads_reports
def pipeline(
    centers: QuerySet,
    filters: Filters,
    today: datetime.date,
    limit: int | None = None,
    units: set[int] | None = None,
) -> Pipeline:
    """As of `today`: who may join the Party with a certificate that still
    counts, and which probationers still lack the new-member course.

    With `limit`, only the first `limit` rows of each list are read (a page);
    the counts are counted in the database either way, so a province's page
    does not read its tens of thousands of probationers to show 200.

    With a committee's `units`, the people of those units, whichever centre
    trained them, instead of the people of `centers`."""
    trainees = Trainee.objects.filter(whose(centers, filters, units))
    warn_until = today + datetime.timedelta(PROBATION_WARNING_DAYS)
    programmes = list(_admission_programmes())
    certificates = _admission_certificates(trainees, programmes, today)
    probationary = trainees.filter(party_status=Trainee.PartyStatus.PROBATIONARY)
    candidates = _candidates(_one_per_person(certificates), warn_until, limit)
    probationers = _probationers(probationary, warn_until, limit)
    if limit is None:
        candidate_count, probationer_count = len(candidates), len(probationers)
        flagged = sum(1 for p in probationers if p.flagged)
    else:
        candidate_count = certificates.values("enrollment__trainee").distinct().count()
        probationer_count = probationary.count()
        # A query of its own, so that PostgreSQL can answer NOT EXISTS with
        # one anti-join instead of a subquery per probationer.
        flagged = (
            probationary.filter(admission_date__lte=admitted_by(warn_until))
            .exclude(Exists(_new_member_course()))
            .count()
        )
    return Pipeline(
        today=today,
        candidates=candidates,
        probationers=probationers,
        candidate_count=candidate_count,
        probationer_count=probationer_count,
        flagged=flagged,
        awaiting_certificate=_awaiting_certificate(
            trainees, programmes, certificates, today
        ),
    )


def _admission_programmes() -> QuerySet:
    """The programmes whose certificate opens a non-member's admission file."""
    return ClassType.objects.filter(
        eligible_party_status=Trainee.PartyStatus.NON_MEMBER,
        award_validity_months__isnull=False,
    )


def _awaiting_certificate(
    trainees: QuerySet,
    programmes: list[ClassType],
    certificates: QuerySet,
    today: datetime.date,
) -> int:
    """Non-members among `trainees` who passed one of the admission
    `programmes` recently enough for its certificate to count, but were never
    issued one for it, and hold none that makes them candidates already."""
    recent = Q(pk__in=[])
    for programme in programmes:
        recent |= Q(
            training_class__class_type=programme,
            training_class__end_date__gte=add_months(
                today, -programme.award_validity_months
            ),
        )
    return (
        Enrollment.objects.filter(
            recent,
            trainee__in=trainees.filter(party_status=Trainee.PartyStatus.NON_MEMBER),
            status=Enrollment.Status.COMPLETED,
        )
        # Any certificate, even revoked: a revoked one is a decision, not a
        # certificate still to issue.
        .exclude(Exists(Certificate.objects.filter(enrollment=OuterRef("pk"))))
        # NOT EXISTS, not NOT IN: PostgreSQL's parallel workers share one
        # anti-join instead of each hashing the candidates again.
        .exclude(Exists(certificates.filter(enrollment__trainee=OuterRef("trainee"))))
        .values("trainee")
        .distinct()
        .count()
    )


def _admission_certificates(
    trainees: QuerySet, programmes: list[ClassType], today: datetime.date
) -> QuerySet:
    """The current certificates of non-members among `trainees` from one of
    the admission `programmes`, still valid on `today` (someone who took the
    course again may hold two)."""
    # The programmes' ids, not a subquery: PostgreSQL then knows how many
    # classes they have, and joins the certificates by hash instead of
    # reading every enrolment of those classes one class at a time.
    admission = [programme.pk for programme in programmes]
    return (
        Certificate.objects.current()
        .filter(
            enrollment__trainee__in=trainees.filter(
                party_status=Trainee.PartyStatus.NON_MEMBER
            ),
            enrollment__training_class__class_type__in=admission,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    )


def _one_per_person(certificates: QuerySet) -> QuerySet:
    """Of each person's `certificates`, the one that counts the longest (the
    later of two alike): NOT EXISTS a better one, one anti-join in
    PostgreSQL."""
    ranked = certificates.annotate(ends=Coalesce("valid_until", Value(NO_END)))
    better = ranked.filter(enrollment__trainee=OuterRef("enrollment__trainee")).filter(
        Q(ends__gt=OuterRef("ends")) | Q(ends=OuterRef("ends"), pk__gt=OuterRef("pk"))
    )
    return ranked.exclude(Exists(better))


def _candidates(
    certificates: QuerySet, warn_until: datetime.date, limit: int | None
) -> list[Candidate]:
    """The candidates, the soonest to expire first (the first `limit`)."""
    rows = certificates.order_by(
        "valid_until", "enrollment__trainee__sort_key", "pk"
    ).values_list(
        "enrollment__trainee__full_name",
        "enrollment__trainee__unit__name",
        "enrollment__trainee__center__name",
        "enrollment__training_class__class_type__name",
        "number_text",
        "issued_on",
        "valid_until",
    )
    return [
        Candidate(
            name=name,
            unit=unit or "",
            center=center,
            programme=programme,
            number=number,
            issued_on=issued_on,
            valid_until=valid_until,
            expires_soon=bool(valid_until and valid_until <= warn_until),
        )
        for name, unit, center, programme, number, issued_on, valid_until in (
            rows if limit is None else rows[:limit]
        )
    ]


def _new_member_course() -> QuerySet:
    """The completed new-member courses of the trainee of the outer query."""
    return Enrollment.objects.filter(
        trainee=OuterRef("pk"),
        status=Enrollment.Status.COMPLETED,
        training_class__class_type__eligible_party_status=(
            Trainee.PartyStatus.PROBATIONARY
        ),
    )


def _probationers(
    probationary: QuerySet, warn_until: datetime.date, limit: int | None
) -> list[Probationer]:
    """The probationers, the earliest admitted first (the first `limit`), with
    the day their latest new-member course ended, if any."""
    rows = (
        probationary.annotate(
            finished=_new_member_course()
            .order_by("-training_class__end_date")
            .values("training_class__end_date")[:1],
        )
        .order_by("admission_date", "sort_key", "pk")
        .values_list(
            "full_name", "unit__name", "center__name", "admission_date", "finished"
        )
    )
    probationers = []
    for name, unit, center, admitted, finished in (
        rows if limit is None else rows[:limit]
    ):
        ends = add_months(admitted, PROBATION_MONTHS) if admitted else None
        probationers.append(
            Probationer(
                name=name,
                unit=unit or "",
                center=center,
                admission_date=admitted,
                probation_ends=ends,
                finished_on=finished,
                flagged=bool(ends and not finished and ends <= warn_until),
            )
        )
    return probationers
