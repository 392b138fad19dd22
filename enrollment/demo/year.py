"""The demo centre's current year, built through the real services.

Writes 2.300 trainees, 30 classes of eleven programmes with their rosters
(`enroll_trainees`), half-day sessions, attendance and results
(`record_attendance`, `record_results`) as far as `today` has come, each
class moved through its statuses (`change_class_status`), probationers'
admission dates that fit their new-member class (those past twelve months
with the course are full members now), and certificates for the two most
recently closed certifying classes (`issue_certificates`).
Going through the services, as the pages do, costs a few seconds and keeps
the demo year consistent with what the application itself writes.

Deterministic: seeded with the year, so every run on the same day shows the
same year.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from courses.models import ClassSession, ClassType, Lecturer, TrainingClass
from enrollment.demo.names import random_person
from enrollment.models import Enrollment, Trainee
from enrollment.services import roster as roster_service, trainees as trainees_service
from enrollment.services.certificates import issue_certificates
from trainingcenter.dates import add_months
from trainingcenter.models import Center, Membership, Organization

# programme code, classes in the year, trainees per class (low, high)
PLAN = [
    ("nhan-thuc-ve-dang", 6, (70, 110)),
    ("dang-vien-moi", 5, (50, 90)),
    ("bi-thu-chi-bo", 2, (90, 130)),
    ("nghiep-vu-cong-tac-dang", 3, (40, 70)),
    ("cap-nhat-kien-thuc", 2, (60, 90)),
    ("lich-su-dang-bo", 1, (80, 120)),
    ("quoc-phong-an-ninh", 3, (50, 70)),
    ("chinh-tri-he", 2, (150, 220)),
    ("mat-tran-doan-the", 4, (50, 80)),
    ("so-cap-llct", 1, (40, 50)),
    ("hoc-tap-nghi-quyet", 1, (120, 160)),
]
PEOPLE = 2300
POSITIONS = ["Chuyên viên", "Giáo viên", "Bí thư chi bộ", "Đoàn viên", "Hội viên",
             "Cán bộ", ""]  # fmt: skip
VENUES = [
    "Hội trường Trung tâm Chính trị Đà Lạt",
    "Hội trường Đảng ủy phường Cam Ly – Đà Lạt",
]


def build_year(
    center: Center, *, year: int, today: datetime.date, by, issuer=None
) -> int:
    """Create the centre's classes of `year` with rosters, sessions and results,
    entered by `by`; certificates issued by `issuer` (the director; `by` if
    not given).

    Returns the number of enrolments made. Does nothing if the centre already
    has classes in that year (so seed_demo stays idempotent).
    """
    if TrainingClass.objects.filter(center=center, start_date__year=year).exists():
        return 0
    rng = random.Random(year)
    units = list(
        Organization.objects.units_of(center)
        .exclude(level="province")
        .filter(valid_to__isnull=True)
        .order_by("code")
    )
    lecturers = list(Lecturer.objects.filter(center=center))
    # The services ask who acts; the demo year is entered as the director.
    membership = Membership(role=Membership.Role.DIRECTOR)
    people = _new_people(rng, center, units)
    _give_citizen_ids(center, people, year)
    _save_with_party_status(rng, people, year)
    # The new-member course takes probationary members, the Party awareness
    # course people outside the Party; the others take anyone.
    pools = {
        "dang-vien-moi": [p for p in people if p.party_status == "probationary"],
        "nhan-thuc-ve-dang": [p for p in people if p.party_status == "non_member"],
    }
    enrolments = 0
    per_programme: dict[str, int] = {}
    for (code, size), start in _schedule(rng, year):
        per_programme[code] = per_programme.get(code, 0) + 1
        training_class, days = _create_class(
            rng, center, code, size, start, intake=per_programme[code]
        )
        pool = pools.get(code, people)
        trainees = rng.sample(pool, min(len(pool), rng.randint(*size)))
        trainees_service.enroll_trainees(
            training_class, trainees=trainees, by=by, membership=membership
        )
        enrolments += len(trainees)
        _run_class(rng, training_class, days, lecturers, today, by)
    _settle_probation(pools["dang-vien-moi"], year, today)
    _issue_certificates(center, year, issuer or by)
    return enrolments


def _new_people(rng: random.Random, center: Center, units) -> list[Trainee]:
    """The centre's trainees of the year, not saved yet."""
    people = []
    for _ in range(PEOPLE):
        name, gender, ethnicity = random_person(rng)
        birth = datetime.date(
            rng.randint(1966, 2005), rng.randint(1, 12), rng.randint(1, 28)
        )
        people.append(
            Trainee(
                center=center,
                full_name=name,
                gender=gender,
                ethnicity=ethnicity,
                birth_date=birth,
                unit=rng.choice(units),
                position=rng.choice(POSITIONS),
            )
        )
    return people


