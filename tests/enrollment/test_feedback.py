"""Learner feedback surveys, the trainee's side: the codes, the public form
and its refusals, and forms sent at the same moment."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from enrollment.models import Enrollment, FeedbackCode, FeedbackResponse
from enrollment.services import feedback
from tests.conftest import table_snapshot
from tests.enrollment.feedback import (
    TODAY,
    answers,
    ended_class,
    form_url,
    survey_with_codes,
)
from tests.factories import make_class, make_enrollment
from tests.races import Race


@pytest.fixture
def klass(site_a):
    return ended_class(site_a)


@pytest.fixture
def survey(klass):
    return survey_with_codes(klass)


@pytest.mark.django_db
def test_one_response_per_code(klass, survey):
    code = survey.issued["Lê Văn Cường"]
    public = Client()
    response = public.post(form_url(survey, code), answers(klass, "1122", "2211"))
    assert response.status_code == 200
    assert "Xin cảm ơn" in response.text
    before = table_snapshot()
    again = public.post(form_url(survey, code), answers(klass, "3333", "3333"))
    assert again.status_code == 409
    assert "Mã này đã gửi phiếu" in again.text
    assert public.get(form_url(survey, code)).status_code == 409
    assert table_snapshot() == before
    with scopes_disabled():
        assert FeedbackResponse.objects.count() == 1
        assert FeedbackCode.objects.get(code=code).used


@pytest.mark.django_db
def test_a_code_typed_in_lower_case_with_a_dash_works(klass, survey):
    code = survey.issued["Vũ Thị Giang"]
    typed = f"{code[:4].lower()}-{code[4:].lower()}"
    response = Client().get(
        reverse("feedback_start", args=[survey.token]), {"code": typed}
    )
    assert response.status_code == 302
    assert response.url == form_url(survey, code)
    page = Client().get(response.url)
    assert "Nguyễn Văn An" in page.text and "Chuyên đề 2" in page.text


@pytest.mark.django_db
def test_wrong_codes_are_refused_and_limited(site_a, klass, survey):
    """Another class's code is no code here; guessing codes soon pauses."""
    with scopes_disabled():
        other = make_class(
            site_a.center, start_date=klass.start_date, end_date=klass.end_date
        )
        make_enrollment(other)
        (foreign,) = feedback.issue_codes(feedback.open_survey(other))
    public = Client()
    before = table_snapshot()
    response = public.post(
        form_url(survey, foreign.code), answers(klass, "1111", "1111")
    )
    assert response.status_code == 404
    assert "Mã này không thuộc lớp" in response.text
    for _ in range(settings.FEEDBACK_FAILURES_PER_10_MINUTES - 1):
        assert public.get(form_url(survey, "AAAAAAAA")).status_code == 404
    # Now even a good code waits: guessing codes cannot go on.
    good = form_url(survey, survey.issued["Vũ Thị Giang"])
    assert public.get(good).status_code == 429
    # Another address is not held up.
    assert Client(REMOTE_ADDR="10.0.0.9").get(good).status_code == 200
    after = table_snapshot()
    assert after.pop("enrollment.FeedbackAttempt") != before.pop(
        "enrollment.FeedbackAttempt"
    )
    assert after == before


@pytest.mark.django_db
def test_a_trainee_who_withdrew_leaves_every_slip_valid(klass, survey):
    """Slips are unnamed, so a withdrawal cannot void the slip of whoever holds
    that code; the next print leaves out no one still in the class."""
    with scopes_disabled():
        withdrawn = Enrollment.objects.get(trainee__full_name="Lê Văn Cường")
        withdrawn.status = Enrollment.Status.WITHDRAWN
        withdrawn.save()
    code = survey.issued["Lê Văn Cường"]
    response = Client().post(form_url(survey, code), answers(klass, "1111", "1111"))
    assert response.status_code == 200
    with scopes_disabled():
        reprinted = {c.code for c in feedback.issue_codes(survey)}
    assert reprinted == set(survey.issued.values()) - {code}


@pytest.mark.django_db
def test_the_public_form_needs_its_csrf_token(klass, survey):
    code = survey.issued["Vũ Thị Giang"]
    before = table_snapshot()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(form_url(survey, code), answers(klass, "1111", "1111"))
    assert response.status_code == 403
    assert table_snapshot() == before
    page = strict.get(form_url(survey, code))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    data = answers(klass, "1111", "1111") | {"csrfmiddlewaretoken": token}
    assert strict.post(form_url(survey, code), data).status_code == 200


