"""The per-class counts the reports add up stay equal to a fresh count."""

import threading
import time

import pytest
from django.db import connection, transaction
from django_scopes import scopes_disabled

from enrollment import services, summary
from enrollment.models import ClassSummary, Enrollment
from tests.factories import make_class, make_enrollment, make_trainee


def stored_equals_fresh(class_ids) -> None:
    stored = {s.training_class_id: s for s in ClassSummary.objects.all()}
    for fresh in summary.compute(class_ids):
        for name in summary.COUNTED_FIELDS:
            assert getattr(fresh, name) == getattr(
                stored[fresh.training_class_id], name
            ), name


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
        services.withdraw(first, reason="Chuyển công tác", by=site_a.director)
        assert ClassSummary.objects.get(training_class=training_class).enrolled == 3
        # Editing the person's record recounts the classes they are in.
        person = people[1]
        person.ethnicity = "Tày"
        person.save()
        assert ClassSummary.objects.get(training_class=training_class).minorities == 1
        training_class.venue_communes.add(site_a.center.organization)
        assert ClassSummary.objects.get(training_class=training_class).at_cluster
        stored_equals_fresh([training_class.pk])


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
            with summary.batched():
                for person in people:
                    Enrollment.objects.create(
                        training_class=training_class, trainee=person
                    )
        assert ClassSummary.objects.get(training_class=training_class).enrolled == 30


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_class_lose_no_count(site_a):
    """A writer that recounts while another's enrolment is not yet committed
    waits for it: PostgreSQL through the lock on the class row taken before
    counting, SQLite because its write transactions run one at a time."""
    with scopes_disabled():
        training_class = make_class(site_a.center)
        first, second = (
            make_trainee(site_a.center, full_name=name)
            for name in ("Lê Văn Một", "Lê Văn Hai")
        )
    errors = []

    def writer(person, hold):
        try:
            with scopes_disabled(), transaction.atomic():
                Enrollment.objects.create(training_class=training_class, trainee=person)
                time.sleep(hold)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    slow = threading.Thread(target=writer, args=(first, 0.6))
    fast = threading.Thread(target=writer, args=(second, 0))
    slow.start()
    time.sleep(0.2)
    fast.start()
    slow.join()
    fast.join()
    assert errors == []
    with scopes_disabled():
        assert ClassSummary.objects.get(training_class=training_class).enrolled == 2
