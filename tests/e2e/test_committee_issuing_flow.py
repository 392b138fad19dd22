"""The committee's office writes the committee's report over its centres and
issues it with a number in the committee's register, in Chromium."""

import datetime

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from enrollment.models import Enrollment
from tests.e2e.conftest import ARTIFACTS
from tests.factories import (
    make_center,
    make_class,
    make_enrollment,
    make_organization,
    make_user,
)
from trainingcenter.models import Membership

PASSWORD = "một câu mật khẩu thật dài 2026"


@pytest.mark.django_db(transaction=True)
def test_the_office_issues_the_committees_report(live_server, page, screenshot):
    call_command("loaddata", "class_types", verbosity=0)
    with scopes_disabled():
        ward = make_organization(
            name="Đảng bộ phường Xuân Hương",
            abbreviation="ĐU",
            signer_title="T/M BAN THƯỜNG VỤ",
            signer_name="Trần Văn Bí",
            place_name="Đà Lạt",
        )
        center = make_center(
            slug="da-lat", name="Trung tâm Chính trị Đà Lạt", parent=ward
        )
        office = make_user(username="vanphong", password=PASSWORD)
        Membership.objects.create(
            user=office,
            role=Membership.Role.COMMITTEE,
            organization=ward,
            signs_documents=True,
        )
        klass = make_class(center, start_date=datetime.date(2026, 3, 2))
        for _ in range(3):
            make_enrollment(klass, status=Enrollment.Status.COMPLETED)

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "vanphong")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/o/{ward.pk}/report/?kind=year&year=2026")
    screenshot("committee-issuing-00-report")
    page.get_by_role("link", name="Đánh giá, phương hướng").click()
    page.fill("textarea[name=strengths]", "Các trung tâm mở lớp đúng kế hoạch.")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu nội dung báo cáo.")).to_be_visible()
    page.goto(f"{live_server.url}/o/{ward.pk}/report/issue/?kind=year&year=2026")
    assert page.locator("#next-number").inner_text() == "Số 1-BC/ĐU"
    screenshot("committee-issuing-01-confirm")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/report/issued/*/")
    expect(page.locator("#data-unchanged")).to_be_visible()
    screenshot("committee-issuing-02-issued")
    issued_pdf = page.request.get(page.url + "pdf/")
    assert issued_pdf.ok and issued_pdf.body().startswith(b"%PDF")
    (ARTIFACTS / "committee-issued-report.pdf").write_bytes(issued_pdf.body())
    page.goto(f"{live_server.url}/o/{ward.pk}/report/issued/")
    assert "1-BC/ĐU" in page.locator("#issued-reports").inner_text()
