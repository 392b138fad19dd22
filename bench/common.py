"""What every benchmark shares: Django set up with the test settings, and a
throwaway test database (on DATABASE_URL's server) that is dropped afterwards."""

import os
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()


def in_test_database(run: Callable[[], None]) -> None:
    """Run `run` in a fresh test database, outside any tenancy scope."""
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django_scopes import scopes_disabled

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with scopes_disabled():
            run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def list_rows(count: int, units: list[str], rng, citizen_prefix: str = "") -> list:
    """`count` rows of a trainee list as a party cell sends it (the columns of
    the class template), with generated Vietnamese names and `units` in turn."""
    import datetime

    from enrollment.demo.names import random_person

    rows = []
    for i in range(count):
        name, gender, ethnicity = random_person(rng)
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=3 * i)
        rows.append(
            [
                i + 1,
                name,
                f"{birth:%d/%m/%Y}",
                "Nam" if gender == "male" else "Nữ",
                ethnicity,
                units[i % len(units)],
                "Chuyên viên",
                "Quần chúng",
                None,
                f"{citizen_prefix}{i:0{12 - len(citizen_prefix)}d}",
                None,
            ]
        )
    return rows


def passed_class(center, size: int, rng, *, grade: str = "", **fields):
    """A closed class of `size` trainees with generated names who all passed,
    ready for certificates; `fields` are the class's (programme, dates, …)."""
    import datetime

    from courses.models import TrainingClass
    from enrollment.demo.names import random_person
    from enrollment.models import Enrollment, Trainee
    from enrollment.services import summaries

    klass = TrainingClass.objects.create(
        center=center, status=TrainingClass.Status.CLOSED, **fields
    )
    people = []
    for i in range(size):
        name, gender, ethnicity = random_person(rng)
        person = Trainee(
            center=center,
            full_name=name,
            gender=gender,
            ethnicity=ethnicity,
            birth_date=datetime.date(1980, 1, 1) + datetime.timedelta(days=i),
        )
        person.fill_keys()
        people.append(person)
    Trainee.objects.bulk_create(people)
    Enrollment.objects.bulk_create(
        Enrollment(
            training_class=klass,
            trainee=person,
            status=Enrollment.Status.COMPLETED,
            grade=grade,
        )
        for person in people
    )
    summaries.refresh([klass.pk])
    return klass
