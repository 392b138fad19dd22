"""The per-class counts the reports add up stay equal to a fresh count."""

import datetime
import random

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from courses.models import TrainingClass
from enrollment.models import (
    ClassLecturerSummary,
    ClassSummary,
    ClassUnitSummary,
    Enrollment,
)
from enrollment.services import rankings, summaries, trainees
from reports import counting
from tests.factories import (
    make_class,
    make_enrollment,
    make_lecturer,
    make_organization,
    make_session,
    make_trainee,
)
from tests.races import Race
from tests.summaries import assert_persons_add_up, stored_counts_match_sql

D = datetime.date


@pytest.mark.django_db
def test_service_paths_keep_the_counts(site_a):
    with scopes_disabled():
        training_class = make_class(site_a.center)
        people = [
            make_trainee(site_a.center, full_name=f"Lê Văn {i}") for i in range(4)
        ]
        for person in people:
            make_enrollment(training_class, person)
        assert ClassSummary.objects.get(training_class=training_class).enrolled == 4
        first = training_class.enrollments.order_by("pk").first()
        trainees.withdraw(first, reason="Chuyển công tác", by=site_a.director)
        assert ClassSummary.objects.get(training_class=training_class).enrolled == 3
        # Editing the person's record recounts the classes they are in.
        person = people[1]
        person.ethnicity = "Tày"
        person.save()
        assert ClassSummary.objects.get(training_class=training_class).minorities == 1
        training_class.venue_communes.add(site_a.center.organization)
        assert ClassSummary.objects.get(training_class=training_class).at_cluster
        stored_counts_match_sql([training_class.pk])
        # Sessions (the pages and the admin save them one by one): periods
        # per lecturer follow an edit, a change of lecturer and a deletion.
        binh, thu = (
            make_lecturer(site_a.center, full_name=name)
            for name in ("Trần Văn Bình", "Lê Thị Thu")
        )
        first = make_session(training_class, lecturer=binh, periods=5)
        second = make_session(
            training_class, lecturer=binh, periods=4, date=D(2026, 3, 3)
        )
        taught = ClassLecturerSummary.objects.filter(training_class=training_class)
        assert list(taught.values_list("lecturer", "sessions", "periods")) == [
            (binh.pk, 2, 9)
        ]
        second.lecturer = thu
        second.save()
        first.delete()
        assert list(taught.values_list("lecturer", "sessions", "periods")) == [
            (thu.pk, 1, 4)
        ]
        stored_counts_match_sql([training_class.pk])


@pytest.mark.django_db
def test_a_roster_less_class_counts_its_declared_numbers(site_a):
    with scopes_disabled():
        historic = make_class(
            site_a.center,
            declared_enrolled=40,
            declared_completed=38,
            declared_certified=30,
        )
        row = ClassSummary.objects.get(training_class=historic)
        assert (row.enrolled, row.completed, row.passed, row.certified) == (
            40,
            38,
            38,
            30,
        )


@pytest.mark.django_db
def test_batched_recounts_once(site_a, django_assert_max_num_queries):
    with scopes_disabled():
        training_class = make_class(site_a.center)
        people = [
            make_trainee(site_a.center, full_name=f"Lê Văn {i}") for i in range(30)
        ]
        with django_assert_max_num_queries(30 * 3 + 10):
            with summaries.batched():
                for person in people:
                    Enrollment.objects.create(
                        training_class=training_class, trainee=person
                    )
        assert ClassSummary.objects.get(training_class=training_class).enrolled == 30


def enrol_at_once(monkeypatch, module, hold: str, first, second) -> None:
    """Two transactions enrol (class, person) each, overlapping for certain:
    the first is held at `module.hold`, inside its transaction and past the
    lock that orders such writers, until the second is seen waiting for that
    lock (tests/races.py); then the first commits and the second goes on."""

    def enrol(training_class, person):
        def job():
            with scopes_disabled(), transaction.atomic():
                Enrollment.objects.create(training_class=training_class, trainee=person)

        return job

    outcomes = Race(monkeypatch, module, hold).run(enrol(*first), enrol(*second))
    assert outcomes == (None, None)


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_class_lose_no_count(site_a, monkeypatch):
    """A writer that recounts while another's enrolment is not yet committed
    waits for it: PostgreSQL through the lock on the class row taken before
    counting, SQLite because its write transactions run one at a time.

    The first writer is held just after counting its class (1 trainee, not
    yet written nor committed) until the second is seen waiting for the lock;
    counted without waiting, the second would also find 1."""
    with scopes_disabled():
        training_class = make_class(site_a.center)
        first, second = (
            make_trainee(site_a.center, full_name=name)
            for name in ("Lê Văn Một", "Lê Văn Hai")
        )
    enrol_at_once(
        monkeypatch,
        summaries,
        "compute",
        (training_class, first),
        (training_class, second),
    )
    with scopes_disabled():
        assert ClassSummary.objects.get(training_class=training_class).enrolled == 2


