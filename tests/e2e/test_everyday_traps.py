"""The traps of a clerk's and a director's day, walked in Chromium: the results
grid, closing and reopening a class, dates on an English browser, warnings in
the enrolment search."""

import datetime
import re

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from courses.models import TrainingClass
from enrollment.models import Enrollment
from tests.e2e.conftest import ARTIFACTS
from tests.factories import (
    make_center,
    make_class,
    make_class_type,
    make_enrollment,
    make_member,
    make_session,
    make_trainee,
)
from trainingcenter.models import Membership

PASSWORD = "một câu mật khẩu thật dài 2026"
# In the grid's order: by given name, the Vietnamese way.
NAMES = ("Lê Thị Ánh", "Trần Văn Đức", "Nguyễn Thị Hòa")


@pytest.fixture
def centre(transactional_db):
    call_command("loaddata", "class_types", verbosity=0)
    with scopes_disabled():
        center = make_center(slug="da-lat", name="Trung tâm Chính trị Đà Lạt")
        make_member(center, Membership.Role.STAFF, username="canbo", password=PASSWORD)
        make_member(
            center, Membership.Role.DIRECTOR, username="giamdoc", password=PASSWORD
        )
    return center


def log_in(page, base: str, username: str = "canbo") -> None:
    page.goto(f"{base}/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/c/da-lat/")


def class_with_roster(center, outcome=Enrollment.Status.ENROLLED, **fields):
    """Two sessions held (of `sessions` planned), three trainees."""
    with scopes_disabled():
        training_class = make_class(center, **fields)
        for part in (1, 2):
            make_session(training_class, part=part)
        for name in NAMES:
            make_enrollment(
                training_class, make_trainee(center, full_name=name), status=outcome
            )
    return training_class


def test_enter_in_the_results_grid_moves_down_and_saves_nothing(
    live_server, centre, page, screenshot
):
    training_class = class_with_roster(centre)
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}{training_class.get_absolute_url()}")
    page.get_by_role("link", name="Nhập kết quả").click()
    page.wait_for_url(re.compile("/results/$"))
    page.wait_for_load_state("load")  # the grid's script has run
    grid_url = page.url
    first, second, third = (page.get_by_label(name) for name in NAMES)
    first.fill("8")
    first.press("Enter")
    assert second.evaluate("cell => cell === document.activeElement")
    second.press_sequentially("11")  # out of range: marked as it is typed
    assert "is-invalid" in second.get_attribute("class")
    second.press("ArrowDown")
    assert third.evaluate("cell => cell === document.activeElement")
    third.press_sequentially("7,5")
    third.press("Enter")  # the last row: stays, still nothing sent
    screenshot("traps-01-results-grid")
    assert page.url == grid_url
    assert page.get_by_text("Đã lưu kết quả.").count() == 0
    with scopes_disabled():
        assert not Enrollment.objects.exclude(score=None).exists()

    # Leaving with unsaved values asks first.
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    programme = page.get_by_role("link", name=re.compile("^Bồi dưỡng nhận thức"))
    with page.expect_event("dialog"):  # waited for, however slow the machine
        programme.click()
    assert asked == ["beforeunload"]
    assert page.url == grid_url

    # The server refuses the bad score and keeps every other typed value.
    page.get_by_role("button", name="Lưu kết quả").click()
    page.wait_for_selector("text=Điểm phải từ 0 đến 10")
    assert (first.input_value(), third.input_value()) == ("8", "7,5")
    second.fill("9")
    page.get_by_role("button", name="Lưu kết quả").click()
    page.wait_for_selector("text=Đã lưu kết quả.")
    with scopes_disabled():
        assert Enrollment.objects.exclude(score=None).count() == 3


