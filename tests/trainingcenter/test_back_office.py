"""What an administrator and a user notice in the back office and header."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_center, make_organization, make_user
from trainingcenter.models import Membership, Organization


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_organizations_sort_the_vietnamese_way():
    names = [
        "Ủy ban nhân dân",
        "Đoàn Thanh niên",
        "Uông Bí",
        "Dân vận",
        "Đảng bộ",
        "Zeta",
    ]
    for name in names:
        make_organization(name=name)
    ordered = list(Organization.objects.values_list("name", flat=True))
    assert ordered == [
        "Dân vận",
        "Đảng bộ",
        "Đoàn Thanh niên",
        "Uông Bí",
        "Ủy ban nhân dân",
        "Zeta",
    ]


@pytest.mark.django_db
def test_centre_slug_is_made_from_the_name_without_diacritics():
    center = make_center(slug="", name="Trung tâm Chính trị Đức Trọng")
    assert center.slug == "trung-tam-chinh-tri-duc-trong"


@pytest.mark.django_db
def test_header_writes_the_name_family_name_first(site_a):
    user = site_a.staff
    user.first_name, user.last_name = "Hòa", "Nguyễn Thị"
    user.save()
    client = Client()
    client.force_login(user)
    assert (
        "Nguyễn Thị Hòa"
        in client.get(reverse("reports:dashboard", args=["trung-tam-a"])).text
    )


def test_membership_without_centre_or_organization_is_explained_in_vietnamese(
    admin_client, site_a
):
    before = Membership.objects.count()
    response = admin_client.post(
        reverse("admin:trainingcenter_membership_add"),
        {"user": site_a.staff.pk, "role": "staff"},
    )
    assert response.status_code == 200
    assert "Cán bộ và giám đốc thuộc một trung tâm" in response.text
    assert Membership.objects.count() == before


def test_centre_admin_has_no_view_on_site_link(admin_client, site_a):
    page = admin_client.get(
        reverse("admin:trainingcenter_center_change", args=[site_a.center.pk])
    ).text
    assert f'href="/c/{site_a.center.slug}/"' not in page


def test_export_page_allows_only_its_own_inline_handler(admin_client):
    response = admin_client.get(reverse("admin:trainingcenter_organization_export"))
    script_src = [
        p for p in response["Content-Security-Policy"].split(";") if "script-src" in p
    ][0]
    assert "'unsafe-hashes'" in script_src and "'sha256-" in script_src
    assert "'unsafe-inline'" not in script_src
    other = admin_client.get(reverse("admin:trainingcenter_organization_changelist"))
    assert "unsafe-hashes" not in other["Content-Security-Policy"]
