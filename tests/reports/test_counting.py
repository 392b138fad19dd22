"""The counting rules every figure follows."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from courses.models import TrainingClass
from enrollment.models import Enrollment
from reports import counting
from tests.factories import make_class, make_enrollment, make_trainee


@pytest.mark.django_db
def test_totals_count_enrolments_persons_and_declared_classes(site_a, site_b):
    with scopes_disabled():
        january = make_class(
            site_a.center,
            start_date=datetime.date(2026, 1, 5),
            end_date=datetime.date(2026, 1, 9),
        )
        december_before = make_class(
            site_a.center,
            start_date=datetime.date(2025, 12, 29),
            end_date=datetime.date(2026, 1, 2),
        )
        historic = make_class(
            site_a.center,
            start_date=datetime.date(2026, 6, 1),
            end_date=datetime.date(2026, 6, 3),
            declared_enrolled=120,
        )
        make_class(site_b.center)  # another centre's class never counts
        same_person = make_trainee(site_a.center)
        make_enrollment(january, same_person)
        make_enrollment(december_before, same_person)
        second = make_class(
            site_a.center,
            start_date=datetime.date(2026, 2, 2),
            end_date=datetime.date(2026, 2, 6),
        )
        make_enrollment(second, same_person)
        make_enrollment(second, status=Enrollment.Status.WITHDRAWN)
        make_enrollment(second)
        totals = counting.totals(
            TrainingClass.objects.filter(center=site_a.center),
            counting.Period.year(2026),
        )
    # Classes open in 2026: january, historic, second (december_before opened in 2025).
    assert totals == counting.Totals(classes=3, enrollments=3 + 120, persons=2)
    assert historic.pk


@pytest.mark.django_db
def test_dashboard_shows_the_years_figures_in_vietnamese_format(site_a, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 9, 0))
    with scopes_disabled():
        make_class(
            site_a.center,
            start_date=datetime.date(2026, 3, 2),
            end_date=datetime.date(2026, 3, 6),
            declared_enrolled=1234,
        )
    client = Client()
    client.force_login(site_a.director)
    page = client.get(reverse("reports:dashboard", args=[site_a.center.slug])).text
    assert "Năm 2026" in page
    assert "1.234" in page


@pytest.mark.django_db
def test_the_dashboards_parts_add_up_to_the_classes_opened(site_a, time_machine):
    """A class of the year that starts next week counts in the year; the line
    under the figure says so instead of leaving it unaccounted for."""
    time_machine.move_to(datetime.datetime(2026, 12, 4, 9, 0))
    with scopes_disabled():
        for start, status in (
            (datetime.date(2026, 3, 2), TrainingClass.Status.CLOSED),
            (datetime.date(2026, 12, 7), TrainingClass.Status.PLANNED),
        ):
            make_class(
                site_a.center,
                start_date=start,
                end_date=start + datetime.timedelta(days=4),
                status=status,
            )
    client = Client()
    client.force_login(site_a.director)
    page = client.get(reverse("reports:dashboard", args=[site_a.center.slug])).text
    assert "1 lớp đã bế giảng, 0 lớp đang học, 1 lớp chưa khai giảng" in page


@pytest.mark.django_db
def test_committee_dashboard_has_no_dead_links(site_a, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 9, 0))
    with scopes_disabled():
        make_class(site_a.center)
    client = Client()
    client.force_login(site_a.committee)
    page = client.get(reverse("reports:dashboard", args=[site_a.center.slug])).text
    assert "Bồi dưỡng nhận thức về Đảng" in page
    assert 'href="#"' not in page
    assert "/classes/" not in page
