"""The director issues a class's certificates in Chromium, prints them, revokes
one, and anyone checks it on the public page."""

import io

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import expect
from pypdf import PdfReader

from enrollment.models import Certificate, Enrollment
from tests.e2e.conftest import ARTIFACTS
from tests.factories import (
    make_center,
    make_class,
    make_enrollment,
    make_member,
    make_trainee,
)
from trainingcenter.models import Membership

PASSWORD = "một câu mật khẩu thật dài 2026"


@pytest.mark.django_db(transaction=True)
def test_director_issues_prints_revokes_and_the_public_checks(
    live_server, page, browser, screenshot
):
    call_command("loaddata", "class_types", verbosity=0)
    with scopes_disabled():
        center = make_center(slug="da-lat", name="Trung tâm Chính trị Đà Lạt")
        make_member(
            center, Membership.Role.DIRECTOR, username="giamdoc", password=PASSWORD
        )
        klass = make_class(center, status="closed", venue="Hội trường A")
        for name in ("Lê Thị Ánh", "Trần Văn Đức", "Phạm Thị Xuân"):
            make_enrollment(
                klass,
                make_trainee(center, full_name=name),
                status=Enrollment.Status.COMPLETED,
                grade="Giỏi",
            )
        make_enrollment(
            klass,
            make_trainee(center, full_name="Võ Văn Rớt"),
            status=Enrollment.Status.FAILED,
        )

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "giamdoc")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}{klass.get_absolute_url()}")
    page.get_by_role("link", name="Giấy chứng nhận", exact=True).click()
    expect(page.get_by_role("checkbox", name="Phạm Thị Xuân")).to_be_visible()
    assert page.get_by_text("Võ Văn Rớt").count() == 0
    page.get_by_role("checkbox", name="Phạm Thị Xuân").uncheck()
    page.fill("#id_signer_name", "Nguyễn Thị Hòa")
    screenshot("certificates-01-issue")
    page.get_by_role("button", name="Cấp cho những học viên đã chọn").click()
    page.wait_for_selector("text=không thể thu hồi số")
    expect(page.get_by_text("từ 1/GCN-TTCT đến 2/GCN-TTCT")).to_be_visible()
    screenshot("certificates-01b-confirm")
    page.get_by_role("button", name="Cấp 2 giấy chứng nhận").click()
    page.wait_for_selector("text=Đã cấp số cho 2 giấy chứng nhận")
    expect(page.get_by_text("Hoàn tất")).to_be_visible()
    screenshot("certificates-02-batch")

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải cả lớp (PDF)").click()
    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    assert len(reader.pages) == 2
    assert "Lê Thị Ánh" in reader.pages[0].extract_text()
    assert "Trần Văn Đức" in reader.pages[1].extract_text()

    page.get_by_role("link", name="Sổ cấp giấy chứng nhận").click()
    expect(page.get_by_role("link", name="2/GCN-TTCT")).to_be_visible()
    screenshot("certificates-03-register")
    page.get_by_role("link", name="2/GCN-TTCT").click()
    page.fill("#id_reason", "Cấp nhầm người")
    page.get_by_role("button", name="Thu hồi").click()
    page.wait_for_selector("text=không thể hoàn tác")
    page.get_by_role("button", name="Thu hồi").click()
    page.wait_for_selector("text=Đã thu hồi giấy chứng nhận số 2/GCN-TTCT")
    screenshot("certificates-04-revoked")

    with scopes_disabled():
        valid, revoked = Certificate.objects.order_by("number")
    public = browser.new_context(locale="vi-VN").new_page()
    public.goto(f"{live_server.url}/v/{valid.code}/")
    expect(public.get_by_text("Còn giá trị", exact=True)).to_be_visible()
    expect(public.get_by_text("Lê Thị Ánh")).to_be_visible()
    public.goto(f"{live_server.url}/v/")
    public.fill("#verify-code", revoked.code)
    public.get_by_role("button", name="Tra cứu").click()
    expect(public.get_by_text("Đã thu hồi", exact=True)).to_be_visible()
    assert public.get_by_text("Cấp nhầm người").count() == 0
    public.goto(f"{live_server.url}/v/{valid.code}/")
    public.screenshot(
        path=str(ARTIFACTS / "certificates-05-public.png"), full_page=True
    )
    public.context.close()
