"""A generated centre's trainees: who they are and which classes they sit in.

Queues one `Trainee` row per person (through the run's writer, with the name
fields and keys `Trainee.name_fields` computes), about half of them women
and one in ten from an ethnic minority. Everyone sits in at least one class
of the year and some in two or more (4,2 enrolments for 3 persons).
People outside the Party take the awareness course, probationary members the
new-member course.
"""

import datetime
import random
from dataclasses import dataclass

from enrollment.demo.generator.run import Run
from enrollment.demo.generator.structure import GeneratedCentre
from enrollment.demo.names import MINORITIES, name_pools
from enrollment.models import Trainee
from trainingcenter.encryption import encrypt, lookup_hash

ENROLMENTS_PER_PERSON = 4.2 / 3.0
MINORITY_SHARE = 0.10
POSITIONS = [
    "Chuyên viên", "Công chức", "Giáo viên", "Bí thư chi bộ", "Phó Bí thư chi bộ",
    "Trưởng thôn", "Đoàn viên", "Hội viên", "Cán bộ", "Nhân viên", "",
]  # fmt: skip
TRAINEE_COLUMNS = [
    "id", "center_id", "full_name", "family_name", "middle_name",
    "given_name", "birth_date", "birth_year_only", "gender", "ethnicity",
    "unit_id", "position", "party_status", "admission_date",
    "full_membership_date", "citizen_id", "citizen_id_hash", "notes", "name_key",
    "sort_key", "counted_as_minority",
]  # fmt: skip


@dataclass
class PersonPools:
    """What every centre draws its people from, computed once per run."""

    names: dict
    ethnicities: list[str]
    ethnic_weights: list[int]
    # Birth days from 1962 to 2004, as ISO text.
    birth_days: list[str]

    @classmethod
    def make(cls) -> "PersonPools":
        return cls(
            names=name_pools(),
            ethnicities=[e for e, *_ in MINORITIES],
            ethnic_weights=[share for _, share, *_ in MINORITIES],
            birth_days=[
                (datetime.date(1962, 1, 1) + datetime.timedelta(days=d)).isoformat()
                for d in range(0, 365 * 43)
            ],
        )


@dataclass
class Trainees:
    """A centre's people of the year, numbered 0… from `first_id`."""

    first_id: int
    # Each class's roster, as numbers of people.
    rosters: list[list[int]]
    # Each person's party status and unit (an organization id).
    party_status: list[str]
    unit_of: list[int]


def persons_for(sizes: list[int]) -> int:
    """How many people fill classes of `sizes`: fewer than the seats, as some
    take two classes, but at least the largest class."""
    total = sum(sizes)
    return min(total, max(max(sizes), round(total / ENROLMENTS_PER_PERSON)))


def seat_trainees(rng: random.Random, chosen, sizes, persons: int):
    """Each class's roster (nobody twice in a class) and each person's party
    status; returns (rosters, party statuses)."""
    seats = list(range(persons)) + [
        rng.randrange(persons) for _ in range(sum(sizes) - persons)
    ]
    rng.shuffle(seats)
    status_of = ["full"] * persons
    for t in range(persons):
        if rng.random() < 0.45:
            status_of[t] = "non_member"
    rosters, position = [], 0
    for size in sizes:
        rosters.append(_roster(rng, seats[position : position + size], persons))
        position += size
    # The courses say who their trainees are, in the catalogue's order: the
    # new-member course makes a probationary member, and a probationary
    # member taking the awareness course stays one.
    for (programme, *_), roster in zip(chosen, rosters, strict=True):
        for t in roster:
            if programme.code == "dang-vien-moi":
                status_of[t] = "probationary"
            elif programme.code == "nhan-thuc-ve-dang" and (
                status_of[t] != "probationary"
            ):
                status_of[t] = "non_member"
    return rosters, status_of


def _roster(rng: random.Random, seats: list[int], persons: int) -> list[int]:
    """The people of `seats`, a repeated one replaced by someone drawn anew."""
    members: set[int] = set()
    roster = []
    for t in seats:
        while t in members:
            t = rng.randrange(persons)
        members.add(t)
        roster.append(t)
    return roster


def add_trainees(
    run: Run,
    rng: random.Random,
    centre: GeneratedCentre,
    pools: PersonPools,
    first_id: int,
    status_of: list[str],
) -> list[int]:
    """Queue the centre's trainee rows; returns each person's unit."""
    units = [c.pk for c in centre.communes]
    unit_of = [rng.choice(units) for _ in range(len(status_of))]
    rows = [
        _trainee_row(rng, run.year, centre, pools, t, first_id + t, unit_of[t],
                     status_of[t])
        for t in range(len(status_of))
    ]  # fmt: skip
    run.writer.add(Trainee, TRAINEE_COLUMNS, rows)
    return unit_of


def _trainee_row(rng, year, centre, pools, number, pk, unit, party) -> tuple:
    """One person in `TRAINEE_COLUMNS` order: ~50% women, ~10% minorities,
    70% with a citizen id made unique by the province and `number` (stored
    encrypted, with its hash, as the model stores it)."""
    gender = "female" if rng.random() < 0.5 else "male"
    ethnicity = "Kinh"
    if rng.random() < MINORITY_SHARE:
        ethnicity = rng.choices(pools.ethnicities, weights=pools.ethnic_weights)[0]
    fields, cumulative = pools.names[gender, ethnicity]
    person = rng.choices(fields, cum_weights=cumulative)[0]
    birth = rng.choice(pools.birth_days)
    citizen = (
        f"{centre.province + 1:03d}{0 if gender == 'male' else 1}"
        f"{birth[2:4]}{year % 10}{number:05d}"
        if rng.random() < 0.7
        else ""
    )
    return (
        pk,
        centre.center.pk,
        person["full_name"],
        person["family_name"],
        person["middle_name"],
        person["given_name"],
        birth,
        False,
        gender,
        ethnicity,
        unit,
        rng.choice(POSITIONS),
        party,
        None if party == "non_member" else f"{year - 1}-0{rng.randint(1, 9)}-15",
        None,
        encrypt(citizen),
        lookup_hash(citizen),
        "",
        person["name_key"],
        person["sort_key"],
        False,
    )
