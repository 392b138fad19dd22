"""The class page shows its grade distribution: each grade's count and share
of those assessed, one decimal rounded half up, adding up to 100,0% when
every pass has a grade."""

from decimal import Decimal

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from enrollment.models import Enrollment
from enrollment.services import summaries
from tests.factories import make_class, make_enrollment, make_trainee
from trainingcenter.percent import shares

COMPLETED, FAILED = Enrollment.Status.COMPLETED, Enrollment.Status.FAILED


def test_thirds_add_up_to_one_hundred_by_the_largest_remainder():
    # Half up alone would give 33,3 + 33,3 + 33,3 = 99,9.
    assert shares({"excellent": 1, "good": 1, "average": 1, "failed": 0}) == {
        "excellent": Decimal("0.334"),
        "good": Decimal("0.333"),
        "average": Decimal("0.333"),
        "failed": Decimal("0"),
    }


def test_half_up_stands_when_it_adds_up():
    # 2/3 = 66,67 -> 66,7 and 1/3 = 33,33 -> 33,3: 100,0 as rounded.
    assert shares({"good": 2, "average": 1}) == {
        "good": Decimal("0.667"),
        "average": Decimal("0.333"),
    }
    # 1/8 = 12,5 exactly: half up, kept.
    counts = {"excellent": 1, "good": 7}
    assert shares(counts) == {"excellent": Decimal("0.125"), "good": Decimal("0.875")}
    assert shares({"good": 0}) == {"good": None}


def test_seven_ways_still_add_up():
    # 1/7 each = 14,2857…: half up gives 14,3 x 7 = 100,1; apportioned, 100,0.
    counts = {str(n): 1 for n in range(7)}
    parts = shares(counts)
    assert sum(parts.values()) == 1
    assert sorted(parts.values()) == [Decimal("0.142")] + [Decimal("0.143")] * 6


def distribution_on_the_page(site, training_class) -> str:
    """The class page's grade list, as staff see it."""
    client = Client()
    client.force_login(site.staff)
    page = client.get(training_class.get_absolute_url()).content.decode()
    return page.split('id="grade-distribution"')[1].split("</ul>")[0]


@pytest.mark.django_db
def test_the_class_page_shows_the_distribution(site_a):
    with scopes_disabled():
        training_class = make_class(site_a.center)
        for grade, status in (("Giỏi", COMPLETED), ("Khá", COMPLETED)) + (
            ("Trung bình", COMPLETED),
        ):
            make_enrollment(
                training_class,
                make_trainee(site_a.center),
                status=status,
                score=8,
                grade=grade,
            )
        summaries.refresh([training_class.pk])
    block = distribution_on_the_page(site_a, training_class)
    for text in (
        "Giỏi</strong>: 1 (33,4%)",
        "Khá</strong>: 1 (33,3%)",
        "Trung bình</strong>: 1 (33,3%)",
        "Không đạt</strong>: 0 (0,0%)",
    ):
        assert text in block, text


def test_passes_without_a_grade_count_in_the_whole():
    """A programme assessed only Đạt / Không đạt: 4 not passed of 248 is 1,6%,
    not 100%; the grades' shares add up to what was graded."""
    from reports.tables import Figures

    figures = Figures(completed=248, passed=244, listed_passed=244, failed=4)
    assert figures.assessed == 248
    assert figures.grade_shares() == {
        "excellent": Decimal("0"),
        "good": Decimal("0"),
        "average": Decimal("0"),
        "failed": Decimal("0.016"),
    }
    # Every pass graded: the shares of the graded, adding up to 100,0%.
    graded = Figures(passed=3, listed_passed=3, excellent=1, good=1, average=1)
    assert graded.grade_share("excellent") == Decimal("0.334")
    assert Figures(passed=12).grade_share("failed") is None  # nothing graded
    # A class from before the system declares 28 passes and no grades: they
    # are not in the whole of the graded classes beside it.
    beside = Figures(passed=31, listed_passed=3, excellent=1, good=1, average=1)
    assert beside.grade_share("good") == Decimal("0.333")


@pytest.mark.django_db
def test_the_class_page_of_a_pass_or_fail_class(site_a):
    with scopes_disabled():
        training_class = make_class(site_a.center)
        for status in (COMPLETED, COMPLETED, COMPLETED, FAILED):
            make_enrollment(training_class, make_trainee(site_a.center), status=status)
        summaries.refresh([training_class.pk])
    block = distribution_on_the_page(site_a, training_class)
    assert "Không đạt</strong>: 1 (25,0%)" in block
    assert "Giỏi</strong>: 0 (0,0%)" in block
