"""Moving between centres, and what the dashboard shows each role."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_center, make_member, make_organization
from trainingcenter.models import Membership


@pytest.mark.django_db
def test_user_of_two_centres_can_switch(site_a, site_b):
    Membership.objects.create(
        user=site_a.staff, role=Membership.Role.STAFF, center=site_b.center
    )
    client = Client()
    client.force_login(site_a.staff)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("center_list")
    listing = client.get(reverse("center_list")).text
    assert "Trung tâm Chính trị A" in listing and "Trung tâm Chính trị B" in listing
    page = client.get(reverse("reports:dashboard", args=[site_b.center.slug])).text
    assert "Chuyển trung tâm" in page
    # The last centre used is where "/" leads next time.
    assert client.get("/")["Location"] == reverse(
        "reports:dashboard", args=[site_b.center.slug]
    )


@pytest.mark.django_db
def test_single_centre_user_goes_straight_to_the_dashboard(site_a):
    client = Client()
    client.force_login(site_a.director)
    assert client.get("/")["Location"] == reverse(
        "reports:dashboard", args=[site_a.center.slug]
    )


@pytest.mark.django_db
def test_user_without_centre_sees_what_to_do():
    from tests.factories import make_user

    client = Client()
    client.force_login(make_user())
    response = client.get("/", follow=True)
    assert "chưa thuộc trung tâm nào" in response.text


@pytest.mark.django_db
def test_committee_sees_every_centre_below_its_organization_only():
    province = make_organization(level="province", name="Đảng bộ tỉnh Thử")
    ward_1 = make_organization(parent=province)
    ward_2 = make_organization(parent=province)
    other_province = make_organization(level="province")
    center_1 = make_center(parent=ward_1, slug="tt-1")
    center_2 = make_center(parent=ward_2, slug="tt-2")
    center_3 = make_center(parent=make_organization(parent=other_province), slug="tt-3")
    user = make_member(center_1, Membership.Role.STAFF)
    Membership.objects.filter(user=user).update(
        role=Membership.Role.COMMITTEE, center=None, organization=province
    )
    client = Client()
    client.force_login(user)
    assert (
        client.get(reverse("reports:dashboard", args=[center_1.slug])).status_code
        == 200
    )
    assert (
        client.get(reverse("reports:dashboard", args=[center_2.slug])).status_code
        == 200
    )
    assert (
        client.get(reverse("reports:dashboard", args=[center_3.slug])).status_code
        == 404
    )


@pytest.mark.django_db
def test_dashboard_leads_staff_to_the_next_step(site_a):
    client = Client()
    client.force_login(site_a.staff)
    page = client.get(reverse("reports:dashboard", args=[site_a.center.slug])).text
    assert "Chưa mở lớp nào" in page
    assert reverse("courses:class_create", args=[site_a.center.slug]) in page


@pytest.mark.django_db
def test_language_can_be_switched_to_english(site_a):
    client = Client()
    client.force_login(site_a.staff)
    url = reverse("reports:dashboard", args=[site_a.center.slug])
    assert "Tổng quan" in client.get(url).text
    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert "Overview" in client.get(url).text


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese(site_a):
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    assert "Đăng nhập" in client.get(reverse("login")).text


@pytest.mark.django_db
def test_superuser_without_centre_is_led_to_the_administration():
    from tests.factories import make_user

    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = client.get("/", follow=True)
    assert reverse("admin:index") in response.text
