"""A member of staff logs in and sees the Vietnamese dashboard."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import make_center, make_member
from trainingcenter.models import Membership

PASSWORD = "một câu mật khẩu thật dài 2026"


@pytest.mark.django_db(transaction=True)
def test_staff_logs_in_and_sees_the_vietnamese_dashboard(live_server, page, screenshot):
    call_command("loaddata", "class_types", verbosity=0)
    center = make_center(slug="da-lat", name="Trung tâm Chính trị Đà Lạt")
    make_member(center, Membership.Role.STAFF, username="canbo", password=PASSWORD)

    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    screenshot("login")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/c/da-lat/")

    assert page.locator("h1").inner_text() == "Trung tâm Chính trị Đà Lạt"
    expect(page.get_by_text("Chưa mở lớp nào")).to_be_visible()
    assert (
        page.locator(".stat").first.inner_text() == "16"
    )  # programmes in the catalogue
    expect(page.get_by_role("link", name="Giảng viên").first).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "vi"
    path = screenshot("dashboard")
    assert path.stat().st_size > 10_000

    # Every asset is vendored: no page asks another host for anything.
    assert requested and all(url.startswith(live_server.url) for url in requested)

    # At 1280 px the bar keeps one line: the centre's menu, then the account menu.
    tops = {
        round(box["y"] + box["height"] / 2)
        for box in (
            item.bounding_box()
            for item in page.locator("#main-nav .nav-link, #account-menu").all()
        )
    }
    assert len(tops) == 1, tops
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_hidden()
    page.locator("#account-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
