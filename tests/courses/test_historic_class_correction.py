"""A director corrects a class from before the system; the history shows who."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from courses.models import TrainingClass
from tests.conftest import table_snapshot
from tests.factories import make_class, make_user

pytestmark = pytest.mark.django_db


def historic(center, **fields):
    fields = {
        "historic": True,
        "status": TrainingClass.Status.CLOSED,
        "start_date": datetime.date(2017, 3, 12),
        "end_date": datetime.date(2017, 3, 16),
        "declared_enrolled": 120,
        **fields,
    }
    return make_class(center, **fields)


def correct_url(site, training_class):
    return reverse("courses:class_correct", args=[site.center.slug, training_class.pk])


CORRECTION = {
    "intake_label": "khóa I",
    "start_date": "2017-03-12",
    "end_date": "2017-03-16",
    "venue": "Hội trường huyện",
    "counted_in_plan": "on",
    "declared_called": "1607",
    "declared_attended": "1546",
    "declared_enrolled": "1546",
    "declared_completed": "",
    "declared_certified": "",
    "co_organizer_names": "Hội Cựu chiến binh huyện",
    "certificate_issuer": "",
    "issuer_name": "Ban Thường vụ Huyện ủy",
    "reason": "Theo báo cáo tổng kết năm 2017",
}


def test_the_director_corrects_a_past_class_and_the_history_shows_who(site_a):
    with scopes_disabled():
        training_class = historic(site_a.center)
    site_a.director.first_name = "Lê Thị Ánh"
    site_a.director.save()
    client = Client()
    client.force_login(site_a.director)
    page = client.get(training_class.get_absolute_url()).text
    assert correct_url(site_a, training_class) in page
    response = client.post(correct_url(site_a, training_class), CORRECTION)
    assert response.status_code == 302
    with scopes_disabled():
        training_class.refresh_from_db()
        assert (
            training_class.declared_called,
            training_class.declared_attended,
            training_class.declared_enrolled,
            training_class.declared_completed,
        ) == (1607, 1546, 1546, None)
        last = training_class.history.first()
        assert last.history_user == site_a.director
        assert last.history_change_reason == "Theo báo cáo tổng kết năm 2017"
    page = client.get(training_class.get_absolute_url()).text
    history = page.split('id="class-history"', 1)[1]
    assert "Lê Thị Ánh" in history
    assert "120 → 1.546" in history
    assert "Theo báo cáo tổng kết năm 2017" in history
    numbers = page.split('id="declared-numbers"', 1)[1].split("</dl>", 1)[0]
    assert "chưa rõ" in numbers and "1.607" in numbers


def test_a_correction_with_more_completed_than_enrolled_changes_nothing(site_a):
    with scopes_disabled():
        training_class = historic(site_a.center)
    client = Client()
    client.force_login(site_a.director)
    before = table_snapshot()
    response = client.post(
        correct_url(site_a, training_class),
        {**CORRECTION, "declared_completed": "2000"},
    )
    assert response.status_code == 200
    assert "Số hoàn thành nhiều hơn số học viên" in response.text
    assert table_snapshot() == before


def test_staff_cannot_correct_a_past_class(site_a):
    with scopes_disabled():
        training_class = historic(site_a.center)
    client = Client()
    client.force_login(site_a.staff)
    before = table_snapshot()
    assert client.get(correct_url(site_a, training_class)).status_code == 403
    assert (
        client.post(correct_url(site_a, training_class), CORRECTION).status_code == 403
    )
    assert table_snapshot() == before
    page = client.get(training_class.get_absolute_url()).text
    assert correct_url(site_a, training_class) not in page


def test_another_centres_class_is_404(site_a, site_b):
    with scopes_disabled():
        training_class = historic(site_b.center)
    client = Client()
    client.force_login(site_a.director)
    url = reverse("courses:class_correct", args=[site_a.center.slug, training_class.pk])
    before = table_snapshot()
    assert client.get(url).status_code == 404
    assert client.post(url, CORRECTION).status_code == 404
    assert table_snapshot() == before


def test_a_class_with_a_roster_cannot_be_corrected_this_way(site_a):
    with scopes_disabled():
        training_class = make_class(site_a.center, status=TrainingClass.Status.CLOSED)
    client = Client()
    client.force_login(site_a.director)
    assert client.get(correct_url(site_a, training_class)).status_code == 404


def test_a_user_outside_the_centre_gets_404(site_a):
    with scopes_disabled():
        training_class = historic(site_a.center)
    client = Client()
    client.force_login(make_user())
    assert client.get(correct_url(site_a, training_class)).status_code == 404
