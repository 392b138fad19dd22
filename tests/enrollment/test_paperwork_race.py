"""Two directors issue the summons of two classes at once: each unit's
summons takes its own number, all consecutive, none skipped and none taken
twice (tests/races.py)."""

import datetime

import pytest
from django_scopes import scopes_disabled

from enrollment.paperwork import issuing
from enrollment.paperwork.wording import KINDS
from tests.enrollment.paperwork import make_paper_class
from tests.factories import make_member
from tests.races import Race
from trainingcenter import documents
from trainingcenter.models import Membership, OutgoingDocument


@pytest.mark.django_db(transaction=True)
def test_two_directors_issuing_summons_at_once_get_consecutive_numbers(
    site_a, monkeypatch
):
    """The first director is held just after taking its first number, inside
    the issuing transaction, until the second is seen waiting for the
    counter's lock; then the first numbers its other unit and commits, and
    the second takes the next two numbers."""
    second_director = make_member(site_a.center, Membership.Role.DIRECTOR)
    with scopes_disabled():
        classes = [make_paper_class(site_a.center)[0] for _ in range(2)]
    today = datetime.date(2026, 3, 12)

    def issuing_summons(klass, user):
        def job():
            with scopes_disabled():
                made = issuing.issue(klass, KINDS["summons"], today=today, by=user)
                return [document.number for document in made]

        return job

    race = Race(monkeypatch, documents, "number_text")
    first, second = race.run(
        issuing_summons(classes[0], site_a.director),
        issuing_summons(classes[1], second_director),
    )
    assert (first, second) == ([1, 2], [3, 4])
    with scopes_disabled():
        issued = OutgoingDocument.objects.order_by("number")
        assert [d.number_text for d in issued] == [
            f"{n}-GTT/TTCT" for n in (1, 2, 3, 4)
        ]
        keys = [d.key for d in issued]
        assert all(key.startswith(f"class:{classes[0].pk}:") for key in keys[:2])
        assert all(key.startswith(f"class:{classes[1].pk}:") for key in keys[2:])