@pytest.mark.django_db
def test_a_closed_form_refuses(site_a, klass, survey):
    code = survey.issued["Phạm Thị Dung"]

    def ended(days_ago, keep_open):
        with scopes_disabled():
            site_a.center.feedback_days = keep_open
            site_a.center.save()
            klass.end_date = TODAY - datetime.timedelta(days=days_ago)
            klass.save()

    # The last day of the class plus the centre's days: open on the last of
    # them, closed the day after.
    ended(3, 3)
    assert Client().get(form_url(survey, code)).status_code == 200
    ended(4, 3)
    before = table_snapshot()
    response = Client().post(form_url(survey, code), answers(klass, "1111", "1111"))
    assert response.status_code == 410
    assert "Phiếu đã đóng" in response.text
    start = Client().get(reverse("feedback_start", args=[survey.token]))
    assert start.status_code == 410
    assert table_snapshot() == before
    # Not before the class starts.
    with scopes_disabled():
        klass.start_date = TODAY + datetime.timedelta(days=1)
        klass.end_date = TODAY + datetime.timedelta(days=3)
        klass.save()
    early = Client().get(form_url(survey, code))
    assert early.status_code == 403
    assert "Phiếu chưa mở" in early.text


@pytest.mark.django_db
def test_a_script_filling_the_hidden_field_or_nothing_is_refused(klass, survey):
    code = survey.issued["Hoàng Văn Em"]
    before = table_snapshot()
    data = answers(klass, "1111", "1111") | {"website": "http://spam.example"}
    assert Client().post(form_url(survey, code), data).status_code == 400
    empty = Client().post(form_url(survey, code), answers(klass, "----", "----"))
    assert empty.status_code == 400
    assert "Hãy chọn câu trả lời cho ít nhất một câu hỏi" in empty.text
    bad = answers(klass, "1111", "1111") | {f"q{klass.lecturers[0].pk}_content": "7"}
    assert Client().post(form_url(survey, code), bad).status_code == 400
    assert table_snapshot() == before
    with scopes_disabled():
        assert not FeedbackCode.objects.get(code=code).used


@pytest.mark.django_db
def test_the_public_pages_are_light(klass, survey):
    """An old phone on a slow network: the page and all it loads under 100 KB."""
    css = finders.find("css/feedback.css")
    with open(css, "rb") as handle:
        css_bytes = len(handle.read())
    public = Client()
    pages = [
        public.get(reverse("feedback_start", args=[survey.token])),
        public.get(form_url(survey, survey.issued["Vũ Thị Giang"])),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "<script" not in page.text
        assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
        assert assets == ["/static/css/feedback.css"]
        assert len(page.content) + css_bytes < 100_000
    assert len(pages[1].content) < 30_000


def submitter(survey, code, rows):
    def submit():
        with scopes_disabled(), transaction.atomic():
            feedback.submit_online(survey, code, rows, "")
        return "sent"

    return submit


@pytest.mark.django_db(transaction=True)
def test_two_submissions_with_one_code_at_once_count_once(klass, survey, monkeypatch):
    """The second submission waits for the first's transaction and then finds
    the code used: a check-then-write would let both through.

    The race holds the first submission inside its transaction, its form
    recorded and the code marked used but not committed, until the second is
    seen waiting for the survey's lock (taken before the codes are looked
    up); only then does the first commit."""
    code = survey.issued["Phạm Thị Dung"]
    rows = {str(klass.lecturers[0].pk): dict.fromkeys(feedback.CRITERIA, 1)}
    race = Race(monkeypatch, feedback, "recount", locked="valid_codes")
    first, second = race.run(
        submitter(survey, code, rows), submitter(survey, code, rows)
    )
    assert first == "sent"
    assert isinstance(second, feedback.CodeUsed), second
    with scopes_disabled():
        assert FeedbackResponse.objects.count() == 1
        survey.refresh_from_db()
        assert survey.received == 1


@pytest.mark.django_db(transaction=True)
def test_forms_sent_at_the_same_moment_are_all_counted(klass, survey, monkeypatch):
    """Two trainees send at once: the survey row is locked while a form is
    recounted, so neither count overwrites the other's.

    The race holds the first form's transaction open just after its recount
    (1 form, not committed) until the second is seen waiting for the survey's
    lock: the second can only count once the first's form is in."""
    rows = {str(klass.lecturers[0].pk): dict.fromkeys(feedback.CRITERIA, 1)}
    race = Race(monkeypatch, feedback, "recount", locked="valid_codes")
    outcomes = race.run(
        submitter(survey, survey.issued["Lê Văn Cường"], rows),
        submitter(survey, survey.issued["Vũ Thị Giang"], rows),
    )
    assert outcomes == ("sent", "sent")
    with scopes_disabled():
        survey.refresh_from_db()
        assert (survey.received, survey.received_online) == (2, 2)
        (tally,) = survey.tallies.filter(
            lecturer=klass.lecturers[0], criterion="content"
        )
        assert (tally.very_satisfied, tally.responses) == (2, 2)
