"""What every benchmark shares: Django set up with the benchmarks' own settings
(bench/settings.py: the deployment's, DEBUG off), and a throwaway database (on
DATABASE_URL's server) that is dropped afterwards. Nothing here imports the
tests package."""

import os
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

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


def db_url() -> str:
    """DATABASE_URL of the current (test) database, for a subprocess."""
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    if connection.vendor != "postgresql":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}"
        f"@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )


def member(username: str, *, center=None, role=None, **fields):
    """A user (no usable password: the benches log in with force_login or
    their own hashed password), with `role` in `center` when both are given."""
    from django.contrib.auth import get_user_model

    from trainingcenter.models import Membership

    user = get_user_model()(username=username, **fields)
    user.set_unusable_password()
    user.save()
    if center is not None and role is not None:
        Membership.objects.create(user=user, role=role, center=center)
    return user


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


def new_center(slug: str, *, units: int = 0):
    """A centre of its own province and commune, with `units` party cells under
    the commune and a director; returns (centre, director, membership, units).
    The director's password goes through the deployment's hasher."""
    from django.contrib.auth import get_user_model

    from trainingcenter.models import Center, Membership, Organization

    province = Organization.objects.create(
        code=f"P-{slug}".upper(),
        name=f"Đảng bộ tỉnh {slug}",
        kind=Organization.Kind.PARTY_COMMITTEE,
        level=Organization.Level.PROVINCE,
    )
    commune = Organization.objects.create(
        code=f"X-{slug}".upper(),
        name=f"Đảng bộ xã {slug}",
        kind=Organization.Kind.PARTY_COMMITTEE,
        level=Organization.Level.COMMUNE,
        parent=province,
    )
    center = Center.objects.create(
        slug=slug,
        name=f"Trung tâm Chính trị {slug}",
        organization=Organization.objects.create(
            code=f"TT-{slug}".upper(),
            name=f"Trung tâm Chính trị {slug}",
            kind=Organization.Kind.TRAINING_CENTER,
            level=Organization.Level.COMMUNE,
            parent=commune,
        ),
        superior_body_line="ĐẢNG ỦY XÃ TÂN HÒA",
        issuing_body_name="TRUNG TÂM CHÍNH TRỊ",
        place_name="Tân Hòa",
    )
    center.communes.add(commune)
    cells = [
        Organization.objects.create(
            code=f"CB-{slug}-{i}".upper(),
            name=f"Chi bộ thôn {i}",
            kind=Organization.Kind.PARTY_CELL,
            level=Organization.Level.CELL,
            parent=commune,
        )
        for i in range(1, units + 1)
    ]
    director = get_user_model().objects.create_user(
        username=f"director-{slug}", password=f"bench-{slug}-password"
    )
    membership = Membership.objects.create(
        user=director, role=Membership.Role.DIRECTOR, center=center
    )
    return center, director, membership, cells
