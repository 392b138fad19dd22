"""Closing a class asks first; a director reopens it with a reason; results and
attendance wait for a held session; no roll call means "chưa điểm danh"."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from courses.models import TrainingClass
from enrollment.models import Attendance, Enrollment
from tests.conftest import table_snapshot
from tests.factories import make_certificate, make_class, make_enrollment, make_session


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name, *args, center="trung-tam-a"):
    return reverse(name, args=[center, *args])


@pytest.fixture
def running_class(site_a):
    """In progress, 14 sessions planned, 2 held, every trainee with a result."""
    with scopes_disabled():
        training_class = make_class(site_a.center, status="in_progress", sessions=14)
        for part in (1, 2):
            make_session(training_class, part=part)
        make_enrollment(training_class, status=Enrollment.Status.COMPLETED)
    return training_class


def test_closing_shows_what_it_leaves_and_changes_nothing_until_confirmed(
    site_a, running_class
):
    staff = client_for(site_a.staff)
    page = staff.get(url("enrollment:class_close", running_class.pk)).text
    assert "Số buổi đã học: 2 trên 14 buổi theo kế hoạch." in page
    assert "12 buổi chưa học." in page
    assert "Số buổi đã học mà chưa điểm danh: 2." in page
    assert "Số giấy chứng nhận chưa cấp: 1" in page
    before = table_snapshot()
    # The class page's button leads to this page; a bare POST only sends there.
    response = staff.post(
        url("enrollment:class_status", running_class.pk), {"status": "closed"}
    )
    assert response["Location"] == url("enrollment:class_close", running_class.pk)
    assert table_snapshot() == before
    staff.post(
        url("enrollment:class_status", running_class.pk),
        {"status": "closed", "confirmed": "1"},
    )
    running_class.refresh_from_db()
    assert running_class.status == "closed"


def test_only_a_director_reopens_and_the_reason_is_in_the_history(site_a):
    with scopes_disabled():
        certificate = make_certificate(site_a.center)
    training_class = certificate.enrollment.training_class
    reopen = url("enrollment:class_reopen", training_class.pk)
    before = table_snapshot()
    staff = client_for(site_a.staff)
    assert staff.get(reopen).status_code == 403
    assert staff.post(reopen, {"reason": "Nhập sai điểm"}).status_code == 403
    assert "Mở lại lớp" not in staff.get(training_class.get_absolute_url()).text
    director = client_for(site_a.director)
    refused = director.post(reopen, {"reason": "   "})
    assert "Hãy ghi lý do mở lại lớp." in refused.text or "bắt buộc" in refused.text
    assert table_snapshot() == before

    response = director.post(reopen, {"reason": "Nhập sai điểm học viên"})
    assert response.status_code == 302
    training_class.refresh_from_db()
    assert training_class.status == TrainingClass.Status.IN_PROGRESS
    with scopes_disabled():
        latest = training_class.history.order_by("-history_date").first()
        certificate.refresh_from_db()
    assert latest.history_change_reason == "Nhập sai điểm học viên"
    assert latest.history_user == site_a.director
    page = director.get(training_class.get_absolute_url()).text
    assert "Nhập sai điểm học viên" in page
    assert "Đã bế giảng → Đang học" in page
    # What was issued stays valid.
    assert certificate.status == "valid"
    # Reopening an open class is refused and changes nothing.
    before = table_snapshot()
    director.post(reopen, {"reason": "Lần nữa"})
    assert table_snapshot() == before


def test_a_roll_call_in_a_reopened_class_that_fails_a_holder_says_so(site_a):
    """The certificate stands until revoked, and the class page, its
    certificates page, the page before closing the class again and the
    certificate itself say whose result no longer supports it, so the
    director can revoke it or the staff correct the roll call."""
    with scopes_disabled():
        certificate = make_certificate(site_a.center)
        holder = certificate.enrollment
        holder.score = 8
        holder.save(update_fields=["score"])
        training_class = holder.training_class
        training_class.status = TrainingClass.Status.IN_PROGRESS  # reopened
        training_class.save(update_fields=["status"])
        session = make_session(training_class)
    staff, director = client_for(site_a.staff), client_for(site_a.director)
    pages = {
        "class": training_class.get_absolute_url(),
        "certificates": url("enrollment:class_certificates", training_class.pk),
        "certificate": url("enrollment:certificate_detail", certificate.pk),
        "closing": url("enrollment:class_close", training_class.pk),
    }
    warning = "không còn đạt"
    for address in pages.values():
        assert warning not in director.get(address).text

    response = staff.post(
        url("enrollment:attendance", training_class.pk, session.pk), {"present": []}
    )
    assert response.status_code == 302
    holder.refresh_from_db()
    certificate.refresh_from_db()
    assert holder.status == Enrollment.Status.FAILED
    assert certificate.status == "valid"  # revoking is the director's decision
    name = holder.trainee.full_name
    for page in ("class", "certificates", "closing"):
        text = director.get(pages[page]).text
        assert (
            "1 giấy chứng nhận của lớp vẫn có hiệu lực dù người được cấp "
            "nay không còn đạt"
        ) in text, page
        assert f"{certificate.number_text}</a> · {name} (17/05/1995): Không đạt" in text
    text = director.get(pages["certificate"]).text
    assert "Kết quả của người này trong lớp nay là “Không đạt”" in text

    # A roll call that brings the pass back clears every warning.
    staff.post(
        url("enrollment:attendance", training_class.pk, session.pk),
        {"present": [holder.pk]},
    )
    for address in pages.values():
        assert warning not in director.get(address).text


def test_reopening_another_centres_class_is_404(site_a, site_b):
    with scopes_disabled():
        certificate = make_certificate(site_a.center)
    training_class = certificate.enrollment.training_class
    before = table_snapshot()
    director_b = client_for(site_b.director)
    for center in ("trung-tam-a", "trung-tam-b"):
        address = url("enrollment:class_reopen", training_class.pk, center=center)
        assert director_b.get(address).status_code == 404
        assert director_b.post(address, {"reason": "Thử"}).status_code == 404
    assert table_snapshot() == before
    training_class.refresh_from_db()
    assert training_class.status == "closed"


def test_results_wait_for_a_held_session(site_a):
    with scopes_disabled():
        training_class = make_class(
            site_a.center,
            start_date=timezone.localdate() + datetime.timedelta(days=3),
            end_date=timezone.localdate() + datetime.timedelta(days=5),
        )
        make_session(training_class)  # in three days
        enrollment = make_enrollment(training_class)
    staff = client_for(site_a.staff)
    page = staff.get(training_class.get_absolute_url()).text
    assert "Nhập được kết quả khi lớp đã có buổi học diễn ra." in page
    results = url("enrollment:results", training_class.pk)
    grid = staff.get(results).text
    assert "Lớp chưa có buổi học nào diễn ra" in grid
    assert 'name="score-' not in grid
    before = table_snapshot()
    response = staff.post(
        results,
        {f"score-{enrollment.pk}": "8", "version": str(training_class.version)},
    )
    assert "Lớp chưa có buổi học nào diễn ra" in response.text
    assert table_snapshot() == before
    enrollment.refresh_from_db()
    assert (enrollment.score, enrollment.status) == (None, "enrolled")
    # Nor can the future session's roll call be saved.
    with scopes_disabled():
        future = training_class.class_sessions.get()
    attendance = url("enrollment:attendance", training_class.pk, future.pk)
    assert "Buổi học này chưa diễn ra" in staff.get(attendance).text
    staff.post(attendance, {"present": [enrollment.pk]})
    assert table_snapshot() == before


def test_attendance_reads_not_taken_until_a_roll_call_is_saved(site_a):
    with scopes_disabled():
        training_class = make_class(site_a.center)
        held = make_session(training_class)
        here = make_enrollment(training_class)
        make_enrollment(training_class)
    staff = client_for(site_a.staff)
    page = staff.get(training_class.get_absolute_url()).text
    assert "Chuyên cần: chưa điểm danh" in page
    assert "100,0%" not in page
    attendance = url("enrollment:attendance", training_class.pk, held.pk)
    assert "Chưa điểm danh" in staff.get(attendance).text
    assert not Attendance.objects.exists()
    staff.post(attendance, {"present": [here.pk]})
    page = staff.get(training_class.get_absolute_url()).text
    assert "Chuyên cần 50,0%" in page
    assert "1/2 có mặt" in page
    assert "Đã điểm danh" in staff.get(attendance).text


def test_a_class_from_before_the_system_is_not_reopened(site_a):
    with scopes_disabled():
        training_class = make_class(site_a.center, historic=True, status="closed")
    before = table_snapshot()
    director = client_for(site_a.director)
    response = director.post(
        url("enrollment:class_reopen", training_class.pk), {"reason": "Thử"}
    )
    assert "được đính chính, không mở lại" in director.get(response["Location"]).text
    assert table_snapshot() == before


def test_before_its_last_day_the_close_button_waits_and_says_from_when(site_a):
    """Offered and then refused after the questions was the old way; now the
    button is greyed with the day, and the questions page sends back."""
    today = timezone.localdate()
    ends = today + datetime.timedelta(days=2)
    with scopes_disabled():
        training_class = make_class(
            site_a.center,
            status="in_progress",
            start_date=today - datetime.timedelta(days=2),
            end_date=ends,
        )
    staff = client_for(site_a.staff)
    page = staff.get(training_class.get_absolute_url()).text
    assert f"Chuyển “Đã bế giảng” từ ngày {ends:%d/%m/%Y}" in page
    assert url("enrollment:class_close", training_class.pk) not in page
    before = table_snapshot()
    response = staff.get(url("enrollment:class_close", training_class.pk), follow=True)
    assert f"Lớp kết thúc ngày {ends:%d/%m/%Y}; chỉ bế giảng được từ ngày đó." in (
        response.text
    )
    assert "Số buổi đã học" not in response.text
    assert table_snapshot() == before
