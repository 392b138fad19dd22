"""The number a class asks of each sending unit: staff set it on a page from
the class page, the class page shows the sum as "Số triệu tập", and bad input
(a negative number, a unit of another province, a unit twice) saves
nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from courses.models import UnitQuota
from tests.conftest import table_snapshot
from tests.factories import make_class, make_organization

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def quotas_url(site, klass) -> str:
    return reverse("courses:class_quotas", args=[site.center.slug, klass.pk])


def new_class(site, **fields):
    with scopes_disabled():
        return make_class(site.center, **fields)


def unit_of(site, name):
    """A commune of the centre's province."""
    return make_organization(name=name, parent=site.center.organization.parent)


def post_data(lines, existing=()) -> dict:
    """The formset's POST: `existing` quotas first (kept as they are unless a
    line replaces them), then the new lines (unit pk, number)."""
    data = {
        "quota-TOTAL_FORMS": str(len(existing) + len(lines)),
        "quota-INITIAL_FORMS": str(len(existing)),
        "quota-MIN_NUM_FORMS": "0",
        "quota-MAX_NUM_FORMS": "1000",
    }
    for index, quota in enumerate(existing):
        data[f"quota-{index}-id"] = str(quota.pk)
        data[f"quota-{index}-organization"] = str(quota.organization_id)
        data[f"quota-{index}-number"] = str(quota.number)
    for index, (unit, number) in enumerate(lines, start=len(existing)):
        data[f"quota-{index}-organization"] = str(unit)
        data[f"quota-{index}-number"] = str(number)
    return data


def saved(klass) -> dict[str, int]:
    with scopes_disabled():
        return {
            quota.organization.name: quota.number
            for quota in UnitQuota.objects.filter(training_class=klass)
        }


def test_staff_set_each_units_number_and_the_class_page_shows_their_sum(site_a):
    klass = new_class(site_a)
    tan_phu, hoa_binh = (
        unit_of(site_a, "Đảng ủy xã Tân Phú"),
        unit_of(site_a, "Đảng ủy xã Hòa Bình"),
    )
    staff = client_for(site_a.staff)
    page = staff.get(klass.get_absolute_url()).content.decode()
    assert "Phân bổ số lượng triệu tập" in page and quotas_url(site_a, klass) in page
    assert "Số triệu tập" not in page  # no number set yet
    form = staff.get(quotas_url(site_a, klass)).content.decode()
    assert "Đảng ủy xã Tân Phú" in form  # a unit of the province to choose
    response = staff.post(
        quotas_url(site_a, klass), post_data([(tan_phu.pk, 15), (hoa_binh.pk, 10)])
    )
    assert response.status_code == 302
    assert saved(klass) == {"Đảng ủy xã Tân Phú": 15, "Đảng ủy xã Hòa Bình": 10}
    page = staff.get(klass.get_absolute_url()).content.decode()
    assert "Đã lưu phân bổ số lượng triệu tập." in page
    assert "Số triệu tập" in page and "25 (phân bổ cho 2 đơn vị)" in page
    # The director changes one number and removes the other.
    with scopes_disabled():
        first, second = UnitQuota.objects.order_by("organization__name")
    data = post_data([], existing=[first, second])
    data["quota-0-number"] = "12"
    data["quota-1-DELETE"] = "on"
    assert client_for(site_a.director).post(quotas_url(site_a, klass), data)
    assert saved(klass) == {"Đảng ủy xã Hòa Bình": 12}


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("negative", "số nguyên từ 1 đến 999"),
        ("zero", "số nguyên từ 1 đến 999"),
        ("not a number", "số nguyên từ 1 đến 999"),
        ("another province", "Hãy chọn một đơn vị thuộc tỉnh của trung tâm"),
        ("twice", "có hai dòng: mỗi đơn vị chỉ ghi một số lượng"),
    ],
)
def test_bad_input_changes_nothing(site_a, site_b, case, message):
    klass = new_class(site_a)
    tan_phu = unit_of(site_a, "Đảng ủy xã Tân Phú")
    hoa_binh = unit_of(site_a, "Đảng ủy xã Hòa Bình")
    with scopes_disabled():
        kept = UnitQuota.objects.create(
            training_class=klass, organization=hoa_binh, number=10
        )
    elsewhere = unit_of(site_b, "Đảng ủy xã Ở Tỉnh Khác")
    line = {
        "negative": (tan_phu.pk, -5),
        "zero": (tan_phu.pk, 0),
        "not a number": (tan_phu.pk, "mười"),
        "another province": (elsewhere.pk, 5),
        "twice": (hoa_binh.pk, 5),
    }[case]
    data = post_data([(tan_phu.pk, 7), line], existing=[kept])
    if case == "twice":
        data = post_data([line], existing=[kept])
    data["quota-0-number"] = "20"  # a good change on the same post is not kept
    before = table_snapshot()
    response = client_for(site_a.staff).post(quotas_url(site_a, klass), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert table_snapshot() == before
    assert saved(klass) == {"Đảng ủy xã Hòa Bình": 10}


def test_another_centres_class_is_404_and_a_committee_may_not_edit(site_a, site_b):
    klass = new_class(site_a)
    unit = unit_of(site_a, "Đảng ủy xã Tân Phú")
    before = table_snapshot()
    staff_b = client_for(site_b.staff)
    foreign = reverse("courses:class_quotas", args=[site_b.center.slug, klass.pk])
    assert staff_b.get(foreign).status_code == 404
    assert staff_b.post(foreign, post_data([(unit.pk, 5)])).status_code == 404
    assert staff_b.get(quotas_url(site_a, klass)).status_code in (403, 404)
    committee = client_for(site_a.committee)
    assert (
        committee.post(quotas_url(site_a, klass), post_data([(unit.pk, 5)])).status_code
        == 403
    )
    assert table_snapshot() == before


def test_a_closed_class_keeps_its_numbers(site_a):
    klass = new_class(site_a, status="closed")
    unit = unit_of(site_a, "Đảng ủy xã Tân Phú")
    before = table_snapshot()
    staff = client_for(site_a.staff)
    response = staff.post(quotas_url(site_a, klass), post_data([(unit.pk, 5)]))
    assert response.status_code == 302
    assert table_snapshot() == before
    page = staff.get(klass.get_absolute_url()).content.decode()
    assert quotas_url(site_a, klass) not in page
