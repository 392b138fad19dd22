"""Issuing asks once with the number it will give, and names who already
holds a standing certificate of the same programme from another class: the
new members' course is taken once."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from enrollment.models import Certificate, Enrollment
from tests.conftest import table_snapshot
from tests.factories import (
    make_certificate,
    make_class,
    make_class_type,
    make_enrollment,
)


@pytest.fixture
def second_course(site_a):
    """Lê Thị Vân passed the new members' course in March and holds its
    certificate; she passed it again in June."""
    with scopes_disabled():
        new_members = make_class_type(code="dang-vien-moi")
        first = make_certificate(site_a.center)
        first_class = first.enrollment.training_class
        first_class.class_type = new_members
        first_class.save()
        person = first.enrollment.trainee
        person.full_name = "Lê Thị Vân"
        person.save()
        again = make_class(
            site_a.center,
            class_type=new_members,
            status="closed",
            start_date=datetime.date(2026, 6, 1),
            end_date=datetime.date(2026, 6, 5),
        )
        enrollment = make_enrollment(
            again, person, status=Enrollment.Status.COMPLETED, grade="Khá"
        )
    return again, enrollment, first


@pytest.mark.django_db
def test_issuing_names_who_already_holds_one_and_gives_one_number(
    site_a, second_course
):
    again, enrollment, first = second_course
    client = Client()
    client.force_login(site_a.director)
    before = table_snapshot()
    asked = client.post(
        reverse("enrollment:certificates_issue", args=[site_a.center.slug, again.pk]),
        {
            "issued_on": "2026-06-10",
            "signer_title": "GIÁM ĐỐC",
            "signer_name": "Nguyễn Thị Hòa",
            "enrollment": [enrollment.pk],
        },
    )
    assert asked.status_code == 200
    text = asked.text
    assert "1 giấy chứng nhận sẽ được cấp số " in text
    assert " đến " not in text.split("sẽ được cấp số", 1)[1].split("</li>", 1)[0]
    assert (
        "Đã có giấy chứng nhận của chương trình này ở lớp khác: "
        f"Lê Thị Vân ({first.number_text})"
    ) in text
    assert table_snapshot() == before
    with scopes_disabled():
        assert Certificate.objects.count() == 1
