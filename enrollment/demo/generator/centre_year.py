"""One generated centre's year: how many classes of which programmes, and their people.

Draws the number of classes (about 108 a centre, the country's 76.000
classes over 700 centres) and their programmes by share, sizes them so that
the country averages 55 enrolments a class, reserves the ids, then hands on
to `people` (trainees and rosters), `classes` (classes, sessions, partners,
venues, plan) and `results` (each enrolment's outcome). Every draw comes
from the centre's own `random.Random`, so a centre's year does not depend on
the centres made before it.
"""

import random

from courses.models import TrainingClass
from enrollment.demo.generator.catalogue import Programme
from enrollment.demo.generator.classes import add_classes
from enrollment.demo.generator.people import (
    PersonPools,
    Trainees,
    add_trainees,
    persons_for,
    seat_trainees,
)
from enrollment.demo.generator.run import Run
from enrollment.demo.generator.structure import GeneratedCentre
from enrollment.models import Trainee

CLASSES_PER_CENTRE = 76_000 / 700
ENROLMENTS_PER_CLASS = 4_200_000 / 76_000


def size_factor(programmes: list[Programme]) -> float:
    """What the programmes' class sizes are scaled by, so that a class has
    `ENROLMENTS_PER_CLASS` trainees on average."""
    mean_size = sum(w * (lo + hi) / 2 for _, w, (lo, hi), _ in programmes) / sum(
        w for _, w, _, _ in programmes
    )
    return ENROLMENTS_PER_CLASS / mean_size


def centre_year(
    run: Run,
    centre: GeneratedCentre,
    programmes: list[Programme],
    pools: PersonPools,
    class_meta: dict[int, tuple],
    sessions_of: dict[int, list[int]],
) -> tuple[list[int], list[tuple]]:
    """Queue one centre's classes, trainees, sessions and plan; returns the
    class ids and the enrolment rows (written later, with every centre's)."""
    rng = random.Random(f"{run.seed}-{run.year}-{centre.center.slug}")
    count = max(1, round(rng.gauss(CLASSES_PER_CENTRE, 10) * run.shrink))
    chosen = rng.choices(programmes, weights=[p[1] for p in programmes], k=count)
    chosen.sort(key=lambda p: p[0].order)
    factor = size_factor(programmes)
    sizes = [max(5, round(rng.randint(*size) * factor)) for _, _, size, _ in chosen]
    persons = persons_for(sizes)
    first_trainee = run.writer.reserve(Trainee, persons)
    first_class = run.writer.reserve(TrainingClass, count)
    rosters, status_of = seat_trainees(rng, chosen, sizes, persons)
    unit_of = add_trainees(run, rng, centre, pools, first_trainee, status_of)
    people = Trainees(first_trainee, rosters, status_of, unit_of)
    enrolments = add_classes(
        run, rng, centre, chosen, first_class, people, class_meta, sessions_of
    )
    return list(range(first_class, first_class + count)), enrolments