def test_closing_with_missing_sessions_asks_and_cancel_keeps_it_open(
    live_server, centre, page, screenshot
):
    training_class = class_with_roster(
        centre, Enrollment.Status.COMPLETED, status="in_progress", sessions=14
    )
    log_in(page, live_server.url)
    class_url = f"{live_server.url}{training_class.get_absolute_url()}"
    page.goto(class_url)
    page.get_by_role("link", name="Chuyển “Đã bế giảng”").click()
    page.wait_for_selector("text=Bế giảng lớp?")
    expect(
        page.get_by_text("Số buổi đã học: 2 trên 14 buổi theo kế hoạch.")
    ).to_be_visible()
    expect(page.get_by_text("12 buổi chưa học.")).to_be_visible()
    screenshot("traps-02-close-confirm")
    page.get_by_role("link", name="Hủy").click()
    page.wait_for_url(class_url)
    training_class.refresh_from_db()
    assert training_class.status == "in_progress"


def test_a_director_reopens_a_closed_class_with_a_reason(
    live_server, centre, page, screenshot
):
    training_class = class_with_roster(
        centre, Enrollment.Status.COMPLETED, status="closed", sessions=2
    )
    log_in(page, live_server.url, "giamdoc")
    page.goto(f"{live_server.url}{training_class.get_absolute_url()}")
    page.get_by_role("link", name="Mở lại lớp").click()
    page.fill("input[name=reason]", "Nhập sai điểm của một học viên")
    screenshot("traps-03-reopen")
    page.get_by_role("button", name="Mở lại lớp").click()
    page.wait_for_selector("text=Đã mở lại lớp")
    history = page.locator("#class-history")
    expect(history.get_by_text("Nhập sai điểm của một học viên")).to_be_visible()
    expect(history.get_by_text(re.compile("Đã bế giảng → Đang học"))).to_be_visible()
    screenshot("traps-04-reopened-history")
    training_class.refresh_from_db()
    assert training_class.status == "in_progress"


def test_an_english_browser_types_and_reads_dates_as_dd_mm_yyyy(
    live_server, centre, browser
):
    context = browser.new_context(
        locale="en-US", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    try:
        log_in(page, live_server.url)
        page.goto(f"{live_server.url}/c/da-lat/classes/")
        page.get_by_role("link", name="Mở lớp").first.click()
        page.get_by_role(
            "link", name=re.compile("^Bồi dưỡng nhận thức về Đảng")
        ).click()
        start = page.locator("input[name=start_date]")
        assert start.get_attribute("placeholder") == "dd/mm/yyyy"
        start.press_sequentially("03122026")  # the slashes come by themselves
        assert start.input_value() == "03/12/2026"
        # No English bubble from the browser: the server answers in Vietnamese.
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_selector("text=Trường này là bắt buộc.")
        start = page.locator("input[name=start_date]")
        assert start.input_value() == "03/12/2026"
        page.locator("input[name=end_date]").fill("05/12/2026")
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_selector("text=Đã mở lớp.")
        with scopes_disabled():
            saved = TrainingClass.objects.get()
        assert (saved.start_date, saved.end_date) == (
            datetime.date(2026, 12, 3),
            datetime.date(2026, 12, 5),
        )
        expect(page.get_by_text("03/12/2026 – 05/12/2026")).to_be_visible()
        page.get_by_role("link", name="Sửa thông tin lớp").click()
        assert page.locator("input[name=start_date]").input_value() == "03/12/2026"
        page.screenshot(path=str(ARTIFACTS / "traps-06-english-browser.png"))
    finally:
        context.close()


def test_the_enrolment_search_shows_the_warning_before_sending(
    live_server, centre, page, screenshot
):
    with scopes_disabled():
        training_class = make_class(
            centre, class_type=make_class_type(code="dang-vien-moi")
        )
        make_trainee(centre, full_name="Hà Văn Quần")
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}{training_class.get_absolute_url()}")
    page.get_by_role("link", name="Ghi danh học viên").click()
    page.locator("#q").press_sequentially("ha van quan", delay=20)
    page.wait_for_selector("label:has-text('Hà Văn Quần')")
    row = page.locator("tr", has=page.get_by_label("Hà Văn Quần"))
    expect(row.get_by_role("cell", name="Quần chúng", exact=True)).to_be_visible()
    expect(row.get_by_text(re.compile("dành cho đảng viên dự bị"))).to_be_visible()
    screenshot("traps-05-enrol-search-warning")
    with scopes_disabled():
        assert not Enrollment.objects.exists()
