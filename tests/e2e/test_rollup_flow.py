"""A committee member finds the rollups from the centre, filters them and
downloads the workbook in Chromium."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from enrollment.models import Enrollment
from tests.factories import (
    make_center,
    make_class,
    make_enrollment,
    make_member,
    make_organization,
)
from trainingcenter.models import Membership

PASSWORD = "một câu mật khẩu thật dài 2026"


@pytest.mark.django_db(transaction=True)
def test_committee_reads_and_downloads_the_rollups(live_server, page, screenshot):
    call_command("loaddata", "class_types", verbosity=0)
    with scopes_disabled():
        ward = make_organization(name="Đảng bộ phường Xuân Hương")
        center = make_center(
            slug="da-lat", name="Trung tâm Chính trị Đà Lạt", parent=ward
        )
        make_member(
            center, Membership.Role.COMMITTEE, username="capuy", password=PASSWORD
        )
        cell = make_organization(name="Chi bộ Tổ dân phố 1", level="cell", parent=ward)
        klass = make_class(
            center,
            start_date=datetime.date(2026, 3, 2),
            end_date=datetime.date(2026, 3, 6),
        )
        for status in (Enrollment.Status.COMPLETED, Enrollment.Status.FAILED):
            make_enrollment(klass, unit=cell, status=status)

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "capuy")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.get_by_role("link", name="Tổng hợp").click()
    page.wait_for_url("**/rollups/")
    page.locator("form.report-period button[type=submit]").click()
    row = page.locator("#rollup-table tbody tr", has_text="Chi bộ Tổ dân phố 1")
    assert row.locator("td").nth(3).inner_text() == "2"  # sent
    assert row.locator("td").nth(4).inner_text() == "1"  # passed
    screenshot("rollup-01-units")

    page.select_option("select[name=rollup]", "centers")
    page.locator("form.report-period button[type=submit]").click()
    page.wait_for_url("**rollup=centers**")
    assert "Trung tâm Chính trị Đà Lạt" in page.locator("#rollup-table").inner_text()
    with page.expect_download() as download:
        page.locator("#rollup-xlsx").click()
    content = open(download.value.path(), "rb").read()
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.title == "Biểu 4"
    assert download.value.suggested_filename.startswith("tong-hop-theo-trung-tam-")
    screenshot("rollup-02-centres")

    # Whichever rollup is chosen, its name reads whole in the box.
    for kind in ("units", "certified", "centers", "pipeline"):
        page.select_option("select[name=rollup]", kind)
        assert page.locator("select[name=rollup]").evaluate(TEXT_FITS), kind


# The chosen option's text, in the box's font, fits inside the box beside its arrow.
TEXT_FITS = """select => {
    const style = getComputedStyle(select);
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontSize} ${style.fontFamily}`;
    const text = context.measureText(select.selectedOptions[0].text).width;
    const room = select.clientWidth - parseFloat(style.paddingLeft)
        - parseFloat(style.paddingRight);
    return text <= room;
}"""
