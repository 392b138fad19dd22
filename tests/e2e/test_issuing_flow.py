"""The director writes the assessment, issues the report with a number, and
later sees that the data under it changed, in Chromium."""

import datetime

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from enrollment.models import Enrollment
from tests.factories import make_center, make_class, make_enrollment, make_member
from trainingcenter.models import Membership

PASSWORD = "một câu mật khẩu thật dài 2026"


@pytest.mark.django_db(transaction=True)
def test_director_writes_and_issues_the_report(live_server, page, screenshot):
    call_command("loaddata", "class_types", verbosity=0)
    with scopes_disabled():
        center = make_center(
            slug="da-lat",
            name="Trung tâm Chính trị Đà Lạt",
            director_name="Nguyễn Thị Hòa",
        )
        make_member(
            center, Membership.Role.DIRECTOR, username="giamdoc", password=PASSWORD
        )
        klass = make_class(center, start_date=datetime.date(2026, 3, 2))
        for _ in range(3):
            make_enrollment(klass, status=Enrollment.Status.COMPLETED)

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "giamdoc")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/c/da-lat/report/?kind=year&year=2026")
    screenshot("issuing-00-report")
    page.get_by_role("link", name="Đánh giá, phương hướng").click()
    page.fill("textarea[name=strengths]", "Các lớp mở đúng kế hoạch.")
    page.fill("textarea[name=directions]", "Mở đủ các lớp năm 2027.")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu nội dung báo cáo.")).to_be_visible()
    screenshot("issuing-01-text")

    page.goto(f"{live_server.url}/c/da-lat/report/issue/?kind=year&year=2026")
    assert page.locator("#next-number").inner_text() == "Số 1-BC/TTCT"
    screenshot("issuing-02-confirm")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/report/issued/*/")
    expect(page.locator("#data-unchanged")).to_be_visible()
    screenshot("issuing-03-issued")

    with scopes_disabled():
        make_enrollment(klass, status=Enrollment.Status.COMPLETED)
    page.reload()
    expect(page.locator("#data-changed")).to_be_visible()
    screenshot("issuing-04-changed")
    page.goto(f"{live_server.url}/c/da-lat/report/issued/")
    assert "1-BC/TTCT" in page.locator("#issued-reports").inner_text()
    screenshot("issuing-05-list")
