"""The director of a district centre reads its 2017 report in Chromium: the
classes of the plan by block, and the co-organised summer classes apart with
who was called and who attended."""

import pytest
from django_scopes import scopes_disabled

from tests.factories import make_center, make_member
from tests.reports.test_thoi_lai import record_year
from trainingcenter.models import Membership

PASSWORD = "một câu mật khẩu thật dài 2017"


@pytest.mark.django_db(transaction=True)
def test_director_reads_the_year_as_the_centre_reports_it(
    live_server, page, screenshot
):
    with scopes_disabled():
        center = make_center(slug="thoi-lai", name="Trung tâm Chính trị Thới Lai")
        make_member(
            center, Membership.Role.DIRECTOR, username="giamdoc", password=PASSWORD
        )
    record_year(center)
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "giamdoc")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/c/thoi-lai/report/?kind=year&year=2017")
    assert page.locator("#stat-classes").inner_text() == "41"
    assert page.locator("#stat-outside").inner_text() == (
        "33 lớp trong kế hoạch, 8 lớp ngoài kế hoạch"
    )
    outside = page.locator("#outside-plan tr.row-total")
    assert "1.607" in outside.inner_text() and "96,2%" in outside.inner_text()
    assert "Khối Đảng: 1.394" in page.locator(".report-charts").inner_text()
    screenshot("report-thoi-lai-2017")
