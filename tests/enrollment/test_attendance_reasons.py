"""Attendance keeps why someone was absent: an absence with a reason is
excused (vắng có phép), still an absence for the pass; the reason shows on
the roll call and in the person's own file."""

import datetime
import io

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from pypdf import PdfReader

from enrollment.models import Attendance
from tests.conftest import url
from tests.factories import (
    make_enrollment,
    make_running_class,
    make_session,
    make_trainee,
)


@pytest.mark.django_db
def test_an_absence_keeps_its_reason_and_a_presence_has_none(site_a):
    with scopes_disabled():
        klass, session = make_running_class(site_a.center)
        ill, away, here = (
            make_enrollment(klass, make_trainee(site_a.center, full_name=name))
            for name in ("Lê Văn Ốm", "Lê Văn Vắng", "Lê Văn Có")
        )
    staff = Client()
    staff.force_login(site_a.staff)
    page = url("enrollment:attendance", klass.pk, session.pk)
    response = staff.post(
        page,
        {
            "present": [here.pk],
            f"reason-{ill.pk}": "  Ốm,   có giấy của bệnh viện ",
            f"reason-{away.pk}": "",
            f"reason-{here.pk}": "nhầm ô",
        },
    )
    assert response.status_code == 302
    shown = staff.get(response["Location"]).text
    assert "Đã đánh dấu có mặt nên không giữ lý do vắng: Lê Văn Có." in shown
    with scopes_disabled():
        saved = {
            a.enrollment_id: (a.present, a.absence_reason)
            for a in Attendance.objects.filter(class_session=session)
        }
    assert saved == {
        ill.pk: (False, "Ốm, có giấy của bệnh viện"),
        away.pk: (False, ""),
        here.pk: (True, ""),
    }
    assert 'value="Ốm, có giấy của bệnh viện"' in staff.get(page).text

    director = Client()
    director.force_login(site_a.director)
    pdf = director.post(
        url("enrollment:person_file_pdf", ill.trainee_id), {"purpose": "own_request"}
    )
    text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert f"{session.date:%d/%m/%Y}: Ốm, có giấy của bệnh viện" in text


@pytest.mark.django_db
def test_a_roll_call_that_changes_a_saved_result_says_so(site_a):
    """A pass saved after the first day does not survive two days away: the
    roll call's page names whose result now reads otherwise."""
    with scopes_disabled():
        klass, first = make_running_class(site_a.center)
        away = make_enrollment(klass, make_trainee(site_a.center, full_name="Lê Đi"))
        Attendance.objects.create(enrollment=away, class_session=first, present=True)
        later = [
            make_session(klass, date=first.date + datetime.timedelta(days=day))
            for day in (1, 2)
        ]
    staff = Client()
    staff.force_login(site_a.staff)
    saved = staff.post(
        url("enrollment:results", klass.pk),
        {"version": klass.version, f"score-{away.pk}": "8"},
    )
    assert saved.status_code == 302
    away.refresh_from_db()
    assert away.status == "completed"
    for session in later:
        response = staff.post(url("enrollment:attendance", klass.pk, session.pk), {})
    shown = staff.get(response["Location"]).text
    assert "Theo điểm danh vừa lưu, kết quả được xét lại: Lê Đi: Không đạt." in shown
    away.refresh_from_db()
    assert (away.status, away.score) == ("failed", 8)
    # The class page's history of results says why the result changed.
    history = shown[shown.index("Lịch sử thay đổi kết quả") :]
    assert "Xét lại theo điểm danh" in history and "Lưu kết quả" in history
    assert "Ghi danh vào lớp" in history


@pytest.mark.django_db
def test_a_session_still_ahead_offers_no_roll_call(site_a):
    """The page behind it would only say the session has not taken place."""
    with scopes_disabled():
        klass, held = make_running_class(site_a.center)
        ahead = make_session(klass, date=held.date + datetime.timedelta(days=3))
    staff = Client()
    staff.force_login(site_a.staff)
    page = staff.get(url("enrollment:class_detail", klass.pk)).text
    assert url("enrollment:attendance", klass.pk, held.pk) in page
    assert url("enrollment:attendance", klass.pk, ahead.pk) not in page
    assert "chưa diễn ra" in page and "chưa điểm danh" in page
