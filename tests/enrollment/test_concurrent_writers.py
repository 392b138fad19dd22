"""Many clerks at once: every write lands, none fails on a busy lock.

On SQLite, the embedded default, one write transaction runs at a time; the
others wait for it. These tests start eight writers together (threads, each
on its own connection, as the development server serves requests) and check
that none gets "database is locked" and nothing is lost. scripts/
concurrency-under-load.sh runs them beside CPU-burning processes.
"""

import datetime
import threading
import time

import pytest
from django.db import connection
from django_scopes import scope

from enrollment.models import Enrollment
from enrollment.services import trainees as trainee_service
from tests.engines import sqlite_only
from tests.factories import make_class, make_trainee
from tests.summaries import assert_persons_add_up, stored_counts_match_sql

WRITERS = 8
EACH = 12


def run_together(jobs) -> list[Exception]:
    """Start the jobs at the same moment, each on a thread of its own; the
    errors they raised."""
    errors = []
    barrier = threading.Barrier(len(jobs))

    def runner(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # reported by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_eight_clerks_enrolling_at_once_all_succeed_and_counts_add_up(site_a):
    """Eight clerks enrol 12 people each, one at a time, into four classes of
    one year (two clerks per class); some people take two classes, so the
    year's distinct-person ranking is redone on every enrolment."""
    membership = site_a.staff.memberships.get()
    with scope(center=site_a.center):
        classes = [
            make_class(
                site_a.center,
                status="open",
                start_date=datetime.date(2026, month, 2),
                end_date=datetime.date(2026, month, 6),
            )
            for month in (3, 5, 7, 9)
        ]
        people = [
            make_trainee(site_a.center, full_name=f"Trần Văn {index}")
            for index in range(WRITERS * EACH // 2 + EACH)
        ]

    def clerk(number):
        klass = classes[number % len(classes)]
        # Clerks of one class take different people; the next class's clerks
        # take some of the same people again.
        start = (number // len(classes)) * EACH + (number % len(classes)) * EACH // 2
        mine = people[start : start + EACH]

        def job():
            with scope(center=site_a.center):
                for person in mine:
                    trainee_service.enroll_trainees(
                        klass, trainees=[person], by=site_a.staff, membership=membership
                    )

        return job

    errors = run_together([clerk(number) for number in range(WRITERS)])
    assert errors == []
    with scope(center=site_a.center):
        assert Enrollment.objects.count() == WRITERS * EACH
        for klass in classes:
            assert klass.enrollments.count() == WRITERS * EACH // len(classes)
        stored_counts_match_sql([klass.pk for klass in classes])
        assert_persons_add_up(site_a.center, [2026], every_date=False)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_issuing_a_class_holds_the_write_lock_a_fraction_of_a_second(site_a):
    """30 certificates numbered and printed at once (the largest batch printed
    inside the request): the PDFs are rendered outside any transaction, so no
    transaction keeps the other writers waiting for as long as printing takes."""
    from enrollment.services.certificates import issue_certificates
    from tests.locks import write_lock_holds

    with scope(center=site_a.center):
        klass = make_class(site_a.center, status="closed")
        for index in range(30):
            trainee = make_trainee(site_a.center, full_name=f"Phạm Thị {index}")
            Enrollment.objects.create(
                training_class=klass,
                trainee=trainee,
                status=Enrollment.Status.COMPLETED,
                grade="Khá",
            )
    started = time.monotonic()
    with write_lock_holds() as holds, scope(center=site_a.center):
        issue_certificates(
            klass,
            issued_on=datetime.date(2026, 3, 10),
            signer_title="GIÁM ĐỐC",
            signer_name="Nguyễn Thị Hòa",
            by=site_a.director,
        )
    elapsed = time.monotonic() - started
    with scope(center=site_a.center):
        assert klass.enrollments.filter(certificates__pdf__isnull=False).count() == 30
    # Printing takes most of the time; no transaction lasts a third of it (it
    # was all of it when printing ran inside). Alone on a 2-core machine the
    # longest is the issuing itself, about a tenth of a second.
    longest = max(holds, key=lambda hold: hold.seconds)
    assert longest.seconds < elapsed / 3, (longest, elapsed)
