"""The lecturer registry pages: the centre's own units only, extra fields ignored."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from courses.models import Lecturer
from tests.conftest import table_snapshot
from tests.factories import make_lecturer, make_organization


@pytest.fixture
def staff_client(site_a):
    client = Client()
    client.force_login(site_a.staff)
    return client


@pytest.mark.django_db
def test_staff_adds_a_lecturer_with_a_unit_of_the_centre(site_a, staff_client):
    unit = make_organization(
        parent=site_a.center.organization.parent, name="Chi bộ Khu 5"
    )
    response = staff_client.post(
        reverse("courses:lecturer_create", args=[site_a.center.slug]),
        {
            "full_name": "Đặng Thị Thu",
            "kind": "concurrent",
            "unit": unit.pk,
            "is_active": "on",
        },
        follow=True,
    )
    assert "Đã thêm giảng viên Đặng Thị Thu" in response.text
    with scopes_disabled():
        lecturer = Lecturer.objects.get()
    assert (lecturer.center, lecturer.unit, lecturer.kind) == (
        site_a.center,
        unit,
        "concurrent",
    )


@pytest.mark.django_db
def test_another_centres_unit_is_refused_and_nothing_saved(
    site_a, site_b, staff_client
):
    foreign_unit = make_organization(parent=site_b.center.organization.parent)
    before = table_snapshot()
    response = staff_client.post(
        reverse("courses:lecturer_create", args=[site_a.center.slug]),
        {"full_name": "Đặng Thị Thu", "kind": "concurrent", "unit": foreign_unit.pk},
    )
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.text
    assert table_snapshot() == before


@pytest.mark.django_db
def test_extra_fields_are_ignored(site_a, site_b, staff_client):
    """Mass assignment: a posted centre never moves the lecturer."""
    staff_client.post(
        reverse("courses:lecturer_create", args=[site_a.center.slug]),
        {
            "full_name": "Lý Văn Sáu",
            "kind": "full_time",
            "center": site_b.center.pk,
            "name_key": "x",
            "is_staff": "on",
        },
    )
    with scopes_disabled():
        lecturer = Lecturer.objects.get()
    assert lecturer.center == site_a.center
    assert lecturer.name_key == "ly van sau"


@pytest.mark.django_db
def test_bad_input_gets_a_vietnamese_message(site_a, staff_client):
    before = table_snapshot()
    response = staff_client.post(
        reverse("courses:lecturer_create", args=[site_a.center.slug]),
        {"full_name": "", "kind": "wizard"},
    )
    assert "Trường này là bắt buộc" in response.text
    assert "không phải là một trong các lựa chọn" in response.text
    assert table_snapshot() == before


@pytest.mark.django_db
def test_search_ignores_diacritics_and_names_are_escaped(site_a, staff_client):
    make_lecturer(site_a.center, full_name="Nguyễn Thị Hoà")
    make_lecturer(site_a.center, full_name="<script>alert(1)</script> Trần")
    url = reverse("courses:lecturer_list", args=[site_a.center.slug])
    response = staff_client.get(url, {"q": "nguyen thi hoa"})
    assert "Nguyễn Thị Hoà" in response.text
    assert "Trần" not in response.text
    page = staff_client.get(url).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.django_db
def test_edit_keeps_the_lecturer_in_the_centre(site_a, staff_client):
    lecturer = make_lecturer(site_a.center)
    url = reverse("courses:lecturer_update", args=[site_a.center.slug, lecturer.pk])
    assert staff_client.get(url).status_code == 200
    staff_client.post(url, {"full_name": "Nguyễn Văn Bình", "kind": "guest"})
    lecturer.refresh_from_db()
    assert (lecturer.full_name, lecturer.kind) == ("Nguyễn Văn Bình", "guest")
