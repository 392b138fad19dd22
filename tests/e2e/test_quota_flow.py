"""Staff set how many people a class asks of a unit before anyone is named,
in Chromium: the class page shows the number called, and the summons to the
unit can be drafted."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tests.factories import (
    make_center,
    make_class,
    make_member,
    make_organization,
    make_session,
)
from trainingcenter.models import Membership

PASSWORD = "một câu mật khẩu thật dài 2026"


@pytest.mark.django_db(transaction=True)
def test_staff_set_a_units_number_and_the_summons_asks_for_it(
    live_server, page, screenshot
):
    call_command("loaddata", "class_types", verbosity=0)
    with scopes_disabled():
        center = make_center(slug="da-lat", name="Trung tâm Chính trị Đà Lạt")
        make_member(center, Membership.Role.STAFF, username="canbo", password=PASSWORD)
        klass = make_class(center)
        make_session(klass)
        make_organization(name="Đảng ủy xã Xuân Lộc", parent=center.organization.parent)

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "canbo")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/c/da-lat/classes/{klass.pk}/")
    page.get_by_role("link", name="Phân bổ số lượng triệu tập").click()
    page.select_option("#id_quota-0-organization", label="Đảng ủy xã Xuân Lộc")
    page.fill("#id_quota-0-number", "-3")
    page.locator("#quotas button[type=submit]").click()
    expect(page.locator("#quotas")).to_contain_text("số nguyên từ 1 đến 999")
    screenshot("quota-00-refused")
    page.fill("#id_quota-0-number", "15")
    page.locator("#quotas button[type=submit]").click()
    page.wait_for_url(f"**/classes/{klass.pk}/")
    assert "15 (phân bổ cho 1 đơn vị)" in page.locator("#number-called").inner_text()
    row = page.locator("#paper-summons")
    assert "Dự thảo" in row.inner_text() and "1 đơn vị cử học viên" in row.inner_text()
    screenshot("quota-01-class")
