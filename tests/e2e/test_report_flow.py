"""The director opens the summary report in Chromium, switches to a term and
sees the figures and charts."""

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
def test_director_reads_the_report_for_a_year_and_a_term(live_server, page, screenshot):
    call_command("loaddata", "class_types", verbosity=0)
    with scopes_disabled():
        center = make_center(slug="da-lat", name="Trung tâm Chính trị Đà Lạt")
        make_member(
            center, Membership.Role.DIRECTOR, username="giamdoc", password=PASSWORD
        )
        for year, people in ((2024, 3), (2025, 2), (2026, 4)):
            klass = make_class(
                center,
                start_date=datetime.date(year, 3, 2),
                end_date=datetime.date(year, 3, 6),
            )
            for _ in range(people):
                make_enrollment(klass, status=Enrollment.Status.COMPLETED)
        make_class(
            center,
            start_date=datetime.date(2023, 5, 4),
            end_date=datetime.date(2023, 5, 8),
            declared_enrolled=120,
        )

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "giamdoc")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/c/da-lat/report/?kind=year&year=2026")
    assert page.locator("#stat-classes").inner_text() == "1"
    assert page.locator("#stat-enrolled").inner_text() == "4"
    assert page.locator("#stat-change").inner_text() == "+2"
    # Charts are pictures drawn on the server: they load, and run nothing.
    charts = page.locator(".report-charts img")
    assert charts.count() >= 2
    assert all(
        charts.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
        for i in range(charts.count())
    )
    # At 1280 px Biểu 1's twenty columns fit: no figure hides to the right.
    widths = page.locator("table.bieu1").evaluate(
        "t => [t.scrollWidth, t.parentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    screenshot("report-01-year")

    page.select_option("select[name=kind]", "term")
    expect(page.locator("input[name=year]")).to_be_hidden()
    page.fill("input[name=from_year]", "2023")
    page.fill("input[name=to_year]", "2026")
    page.locator("form.report-period button[type=submit]").click()
    page.wait_for_url("**kind=term**")
    # 4 classes; 4 + 2 + 3 enrolments and the historic class's 120.
    assert page.locator("#stat-classes").inner_text() == "4"
    assert page.locator("#stat-enrolled").inner_text() == "129"
    screenshot("report-02-term")
