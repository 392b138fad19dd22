"""A generated centre's classes of the year, their sessions, partners and plan.

Queues, through the run's writer: the `TrainingClass` rows (closed, with the
programme's periods, sessions, assessment and award copied as the class form
copies them, and the search text the model would store), a morning and an
afternoon `ClassSession` per day with a lecturer of the centre, `CoOrganizer`
rows (the provincial school leads the diploma course, the military command
co-runs half the defence courses, a few communes host), the communes of the
one class in ten held for a cluster of communes, and the approved
`AnnualPlan`, within about 15% of what was done.
"""

import datetime
import math
import random
from collections import Counter
from dataclasses import dataclass, field

from courses.models import AnnualPlan, ClassSession, CoOrganizer, TrainingClass
from enrollment.demo.generator.people import Trainees
from enrollment.demo.generator.results import enrolment_rows
from enrollment.demo.generator.run import Run
from enrollment.demo.generator.structure import GeneratedCentre
from trainingcenter.text import search_key

CLASS_COLUMNS = [
    "id", "center_id", "class_type_id", "intake_label", "sequence",
    "start_date", "end_date", "venue", "organizer_id", "ordering_body_id",
    "certificate_issuer_id", "capacity", "counted_in_plan", "status",
    "periods", "sessions", "assessment", "award", "declared_enrolled",
    "declared_completed", "declared_certified", "search_text", "version",
    "historic", "co_organizer_names", "issuer_name",
]  # fmt: skip
SESSION_COLUMNS = [
    "id", "training_class_id", "date", "part", "topic", "lecturer_id", "periods",
]  # fmt: skip


@dataclass
class ClassRows:
    """The rows queued for a centre's classes."""

    next_session: int
    classes: list[tuple] = field(default_factory=list)
    sessions: list[tuple] = field(default_factory=list)
    partners: list[tuple] = field(default_factory=list)
    venues: list[tuple] = field(default_factory=list)


def add_classes(
    run: Run,
    rng: random.Random,
    centre: GeneratedCentre,
    chosen,
    first_class: int,
    people: Trainees,
    class_meta: dict[int, tuple],
    sessions_of: dict[int, list[int]],
) -> list[tuple]:
    """Queue the rows of the `chosen` programmes' classes, ids from
    `first_class`; returns their enrolment rows. Records in `class_meta` the
    classes whose passed trainees get certificates, and in `sessions_of`
    each class's sessions when the run makes attendance."""
    rows = ClassRows(
        next_session=run.writer.reserve(
            ClassSession, sum(p[0].sessions or p[3] for p in chosen)
        )
    )
    enrolments = []
    sequence: Counter = Counter()
    plan: dict[int, list[int]] = {}
    for i, ((programme, _, _, default_sessions), roster) in enumerate(
        zip(chosen, people.rosters, strict=True)
    ):
        class_id = first_class + i
        sequence[programme.pk] += 1
        sessions = programme.sessions or default_sessions
        start, end = _dates(rng, run.year, sessions)
        venue = _venue(rng, centre, class_id, rows)
        in_plan = programme.code != "chinh-tri-he" and rng.random() > 0.03
        rows.classes.append(
            _class_row(rng, centre, programme, class_id, sequence[programme.pk],
                       (start, end), venue, len(roster), in_plan)
        )  # fmt: skip
        rows.partners += _partners(rng, centre, programme, class_id)
        ids = _sessions(rng, centre, class_id, start, sessions, rows)
        if run.attendance:
            sessions_of[class_id] = ids
        enrolments += enrolment_rows(rng, programme, class_id, roster, people)
        if programme.award != "none" and rng.random() < run.certificate_share:
            class_meta[class_id] = (centre.center.organization_id, end, programme.award)
        if in_plan:
            done = plan.setdefault(programme.pk, [0, 0])
            done[0] += 1
            done[1] += len(roster)
    _queue(run, rows)
    _add_plan(run, rng, centre, plan)
    return enrolments


