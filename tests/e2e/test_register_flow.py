"""The director opens the register of outgoing documents, filters it, and
switches its numbering to the committee's term, in Chromium."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tests.factories import make_center, make_member
from tests.trainingcenter.documents import issue
from trainingcenter.models import Membership

PASSWORD = "một câu mật khẩu thật dài 2026"


@pytest.mark.django_db(transaction=True)
def test_director_reads_the_register_and_numbers_per_term(
    live_server, page, screenshot
):
    today = timezone.localdate()
    with scopes_disabled():
        center = make_center(slug="da-lat", name="Trung tâm Chính trị Đà Lạt")
        make_member(
            center, Membership.Role.DIRECTOR, username="giamdoc", password=PASSWORD
        )
        for days, kind, subject in [
            (40, "BC", f"Báo cáo tổng kết công tác năm {today.year - 1}"),
            (30, "KH", "Kế hoạch mở lớp bồi dưỡng lý luận chính trị cho đảng viên mới"),
            (20, "GTT", "Giấy triệu tập học viên lớp đảng viên mới khóa 3"),
            (10, "QĐ", "Quyết định công nhận kết quả học tập lớp đảng viên mới"),
            (5, "KH", "Kế hoạch mở lớp nhận thức về Đảng"),
        ]:
            issue(
                center, kind, on=today - datetime.timedelta(days=days), subject=subject
            )

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "giamdoc")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.get_by_role("link", name="Văn bản đi").click()
    table = page.locator("#outgoing-documents")
    expect(table.locator("tbody tr")).to_have_count(5)
    screenshot("register-00-list")
    page.select_option("#id_kind", "KH")
    page.get_by_role("button", name="Xem").click()
    expect(table.locator("tbody tr")).to_have_count(2)
    screenshot("register-01-plans")

    page.get_by_role("link", name="Cách đánh số").click()
    page.check("input[name=period][value=term]")
    start = today - datetime.timedelta(days=4)
    page.fill("#id_term_start", start.strftime("%d/%m/%Y"))
    screenshot("register-02-period")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/documents/")
    assert (
        f"Nhiệm kỳ từ {start:%d/%m/%Y}"
        in page.locator("#numbering-period").inner_text()
    )
    screenshot("register-03-per-term")
