"""A trainee answers the feedback form on a phone in Chromium: the
class's QR code leads to the code page, the slip's code to the form."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from enrollment.models import FeedbackResponse, FeedbackTally
from enrollment.services import feedback
from tests.artifacts import ARTIFACTS
from tests.factories import (
    make_center,
    make_class,
    make_enrollment,
    make_lecturer,
    make_session,
)

PHONE = {"width": 360, "height": 640}


@pytest.mark.django_db(transaction=True)
def test_a_trainee_fills_the_form_on_a_phone(live_server, browser):
    today = timezone.localdate()
    with scopes_disabled():
        center = make_center(slug="da-lat", name="Trung tâm Chính trị Đà Lạt")
        klass = make_class(
            center,
            start_date=today - datetime.timedelta(days=2),
            end_date=today,
        )
        an = make_lecturer(center, full_name="Nguyễn Văn An")
        make_session(klass, lecturer=an, topic="Chuyên đề 1: Đảng Cộng sản Việt Nam")
        make_enrollment(klass)
        survey = feedback.open_survey(klass)
        (slip,) = feedback.issue_codes(survey)

    context = browser.new_context(
        locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    # The QR code on the projector leads here; the trainee types the slip's code.
    page.goto(f"{live_server.url}/f/{survey.token}/")
    page.fill("#code", feedback.shown_code(slip.code).lower())
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url(f"**/f/{survey.token}/{slip.code}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    question = page.locator("fieldset.question")
    assert "Nguyễn Văn An" in question.locator("legend").inner_text()
    # The choices are big enough to tap: a whole labelled row each.
    very = question.get_by_label("Rất hài lòng").first
    assert very.evaluate("e => e.closest('label').getBoundingClientRect().height") >= 30
    for criterion, choice in (
        ("Nội dung", "Rất hài lòng"),
        ("Phương pháp", "Hài lòng"),
        ("Tác phong sư phạm", "Rất hài lòng"),
        ("Hiệu quả", "Chưa hài lòng"),
    ):
        group = question.get_by_role("radiogroup", name=criterion)
        group.get_by_label(choice, exact=True).check()
    page.fill("textarea", "Nên có thêm tài liệu tham khảo.")
    page.screenshot(path=ARTIFACTS / "feedback-01-phone.png", full_page=True)
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.locator("main")).to_contain_text("Xin cảm ơn")
    page.screenshot(path=ARTIFACTS / "feedback-02-thanks.png")

    # The same code again: refused.
    page.goto(f"{live_server.url}/f/{survey.token}/{slip.code}/")
    assert "Mã này đã gửi phiếu" in page.locator("main").inner_text()
    context.close()
    with scopes_disabled():
        (response,) = FeedbackResponse.objects.all()
        assert response.comment == "Nên có thêm tài liệu tham khảo."
        tallies = {
            t.criterion: (t.very_satisfied, t.satisfied, t.not_satisfied)
            for t in FeedbackTally.objects.filter(survey=survey, lecturer=an)
        }
    assert tallies == {
        "content": (1, 0, 0),
        "method": (0, 1, 0),
        "manner": (1, 0, 0),
        "usefulness": (0, 0, 1),
    }