def _dates(rng: random.Random, year: int, sessions: int):
    """First and last day: from a Monday, two sessions a day."""
    start = datetime.date(year, 1, 5) + datetime.timedelta(days=rng.randint(0, 330))
    start += datetime.timedelta(days=(7 - start.weekday()) % 7)
    return start, start + datetime.timedelta(days=math.ceil(sessions / 2) - 1)


def _venue(rng: random.Random, centre: GeneratedCentre, class_id: int, rows) -> str:
    """The centre's hall, or for one class in ten a cluster of 2-3 communes."""
    if rng.random() < 0.10:
        communes = rng.sample(centre.communes, rng.randint(2, 3))
        rows.venues += [(class_id, o.pk) for o in communes]
        return "Cụm " + ", ".join(o.name.removeprefix("Đảng bộ ") for o in communes)
    return f"Hội trường {centre.center.name.split(' – ')[0]}"


def _class_row(rng, centre, programme, class_id, number, dates, venue, size, in_plan):
    """One class in `CLASS_COLUMNS` order, closed, with room for a few more."""
    center = centre.center
    label = f"khóa {number}"
    start, end = dates
    return (
        class_id,
        center.pk,
        programme.pk,
        label,
        number,
        start.isoformat(),
        end.isoformat(),
        venue,
        None,
        None,
        center.organization_id if programme.award != "none" else None,
        size + rng.randint(0, 10),
        in_plan,
        TrainingClass.Status.CLOSED,
        programme.periods,
        programme.sessions,
        programme.assessment,
        programme.award,
        None,
        None,
        None,
        search_key(" ".join([programme.name, label, venue]))[:400],
        1,
        False,
        "",
        "",
    )


def _partners(rng, centre: GeneratedCentre, programme, class_id: int) -> list[tuple]:
    """The provincial school leads the diploma course; the military command
    co-runs half the defence courses; 3% of the other classes have a host."""
    if programme.code == "trung-cap-llct":
        return [(class_id, centre.school_id, "lead")]
    if programme.code == "quoc-phong-an-ninh" and rng.random() < 0.5:
        return [(class_id, centre.military_id, "partner")]
    if rng.random() < 0.03:
        return [(class_id, rng.choice([c.pk for c in centre.communes]), "host")]
    return []


def _sessions(rng, centre, class_id, start, sessions: int, rows) -> list[int]:
    """Queue a class's sessions, two a day; returns their ids."""
    ids = []
    for k in range(sessions):
        rows.sessions.append(
            (
                rows.next_session,
                class_id,
                (start + datetime.timedelta(days=k // 2)).isoformat(),
                1 + k % 2,
                f"Chuyên đề {k + 1}",
                rng.choice(centre.lecturer_ids) if centre.lecturer_ids else None,
                5,
            )
        )
        ids.append(rows.next_session)
        rows.next_session += 1
    return ids


def _queue(run: Run, rows: ClassRows) -> None:
    writer = run.writer
    writer.add(TrainingClass, CLASS_COLUMNS, rows.classes)
    writer.add(ClassSession, SESSION_COLUMNS, rows.sessions)
    writer.add(
        CoOrganizer, ["training_class_id", "organization_id", "role"], rows.partners
    )
    writer.add(
        TrainingClass.venue_communes.through,
        ["trainingclass_id", "organization_id"],
        rows.venues,
    )


def _add_plan(run: Run, rng, centre: GeneratedCentre, plan: dict) -> None:
    """The approved plan: within about 15% of what was done."""
    run.writer.add(
        AnnualPlan,
        ["center_id", "year", "class_type_id", "target_classes", "target_trainees"],
        [
            (
                centre.center.pk,
                run.year,
                type_id,
                max(1, round(classes * rng.uniform(0.9, 1.15))),
                round(people * rng.uniform(0.9, 1.15)),
            )
            for type_id, (classes, people) in plan.items()
        ],
    )
