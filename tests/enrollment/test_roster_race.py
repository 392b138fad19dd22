"""A roll call and a results save of one class at the same moment take
turns, so the later one judges with what the earlier one wrote
(tests/races.py). Without it, on PostgreSQL each judged with what it read
before the other committed, and a pass stood that the roll calls no longer
supported."""

import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from enrollment.models import Enrollment
from enrollment.services import roster
from tests.factories import make_class, make_enrollment, make_session, make_trainee
from tests.races import Race


@pytest.fixture
def two_days(site_a):
    """A class of one trainee, two sessions held, present at the first."""
    with scopes_disabled():
        training_class = make_class(site_a.center, status="in_progress")
        first, second = (
            make_session(training_class, date=training_class.start_date + delta)
            for delta in (datetime.timedelta(0), datetime.timedelta(days=1))
        )
        trainee = make_enrollment(
            training_class, make_trainee(site_a.center, full_name="Lê Thị Chăm")
        )
        roster.record_attendance(first, present=[trainee.pk], by=site_a.staff)
    return training_class, second, trainee


def saving_results(training_class, trainee, score: str, by):
    def job():
        with scopes_disabled():
            training_class.refresh_from_db()
            return roster.record_results(
                training_class,
                rows={trainee.pk: roster.ResultRow(trainee.pk, Decimal(score), "")},
                version=training_class.version,
                by=by,
            )

    return job


def roll_call(session, by):
    def job():
        with scopes_disabled():
            return roster.record_attendance(session, present=[], by=by)

    return job


@pytest.mark.django_db(transaction=True)
def test_results_saved_during_a_roll_call_are_judged_with_it(
    site_a, two_days, monkeypatch
):
    """The roll call is held after writing her absence, before committing;
    the results save waits for it and then fails her at 50% attendance
    instead of passing her on the 100% it read before."""
    training_class, second_day, trainee = two_days
    with scopes_disabled():
        saving_results(training_class, trainee, "8", site_a.staff)()
    race = Race(monkeypatch, roster, "attendance_rates")
    race.run(
        roll_call(second_day, site_a.staff),
        saving_results(training_class, trainee, "9", site_a.staff),
    )
    trainee.refresh_from_db()
    assert (trainee.score, trainee.status, trainee.grade) == (
        Decimal("9"),
        Enrollment.Status.FAILED,
        "Không đạt",
    )


@pytest.mark.django_db(transaction=True)
def test_a_roll_call_during_a_results_save_judges_the_new_result(
    site_a, two_days, monkeypatch
):
    """The results save is held after judging her a pass on one roll call;
    the roll call waits for it, then finds the result and fails her at 50%
    instead of skipping her as someone without a result yet."""
    training_class, second_day, trainee = two_days
    race = Race(monkeypatch, roster, "attendance_rates")
    _, rejudged = race.run(
        saving_results(training_class, trainee, "8", site_a.staff),
        roll_call(second_day, site_a.staff),
    )
    assert [e.pk for e in rejudged] == [trainee.pk]
    trainee.refresh_from_db()
    assert (trainee.score, trainee.status, trainee.grade) == (
        Decimal("8"),
        Enrollment.Status.FAILED,
        "Không đạt",
    )
