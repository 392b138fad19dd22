"""Two directors issue at once: each report takes its own number, the two
consecutive, none skipped and none taken twice (tests/races.py)."""

import datetime

import pytest
from django_scopes import scopes_disabled

from reports import counting, document, scope
from tests.factories import make_class, make_member
from tests.races import Race
from trainingcenter import documents
from trainingcenter.models import Membership, OutgoingDocument


@pytest.mark.django_db(transaction=True)
def test_two_directors_issuing_at_once_get_consecutive_numbers(site_a, monkeypatch):
    """The first director is held just after taking a number (when it is
    written out as "1-BC/TTCT"), inside the issuing transaction, until the
    second is seen waiting for the counter's lock (a row lock on PostgreSQL,
    the write lock on SQLite); then the first commits and the second takes
    the next number."""
    center = site_a.center
    center.director_name = "Nguyễn Văn Giám"
    center.save()
    second_director = make_member(center, Membership.Role.DIRECTOR)
    with scopes_disabled():
        make_class(center, start_date=datetime.date(2025, 3, 2))
        make_class(center, start_date=datetime.date(2026, 3, 2))
        target = scope.for_center(center)
        reports = [
            counting.build_report(
                target.centers,
                counting.Period.year(year),
                scope_label=target.label,
                issuer=target.issuer,
            )
            for year in (2025, 2026)
        ]
    today = datetime.date(2026, 12, 20)

    def issuing(report, user):
        def job():
            with scopes_disabled():
                return document.issue(report, target, today=today, by=user).number

        return job

    race = Race(monkeypatch, documents, "number_text")
    first, second = race.run(
        issuing(reports[0], site_a.director), issuing(reports[1], second_director)
    )
    assert (first, second) == (1, 2)
    with scopes_disabled():
        issued = OutgoingDocument.objects.order_by("number")
        assert [d.number_text for d in issued] == ["1-BC/TTCT", "2-BC/TTCT"]
        assert [d.key for d in issued] == [document.key(r.period) for r in reports]
