"""The register's numbers: gapless per issuer, kind and period, the period a
year or a committee term as the director sets it, never given twice, also
when the setting changes or two people issue at once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from tests.factories import make_member
from tests.races import Race
from tests.trainingcenter.documents import issue
from trainingcenter import documents
from trainingcenter.documents import DocumentRegister, OutgoingDocument
from trainingcenter.models import Membership

TERM_START = datetime.date(2025, 10, 16)


def numbers(center, kind="KH") -> list[str]:
    rows = OutgoingDocument.objects.filter(issuer=center.organization, kind=kind)
    return [d.number_text for d in rows.order_by("pk")]


@pytest.fixture
def freeze_today(monkeypatch):
    """Today, as the register's checks see it."""

    def set_today(day: datetime.date):
        monkeypatch.setattr(documents, "today", lambda: day)

    return set_today


@pytest.mark.django_db
def test_numbers_run_per_kind_and_start_again_each_year(site_a):
    center = site_a.center
    with scopes_disabled():
        issue(center, "KH", on=datetime.date(2025, 3, 1))
        issue(center, "KH", on=datetime.date(2025, 9, 1))
        issue(center, "QĐ", on=datetime.date(2025, 9, 2))
        first_of_2026 = issue(center, "KH", on=datetime.date(2026, 1, 5))
        assert numbers(center) == ["1-KH/TTCT", "2-KH/TTCT", "1-KH/TTCT"]
        assert numbers(center, "QĐ") == ["1-QĐ/TTCT"]
        assert (first_of_2026.year, first_of_2026.period) == (2026, "2026")
        assert first_of_2026.period_label == "Năm 2026"


@pytest.mark.django_db
def test_per_term_numbers_run_on_across_new_years(site_a, freeze_today):
    center = site_a.center
    freeze_today(datetime.date(2025, 11, 1))
    with scopes_disabled():
        documents.set_period(
            center.organization, "term", TERM_START, by=site_a.director
        )
        issued = [
            issue(center, on=datetime.date(2025, 11, 3)),
            issue(center, on=datetime.date(2026, 2, 1)),
            issue(center, on=datetime.date(2027, 6, 1)),
        ]
        assert [d.number_text for d in issued] == [
            "1-KH/TTCT",
            "2-KH/TTCT",
            "3-KH/TTCT",
        ]
        assert {d.period for d in issued} == {"term-2025-10-16"}
        assert [d.year for d in issued] == [2025, 2026, 2027]  # the issue year
        assert issued[0].period_label == "Nhiệm kỳ từ 16/10/2025"
        assert documents.next_number(
            center.organization, "KH", datetime.date(2028, 1, 1)
        ) == ("4-KH/TTCT")


@pytest.mark.django_db
def test_a_change_of_setting_never_gives_a_number_twice(site_a, freeze_today):
    center, director = site_a.center, site_a.director
    organization = center.organization
    freeze_today(datetime.date(2026, 6, 30))
    with scopes_disabled():
        issue(center, on=datetime.date(2026, 3, 1))  # 1-KH of the year 2026
        issue(center, on=datetime.date(2026, 5, 4))  # 2-KH of the year 2026
        # A term that began before the last document was numbered would give
        # its numbers again to dates that already have them: refused.
        with pytest.raises(ValidationError, match="04/05/2026"):
            documents.set_period(
                organization, "term", datetime.date(2026, 5, 4), by=director
            )
        with pytest.raises(ValidationError):  # not after today either
            documents.set_period(
                organization, "term", datetime.date(2026, 7, 1), by=director
            )
        register = DocumentRegister.objects.get(issuer=organization)
        assert (register.period, register.term_start) == ("year", None)
        documents.set_period(
            organization, "term", datetime.date(2026, 5, 5), by=director
        )
        in_term = issue(center, on=datetime.date(2026, 6, 1))
        documents.set_period(organization, "year", None, by=director)
        back_in_year = issue(center, on=datetime.date(2026, 6, 2))
        documents.set_period(  # the same term again: it goes on
            organization, "term", datetime.date(2026, 5, 5), by=director
        )
        term_again = issue(center, on=datetime.date(2026, 6, 3))
    assert (in_term.period, in_term.number) == ("term-2026-05-05", 1)
    assert (back_in_year.period, back_in_year.number) == ("2026", 3)
    assert (term_again.period, term_again.number) == ("term-2026-05-05", 2)
    with scopes_disabled():
        keys = OutgoingDocument.objects.values_list("period", "number")
        assert len(set(keys)) == len(keys) == 5


@pytest.mark.django_db
def test_registers_are_the_issuers_own(site_a, site_b, freeze_today):
    freeze_today(datetime.date(2026, 1, 10))
    with scopes_disabled():
        documents.set_period(
            site_a.center.organization, "term", TERM_START, by=site_a.director
        )
        a = issue(site_a.center, on=datetime.date(2026, 1, 10))
        b = issue(site_b.center, on=datetime.date(2026, 1, 10))
    assert (a.period, a.number) == ("term-2025-10-16", 1)
    assert (b.period, b.number) == ("2026", 1)


def _race_two_issuers(site, monkeypatch, *, on: datetime.date):
    second_director = make_member(site.center, Membership.Role.DIRECTOR)

    def issuing(subject, user):
        def job():
            with scopes_disabled():
                return issue(site.center, on=on, subject=subject, by=user).number

        return job

    race = Race(monkeypatch, documents, "number_text")
    return race.run(
        issuing("Kế hoạch lớp A", site.director),
        issuing("Kế hoạch lớp B", second_director),
    )


@pytest.mark.django_db(transaction=True)
def test_two_issuers_at_once_get_consecutive_numbers_of_the_year(site_a, monkeypatch):
    with scopes_disabled():
        issue(site_a.center, on=datetime.date(2026, 2, 1))
    first, second = _race_two_issuers(site_a, monkeypatch, on=datetime.date(2026, 3, 1))
    assert (first, second) == (2, 3)
    with scopes_disabled():
        assert numbers(site_a.center) == ["1-KH/TTCT", "2-KH/TTCT", "3-KH/TTCT"]


@pytest.mark.django_db(transaction=True)
def test_two_issuers_at_once_get_consecutive_numbers_of_the_term(
    site_a, monkeypatch, freeze_today
):
    freeze_today(datetime.date(2026, 12, 1))
    with scopes_disabled():
        documents.set_period(
            site_a.center.organization, "term", TERM_START, by=site_a.director
        )
        issue(site_a.center, on=datetime.date(2025, 12, 1))
    first, second = _race_two_issuers(site_a, monkeypatch, on=datetime.date(2027, 1, 4))
    assert (first, second) == (2, 3)
    with scopes_disabled():
        periods = OutgoingDocument.objects.values_list("period", flat=True)
        assert set(periods) == {"term-2025-10-16"}
        assert numbers(site_a.center) == ["1-KH/TTCT", "2-KH/TTCT", "3-KH/TTCT"]
