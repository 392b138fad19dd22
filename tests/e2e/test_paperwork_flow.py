"""The director opens a class, issues its summons to every sending unit with
one click, and downloads them as a ZIP of one file per unit, in Chromium."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from tests.enrollment.paperwork import UNIT_A, UNIT_B, make_paper_class, pdf_text
from tests.factories import make_center, make_member
from trainingcenter.models import Membership

PASSWORD = "một câu mật khẩu thật dài 2026"


@pytest.mark.django_db(transaction=True)
def test_director_issues_the_summons_and_downloads_the_zip(
    live_server, page, screenshot
):
    call_command("loaddata", "class_types", verbosity=0)
    with scopes_disabled():
        center = make_center(slug="da-lat", name="Trung tâm Chính trị Đà Lạt")
        make_member(
            center, Membership.Role.DIRECTOR, username="giamdoc", password=PASSWORD
        )
        klass, _units = make_paper_class(center)

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "giamdoc")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/c/da-lat/classes/{klass.pk}/")
    row = page.locator("#paper-summons")
    assert "Dự thảo" in row.inner_text() and "2 đơn vị cử học viên" in row.inner_text()
    page.locator("#papers").scroll_into_view_if_needed()
    screenshot("paperwork-00-class")
    row.get_by_role("link", name="Ban hành").click()
    assert "Sẽ lấy 2 số liên tiếp" in page.locator("#confirm-facts").inner_text()
    screenshot("paperwork-01-confirm")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/classes/{klass.pk}/#papers")
    row = page.locator("#paper-summons")
    assert "số 1-GTT/TTCT" in row.inner_text() and "số 2-GTT/TTCT" in row.inner_text()
    screenshot("paperwork-02-issued")

    with page.expect_download() as download:
        row.get_by_role("link", name="ZIP, mỗi đơn vị một tệp").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    pdfs = sorted(n for n in archive.namelist() if n.endswith(".pdf"))
    assert len(pdfs) == 2 and len(archive.namelist()) == 4
    texts = [pdf_text(archive.read(name)) for name in pdfs]
    assert {UNIT_A, UNIT_B} == {
        unit
        for unit in (UNIT_A, UNIT_B)
        for text in texts
        if f"Kính gửi: {unit}" in text
    }
