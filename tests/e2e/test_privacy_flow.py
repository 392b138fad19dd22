"""Personal data in Chromium: a staff member searches the registry and
exports it for a stated purpose; the director sees the export, who opened
the record, and makes the person's own file."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from tests.factories import (
    make_center,
    make_class,
    make_enrollment,
    make_member,
    make_trainee,
)
from trainingcenter.models import Membership

PASSWORD = "một câu mật khẩu thật dài 2026"


def _log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_an_export_asks_its_purpose_and_the_director_sees_it(
    live_server, page, screenshot
):
    call_command("loaddata", "class_types", verbosity=0)
    with scopes_disabled():
        center = make_center(slug="da-lat", name="Trung tâm Chính trị Đà Lạt")
        for role, username in (("staff", "canbo"), ("director", "giamdoc")):
            make_member(center, role, username=username, password=PASSWORD)
        hoa = make_trainee(
            center, citizen_id="068195001234", ethnicity="Tày", party_status="full"
        )
        make_enrollment(make_class(center), hoa)
    base = f"{live_server.url}/c/da-lat"

    _log_in(page, live_server, "canbo")
    page.goto(f"{base}/trainees/")
    page.fill("#q", "068195001234")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Nguyễn Thị Hòa").wait_for()  # found by ID
    assert "068195001234" not in page.url
    page.get_by_role("link", name="Nguyễn Thị Hòa").click()
    page.wait_for_selector("text=••••••••1234")
    screenshot("privacy-01-staff-record")
    page.goto(f"{base}/trainees/")
    page.get_by_role("link", name="Xuất Excel (.xlsx)").click()
    # "Other" without saying what for: refused, no file.
    page.get_by_label("Khác").check()
    page.get_by_role("button", name="Tạo tệp").click()
    page.wait_for_selector("text=Chưa tạo tệp")
    page.get_by_label("Báo cáo cấp ủy").check()
    screenshot("privacy-02-purpose")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tạo tệp").click()
    assert download.value.suggested_filename == "hoc-vien-da-lat.xlsx"

    _log_in(page, live_server, "giamdoc")
    page.get_by_role("link", name="Dữ liệu cá nhân").click()
    page.wait_for_selector("text=Báo cáo cấp ủy")
    assert page.get_by_text("canbo").count() >= 1
    screenshot("privacy-03-export-log")
    page.goto(f"{base}/trainees/{hoa.pk}/")
    page.wait_for_selector("text=068195001234")
    screenshot("privacy-04-director-record")
    page.get_by_role("link", name="Hồ sơ dữ liệu của người học (PDF)").click()
    page.get_by_label("Yêu cầu của chính người học").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Tạo tệp").click()
    assert download.value.suggested_filename.endswith(".pdf")
    path = download.value.path()
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    assert "canbo" in text and "Nguyễn Thị Hòa" in text
    from tests.e2e.conftest import ARTIFACTS

    (ARTIFACTS / "privacy-person-file.pdf").write_bytes(open(path, "rb").read())
    assert Membership.Role.DIRECTOR == "director"