@pytest.mark.django_db
def test_persons_add_up_from_the_summaries_after_every_change(site_a):
    """Trainees in several classes of two years, some twice in one class and
    some withdrawn; then a class's list is emptied and the class deleted, an
    enrolment is withdrawn and another deleted. After each change, every
    year-anchored period counts each person once (as COUNT DISTINCT does)."""
    rng = random.Random(6)
    center = site_a.center
    with scopes_disabled():
        days = [D(2025, 11, 3), D(2026, 1, 1), D(2026, 3, 2), D(2026, 3, 2)]
        days += [D(2026, 6, 15), D(2026, 9, 7), D(2026, 12, 31)]
        classes = [
            make_class(center, start_date=day, end_date=day + datetime.timedelta(4))
            for day in days
        ]
        people = [make_trainee(center, full_name=f"Trần Thị {i}") for i in range(12)]
        with summaries.batched():
            for person in people:
                for training_class in rng.sample(classes, rng.randint(1, 4)):
                    status = rng.choice(
                        [Enrollment.Status.ENROLLED] * 4 + [Enrollment.Status.WITHDRAWN]
                    )
                    Enrollment.objects.create(
                        training_class=training_class, trainee=person, status=status
                    )
        # One person twice in one class.
        make_enrollment(classes[2], people[0])
        assert_persons_add_up(center, [2025, 2026])
        assert (
            counting.persons(
                TrainingClass.objects.filter(center=center),
                counting.Period(D(2026, 1, 1), D(2026, 12, 31)),
            )
            > 0
        )

        # A class is deleted once its list is emptied (enrolments protect it).
        Enrollment.objects.filter(training_class=classes[2]).delete()
        assert_persons_add_up(center, [2025, 2026])
        classes[2].delete()
        assert_persons_add_up(center, [2025, 2026])

        enrollment = (
            Enrollment.objects.filter(training_class=classes[1])
            .active()
            .order_by("pk")
            .first()
        )
        trainees.withdraw(enrollment, reason="Chuyển công tác", by=site_a.director)
        assert_persons_add_up(center, [2025, 2026])

        Enrollment.objects.filter(training_class=classes[5]).order_by(
            "pk"
        ).first().delete()
        assert_persons_add_up(center, [2025, 2026])
        stored_counts_match_sql(
            [c.pk for c in TrainingClass.objects.filter(center=center)]
        )


@pytest.mark.django_db
def test_unit_counts_follow_the_enrolments(site_a):
    center = site_a.center
    with scopes_disabled():
        cell, union = (
            make_organization(name=name, parent=center.organization)
            for name in ("Chi bộ Khu phố 2", "Đoàn Thanh niên phường")
        )
        training_class = make_class(center)
        for unit, status in (
            (cell, Enrollment.Status.COMPLETED),
            (cell, Enrollment.Status.ENROLLED),
            (union, Enrollment.Status.WITHDRAWN),
            (None, Enrollment.Status.COMPLETED),
        ):
            make_enrollment(training_class, unit=unit, status=status)
        rows = sorted(
            ClassUnitSummary.objects.filter(training_class=training_class).values_list(
                "unit_id", "enrolled", "passed"
            ),
            key=str,
        )
        assert rows == sorted([(cell.pk, 2, 1), (None, 1, 1)], key=str)
        withdrawn = Enrollment.objects.get(unit=union)
        withdrawn.status = Enrollment.Status.ENROLLED
        withdrawn.save()
        assert (
            ClassUnitSummary.objects.get(
                training_class=training_class, unit=union
            ).enrolled
            == 1
        )
        stored_counts_match_sql([training_class.pk])


@pytest.mark.django_db
def test_a_class_moved_to_another_year_is_ranked_in_both(site_a):
    """The person's first class of 2026 moves to December 2025: 2026 counts
    them in their other class, and 2025 counts them too."""
    center = site_a.center
    with scopes_disabled():
        moved = make_class(center, start_date=D(2026, 3, 2), end_date=D(2026, 3, 6))
        other = make_class(center, start_date=D(2026, 6, 1), end_date=D(2026, 6, 5))
        person = make_trainee(center, full_name="Nguyễn Văn Nam")
        make_enrollment(moved, person)
        make_enrollment(other, person)
        rows = ClassSummary.objects.order_by("training_class__start_date")
        assert list(rows.values_list("first_in_year", "last_in_year")) == [
            (1, 0),
            (0, 1),
        ]
        moved.start_date, moved.end_date = D(2025, 12, 1), D(2025, 12, 5)
        moved.save()
        assert list(
            rows.values_list("first_in_year", "last_in_year", "ranked_year")
        ) == [(1, 1, 2025), (1, 1, 2026)]
        assert_persons_add_up(center, [2025, 2026])
        # The rows per unit carry the new date too.
        stored_counts_match_sql([moved.pk, other.pk])


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_centre_rank_one_after_the_other(site_a, monkeypatch):
    """One person enrolled in two classes of a year by two transactions at
    once is still one person: on PostgreSQL the second waits for the first's
    commit (the lock per centre) before numbering the year's enrolments.

    The first writer is held just after numbering the year (the person's
    March class first and last, not committed) until the second is seen
    waiting for the centre's lock; numbered without waiting, the second
    would find June first and last too, and count the person twice."""
    with scopes_disabled():
        march = make_class(
            site_a.center, start_date=D(2026, 3, 2), end_date=D(2026, 3, 6)
        )
        june = make_class(
            site_a.center, start_date=D(2026, 6, 1), end_date=D(2026, 6, 5)
        )
        person = make_trainee(site_a.center, full_name="Lê Thị Hoa")
    enrol_at_once(monkeypatch, rankings, "_rank", (march, person), (june, person))
    with scopes_disabled():
        assert_persons_add_up(site_a.center, [2026])
        assert (
            counting.persons(
                TrainingClass.objects.filter(center=site_a.center),
                counting.Period(D(2026, 1, 1), D(2026, 12, 31)),
            )
            == 1
        )