def _give_citizen_ids(center: Center, people, year: int) -> None:
    """Seven in ten have a citizen ID, unique in the centre (centre, gender,
    birth year, the year, a serial), drawn without the random stream so the
    rest of the demo stays as it was."""
    for serial, person in enumerate(people):
        if serial % 10 < 7:
            person.citizen_id = (
                f"{center.pk % 1000:03d}{int(person.gender == 'female')}"
                f"{person.birth_date:%y}{year % 100:02d}{serial:04d}"
            )


def _save_with_party_status(rng: random.Random, people, year: int) -> None:
    """A quarter probationary members, a third full members, the rest outside."""
    for person in people:
        roll = rng.random()
        if roll < 0.25:
            person.party_status = Trainee.PartyStatus.PROBATIONARY
            person.admission_date = datetime.date(year - 1, rng.randint(6, 12), 1)
        elif roll < 0.6:
            person.party_status = Trainee.PartyStatus.FULL
            # Admitted at 19 at the earliest: the Party takes no one under 18.
            admitted = max(rng.randint(1990, year - 2), person.birth_date.year + 19)
            person.admission_date = datetime.date(admitted, 3, 2)
            person.full_membership_date = datetime.date(admitted + 1, 3, 2)
        if (
            person.position == "Bí thư chi bộ"
            and person.party_status == Trainee.PartyStatus.NON_MEMBER
        ):
            person.position = "Chuyên viên"  # a branch secretary is in the Party
        person.fill_keys()  # what save() does; new people need no recount
    Trainee.objects.bulk_create(people, batch_size=500)


def _settle_probation(probationers, year: int, today: datetime.date) -> None:
    """Admission dates that fit each probationer's year: admitted one to six
    months before their first new-member class; if that was over twelve
    months ago and they finished the course, they are full members now (their
    enrolment keeps "probationary"). Those without the course yet were
    admitted within the last eleven months, so the rollup flags the ones whose
    probation ends soon. Its own random stream: the rest of the demo stays."""
    rng = random.Random(year * 31 + 7)
    courses = Enrollment.objects.filter(
        trainee__in=probationers, training_class__class_type__code="dang-vien-moi"
    ).order_by("training_class__start_date")
    first_class, finished = {}, set()
    for trainee_id, start, status in courses.values_list(
        "trainee_id", "training_class__start_date", "status"
    ):
        first_class.setdefault(trainee_id, start)
        if status == Enrollment.Status.COMPLETED:
            finished.add(trainee_id)
    latest = today - datetime.timedelta(days=14)
    for person in probationers:
        if person.pk in first_class:
            before = datetime.timedelta(days=rng.randint(30, 180))
            admitted = min(first_class[person.pk] - before, latest)
        else:
            admitted = today - datetime.timedelta(days=rng.randint(30, 330))
        person.admission_date = admitted
        if person.pk in finished and add_months(admitted, 12) <= today:
            person.party_status = Trainee.PartyStatus.FULL
            person.full_membership_date = add_months(admitted, 12)
    Trainee.objects.bulk_update(
        probationers, ["admission_date", "party_status", "full_membership_date"]
    )


