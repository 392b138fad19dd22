"""Staff import a list from Excel in Chromium: one error, fix, upload again, confirm."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from enrollment.models import Enrollment
from tests.enrollment.excel import person, workbook
from tests.factories import make_center, make_class, make_member
from trainingcenter.models import Membership

PASSWORD = "một câu mật khẩu thật dài 2026"


@pytest.mark.django_db(transaction=True)
def test_staff_import_a_list_fix_an_error_and_confirm(
    live_server, page, screenshot, tmp_path
):
    call_command("loaddata", "class_types", verbosity=0)
    with scopes_disabled():
        center = make_center(slug="da-lat", name="Trung tâm Chính trị Đà Lạt")
        make_member(center, Membership.Role.STAFF, username="canbo", password=PASSWORD)
        training_class = make_class(center)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    rows = [
        person(1, "Nguyễn Văn An"),
        person(2, "Trần Thị Bình", "31/02/1990"),  # no such day
        person(3, "<img src=x onerror=alert(1)> Cường", "01/01/1990", "Nam"),
    ]
    bad = tmp_path / "danh-sach.xlsx"
    bad.write_bytes(workbook(rows))
    rows[1][2] = "28/02/1990"
    rows[2][1] = "Lê Văn Cường"
    fixed = tmp_path / "danh-sach-da-sua.xlsx"
    fixed.write_bytes(workbook(rows))

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "canbo")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}{training_class.get_absolute_url()}")
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.set_input_files("input[type=file]", str(bad))
    screenshot("import-01-upload")
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_selector("text=Kiểm tra danh sách")
    expect(page.get_by_text("Lỗi: 2")).to_be_visible()
    expect(page.get_by_text("Dòng 6, cột “Ngày sinh”")).to_be_visible()
    assert page.get_by_role("button", name="Xác nhận nhập danh sách").count() == 0
    screenshot("import-02-preview-with-errors")

    page.get_by_role("link", name="Tải lên tệp đã sửa").click()
    page.set_input_files("input[type=file]", str(fixed))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_selector("text=Người mới: 3")
    screenshot("import-03-preview-clean")
    page.get_by_role("button", name="Xác nhận nhập danh sách").click()
    page.locator("#confirm-facts ~ form button[type=submit]").click()
    page.wait_for_selector("text=Đã ghi danh 3 người mới")
    screenshot("import-04-class-after-import")
    assert dialogs == []  # the hostile name never ran as a script
    with scopes_disabled():
        assert Enrollment.objects.filter(training_class=training_class).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_file_that_is_not_a_workbook_is_refused_with_a_visible_message(
    live_server, page, screenshot, tmp_path
):
    """The message stands under the file button, which hides the browser's
    own input; an old .xls can be chosen at all, so that it is told why not."""
    call_command("loaddata", "class_types", verbosity=0)
    with scopes_disabled():
        center = make_center(slug="da-lat", name="Trung tâm Chính trị Đà Lạt")
        make_member(center, Membership.Role.STAFF, username="canbo", password=PASSWORD)
        training_class = make_class(center)
    text = tmp_path / "danh-sach.xlsx"
    text.write_text("STT;Họ và tên\n1;Nguyễn Văn An\n", encoding="utf-8")

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "canbo")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}{training_class.get_absolute_url()}import/")
    assert ".xls" in page.get_attribute("input[type=file]", "accept").split(",")
    page.set_input_files("input[type=file]", str(text))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.get_by_text("Đây không phải là tệp Excel (.xlsx)")).to_be_visible()
    screenshot("import-05-not-a-workbook")
    with scopes_disabled():
        assert not Enrollment.objects.filter(training_class=training_class).exists()
