"""Someone who took the admission course again holds two certificates that
count: the pipeline lists and counts them once, with the one that counts
the longer, on a page and in the whole list."""

import datetime

import pytest
from django_scopes import scopes_disabled

from enrollment.models import Trainee
from reports import counting, rollups
from tests.factories import make_class_type
from tests.reports.test_rollups import TODAY, _certificate, _person


@pytest.mark.django_db
def test_a_person_with_two_certificates_is_one_candidate(site_a):
    center = site_a.center
    with scopes_disabled():
        awareness = make_class_type()
        twice = _person(center, "Học Hai Lần", Trainee.PartyStatus.NON_MEMBER)
        for days in (30, 400, 200):
            _certificate(twice, awareness, TODAY + datetime.timedelta(days))
        once = _person(center, "Học Một Lần", Trainee.PartyStatus.NON_MEMBER)
        _certificate(once, awareness, TODAY + datetime.timedelta(10))
        centers = center.__class__.objects.filter(pk=center.pk)
        period = rollups.Filters(counting.Period.year(2026))
        whole = rollups.pipeline(centers, period, TODAY)
        page = rollups.pipeline(centers, period, TODAY, limit=1)
    assert [(c.name, c.valid_until, c.expires_soon) for c in whole.candidates] == [
        ("Học Một Lần", TODAY + datetime.timedelta(10), True),
        ("Học Hai Lần", TODAY + datetime.timedelta(400), False),
    ]
    assert whole.candidate_count == page.candidate_count == 2
    assert page.candidates == whole.candidates[:1]