def _schedule(rng: random.Random, year: int):
    """(programme code, size range) and start date of each class, in date order."""
    starts = sorted(
        datetime.date(year, 1, 5) + datetime.timedelta(days=rng.randint(0, 350))
        for _ in range(sum(count for _, count, _ in PLAN))
    )
    plan = [(code, size) for code, count, size in PLAN for _ in range(count)]
    rng.shuffle(plan)
    return zip(plan, starts, strict=True)


def _create_class(rng, center, code, size, start, *, intake: int):
    """The class of `code`'s `intake`-th intake, starting the Monday after
    `start`; returns it and its number of days."""
    programme = ClassType.objects.get(code=code)
    if code == "chinh-tri-he":  # the teachers' summer course is held in July
        start = datetime.date(start.year, 7, 1 + 7 * intake)
    days = max(1, (programme.sessions or 4) // 2)
    start = start + datetime.timedelta(days=(7 - start.weekday()) % 7)  # a Monday
    training_class = TrainingClass.objects.create(
        center=center,
        class_type=programme,
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
        intake_label=f"khóa {intake}",
        sequence=intake,
        venue=rng.choice(VENUES),
        capacity=size[1],
        periods=programme.periods,
        sessions=programme.sessions,
        assessment=programme.assessment,
        award=programme.award,
        counted_in_plan=code != "chinh-tri-he",
    )
    return training_class, days


def _issue_certificates(center: Center, year: int, by) -> None:
    """Certificates for the two most recently closed classes that give one."""
    closed = TrainingClass.objects.filter(
        center=center, start_date__year=year, status="closed", award="certificate"
    ).order_by("-end_date")[:2]
    # The earlier class first: the register's numbers follow its dates.
    for training_class in list(closed)[::-1]:
        issue_certificates(
            training_class,
            issued_on=min(
                training_class.end_date + datetime.timedelta(days=3),
                timezone.localdate(),
            ),
            signer_title=center.director_title,
            signer_name=center.director_name,
            by=by,
        )


def _run_class(rng, training_class, days, lecturers, today, by):
    """Sessions for every half-day, and attendance and results once taught.

    A class not started by `today` is only opened; one still running keeps
    its results open; one that has ended is closed once every trainee has a
    result.
    """
    if training_class.start_date > today:
        roster_service.change_class_status(training_class, to="open", by=by)
        return
    sessions = _create_sessions(rng, training_class, days, lecturers)
    roster = list(training_class.enrollments.all())
    for class_session in sessions:
        if class_session.date > today:
            continue
        roster_service.record_attendance(
            class_session,
            present=[e.pk for e in roster if rng.random() > 0.04],
            by=by,
        )
    for status in ("open", "in_progress"):
        roster_service.change_class_status(training_class, to=status, by=by)
    if training_class.end_date >= today:
        return
    _record_results(rng, training_class, roster, by)
    if not Enrollment.objects.filter(
        training_class=training_class, status="enrolled"
    ).exists():
        roster_service.change_class_status(training_class, to="closed", by=by)


def _create_sessions(rng, training_class, days, lecturers) -> list[ClassSession]:
    """A morning and an afternoon session for each day of the class."""
    sessions = []
    for day in range(days):
        for part in (ClassSession.Part.MORNING, ClassSession.Part.AFTERNOON):
            sessions.append(
                ClassSession.objects.create(
                    training_class=training_class,
                    date=training_class.start_date + datetime.timedelta(days=day),
                    part=part,
                    topic=f"Chuyên đề {len(sessions) + 1}",
                    lecturer=rng.choice(lecturers) if lecturers else None,
                    periods=5,
                )
            )
    return sessions


def _record_results(rng, training_class, roster, by) -> None:
    """A score around 7,6 for every trainee of a graded class, none otherwise."""
    graded = training_class.assessment != "none"
    rows = {
        e.pk: roster_service.ResultRow(
            e.pk,
            Decimal(str(round(min(10, max(3, rng.gauss(7.6, 1.1))), 1)))
            if graded
            else None,
            "",
        )
        for e in roster
    }
    training_class.refresh_from_db()
    roster_service.record_results(
        training_class, rows=rows, version=training_class.version, by=by
    )
