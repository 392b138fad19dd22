"""Attendance, results and closing a class: the rules staff rely on."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_scopes import scope

from enrollment.models import Attendance, Enrollment
from enrollment.services import roster as roster_service, trainees as trainees_service
from tests.conftest import table_snapshot
from tests.factories import make_class, make_enrollment, make_session, make_trainee


@pytest.fixture
def klass(site_a):
    """A class whose evening session of its first day was held."""
    with scope(center=site_a.center):
        training_class = make_class(site_a.center, capacity=2)
        make_session(training_class, part=3, topic="Khai giảng")
        yield training_class


def scores(klass, **by_name):
    rows = {}
    for enrollment in klass.enrollments.select_related("trainee"):
        score = by_name.get(enrollment.trainee.given_name)
        rows[enrollment.pk] = roster_service.ResultRow(
            enrollment.pk, None if score is None else Decimal(score), ""
        )
    return rows


def test_results_compute_grade_and_pass_from_bands_and_attendance(site_a, klass):
    first = make_enrollment(klass, make_trainee(site_a.center, full_name="Lê Văn Giỏi"))
    make_enrollment(klass, make_trainee(site_a.center, full_name="Lê Văn Khá"))
    absent = make_enrollment(
        klass, make_trainee(site_a.center, full_name="Lê Văn Vắng")
    )
    make_enrollment(klass, make_trainee(site_a.center, full_name="Lê Văn Kém"))
    sessions = [make_session(klass, part=part) for part in (1, 2)]
    roster_service.record_attendance(
        sessions[0],
        present=[e.pk for e in klass.enrollments.exclude(pk=absent.pk)],
        by=site_a.staff,
    )
    roster_service.record_results(
        klass,
        rows=scores(klass, Giỏi="9.5", Khá="7", Vắng="9", Kém="4.9"),
        version=klass.version,
        by=site_a.staff,
    )
    result = {
        e.trainee.given_name: (e.grade, e.status)
        for e in klass.enrollments.select_related("trainee")
    }
    assert result == {
        "Giỏi": ("Giỏi", "completed"),
        "Khá": ("Khá", "completed"),
        "Vắng": ("Không đạt", "failed"),  # 50% attendance, below 80%
        "Kém": ("Không đạt", "failed"),
    }
    assert first.history.count() == 2
    assert first.history.first().history_user == site_a.staff


def test_a_stale_results_grid_is_refused_and_changes_nothing(site_a, klass):
    make_enrollment(klass, make_trainee(site_a.center, full_name="Lê Văn Một"))
    opened_at = klass.version
    roster_service.record_results(
        klass, rows=scores(klass, Một="8"), version=opened_at, by=site_a.director
    )
    before = table_snapshot()
    with pytest.raises(ValidationError, match="Người khác đã lưu"):
        roster_service.record_results(
            klass, rows=scores(klass, Một="3"), version=opened_at, by=site_a.staff
        )
    assert table_snapshot() == before
    assert Enrollment.objects.get().score == Decimal("8.0")


def test_class_closes_only_with_every_outcome(site_a, klass):
    make_enrollment(klass, make_trainee(site_a.center, full_name="Lê Văn Một"))
    for status in ("open", "in_progress"):
        roster_service.change_class_status(klass, to=status, by=site_a.staff)
    with pytest.raises(ValidationError, match="Còn 1 học viên chưa có kết quả"):
        roster_service.change_class_status(klass, to="closed", by=site_a.staff)
    klass.refresh_from_db()
    assert klass.status == "in_progress"
    roster_service.record_results(
        klass, rows=scores(klass, Một="6"), version=klass.version, by=site_a.staff
    )
    roster_service.change_class_status(klass, to="closed", by=site_a.staff)
    klass.refresh_from_db()
    assert klass.status == "closed"
    with pytest.raises(ValidationError):
        roster_service.change_class_status(klass, to="open", by=site_a.staff)


def test_withdrawn_trainee_needs_no_outcome_and_keeps_the_reason(site_a, klass):
    enrollment = make_enrollment(klass, make_trainee(site_a.center))
    with pytest.raises(ValidationError):
        trainees_service.withdraw(enrollment, reason="  ", by=site_a.staff)
    trainees_service.withdraw(enrollment, reason="Đi công tác", by=site_a.staff)
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.withdrawal_reason) == (
        "withdrawn",
        "Đi công tác",
    )
    for status in ("open", "in_progress", "closed"):
        roster_service.change_class_status(klass, to=status, by=site_a.staff)


def test_attendance_grid_marks_absences_and_rates(site_a, klass):
    here = make_enrollment(klass, make_trainee(site_a.center, full_name="Lê Văn Có"))
    away = make_enrollment(klass, make_trainee(site_a.center, full_name="Lê Văn Vắng"))
    session = make_session(klass)
    make_session(klass, part=2)
    roster_service.record_attendance(session, present=[here.pk], by=site_a.staff)
    assert Attendance.objects.filter(present=False).get().enrollment == away
    rates = roster_service.attendance_rates(klass)
    # Only the saved roll call counts; the other sessions were not taken.
    assert rates == {here.pk: Decimal(1), away.pk: Decimal(0)}
    roster_service.record_attendance(
        session, present=[here.pk, away.pk], by=site_a.staff
    )
    assert not Attendance.objects.filter(present=False).exists()


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("7,5", Decimal("7.5")),
        ("10", Decimal("10.0")),
        (" 0 ", Decimal("0.0")),
        ("", None),
    ],
)
def test_scores_are_read_the_vietnamese_way(raw, expected):
    from enrollment.forms import parse_score

    assert parse_score(raw) == expected


@pytest.mark.parametrize("raw", ["11", "abc", "-1", "7.25", "NaN", "1e1"])
def test_bad_scores_are_refused_with_a_vietnamese_message(raw):
    from django.utils import translation

    from enrollment.forms import parse_score

    with translation.override("vi"), pytest.raises(ValueError) as error:
        parse_score(raw)
    assert any(word in str(error.value) for word in ("Điểm", "không phải là số"))


@pytest.mark.parametrize("raw", ["-1", "−0,5", "+11"])
def test_a_signed_score_is_told_the_range_not_that_it_is_no_number(raw):
    from django.utils import translation

    from enrollment.forms import parse_score

    with translation.override("vi"), pytest.raises(ValueError) as error:
        parse_score(raw)
    assert "từ 0 đến 10" in str(error.value)


def test_status_follows_the_calendar(site_a, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 9, 0))
    with scope(center=site_a.center):
        course = make_class(site_a.center)  # 02/03 - 06/03/2026
        roster_service.change_class_status(course, to="open", by=site_a.staff)
        with pytest.raises(ValidationError, match="02/03/2026"):
            roster_service.change_class_status(
                course, to="in_progress", by=site_a.staff
            )
        time_machine.move_to(datetime.datetime(2026, 3, 3, 9, 0))
        roster_service.change_class_status(course, to="in_progress", by=site_a.staff)
        with pytest.raises(ValidationError, match="06/03/2026"):
            roster_service.change_class_status(course, to="closed", by=site_a.staff)
        future = make_session(course, date=datetime.date(2026, 3, 5))
        with pytest.raises(ValidationError, match="chưa diễn ra"):
            roster_service.record_attendance(future, present=[], by=site_a.staff)


def test_saving_results_reads_the_grading_bands_once(site_a, klass):
    """Each more trainee costs its UPDATE and its history row, nothing more:
    the bands are read once per roster, not once per score."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    klass.capacity = 20
    klass.save()
    counts = []
    for size in (2, 6):
        klass.enrollments.all().delete()
        for i in range(size):
            make_enrollment(
                klass, make_trainee(site_a.center, full_name=f"Lê Văn Số{i}")
            )
        klass.refresh_from_db()
        rows = {
            pk: roster_service.ResultRow(pk, Decimal("8"), "")
            for pk in klass.enrollments.values_list("pk", flat=True)
        }
        with CaptureQueriesContext(connection) as queries:
            roster_service.record_results(
                klass, rows=rows, version=klass.version, by=site_a.staff
            )
        band_reads = [q for q in queries if "courses_gradingband" in q["sql"]]
        assert len(band_reads) == 1
        counts.append(len(queries))
    assert counts[1] - counts[0] <= 2 * 4  # UPDATE + history INSERT per trainee


def test_the_class_page_opens_for_a_class_without_recorded_versions(site_a, klass):
    """A class loaded without the ORM (the data generator's COPY, an old
    database) has no history row: its page still opens, with no corrections."""
    from django.test import Client
    from django.urls import reverse

    klass.history.all().delete()
    client = Client()
    client.force_login(site_a.staff)
    url = reverse("enrollment:class_detail", args=[site_a.center.slug, klass.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert str(klass.class_type.name) in response.content.decode()


def test_the_class_page_lists_its_sessions_in_date_order(site_a, klass):
    """Sessions entered out of order (a later day first) are listed by day
    and part of the day, as the timetable runs."""
    from django.test import Client
    from django.urls import reverse

    day = klass.start_date
    for offset, part, topic in ((2, 1, "Bài ba"), (1, 1, "Bài hai"), (0, 1, "Bài một")):
        make_session(
            klass, date=day + datetime.timedelta(offset), part=part, topic=topic
        )
    client = Client()
    client.force_login(site_a.staff)
    url = reverse("enrollment:class_detail", args=[site_a.center.slug, klass.pk])
    page = client.get(url).content.decode()
    listed = [page.index(f"<td>{topic}</td>") for topic in TIMETABLE]
    assert listed == sorted(listed)


# The class's sessions by day and part: the fixture's evening opening is
# the first day's second session.
TIMETABLE = ["Bài một", "Khai giảng", "Bài hai", "Bài ba"]


def test_the_class_page_names_who_changed_results_as_the_centre_writes_names(
    site_a, klass
):
    """ "Trần Văn Minh", family name first, not the username "staff" nor the
    Western "Minh Trần Văn"."""
    from django.test import Client

    staff = site_a.staff
    staff.last_name, staff.first_name = "Trần Văn", "Minh"
    staff.save()
    make_enrollment(klass, make_trainee(site_a.center, full_name="Lê Văn Một"))
    roster_service.record_results(
        klass, rows=scores(klass, Một="8"), version=klass.version, by=staff
    )
    client = Client()
    client.force_login(site_a.director)
    page = client.get(klass.get_absolute_url()).content.decode()
    assert "<td>Trần Văn Minh</td><td>Lê Văn Một</td>" in page
    assert '<td class="text-end">8,0</td>' in page  # as the papers write it
    assert "Minh Trần Văn" not in page


def test_a_roll_call_after_the_results_judges_them_again(site_a, klass):
    """Results saved after the first roll call held its absence against one
    trainee; the roll calls since bring her to the threshold, so she passes,
    while one who stopped coming loses a pass the roll calls no longer
    support. The class history says why the results changed."""
    came_later = make_enrollment(
        klass, make_trainee(site_a.center, full_name="Trần Thị Muộn")
    )
    stopped = make_enrollment(klass, make_trainee(site_a.center, full_name="Lê Văn Bỏ"))
    first, *later = [
        make_session(klass, date=klass.start_date + datetime.timedelta(days=day))
        for day in range(5)
    ]
    roster_service.record_attendance(first, present=[stopped.pk], by=site_a.staff)
    roster_service.record_results(
        klass,
        rows=scores(klass, Muộn="8", Bỏ="8"),
        version=klass.version,
        by=site_a.staff,
    )
    came_later.refresh_from_db()
    assert (came_later.status, came_later.grade) == ("failed", "Không đạt")
    for session in later:
        roster_service.record_attendance(
            session, present=[came_later.pk], by=site_a.staff
        )
    came_later.refresh_from_db()
    stopped.refresh_from_db()
    assert (came_later.status, came_later.grade) == ("completed", "Khá")  # 4 of 5
    assert (stopped.status, stopped.grade) == ("failed", "Không đạt")  # 1 of 5
    assert came_later.score == stopped.score == Decimal("8")
    assert came_later.history.first().history_change_reason == "attendance"


def test_a_roll_call_in_english_changes_no_grade_written_in_vietnamese(site_a, klass):
    """The grade goes on the centre's papers: a user reading the pages in
    English stores "Không đạt" too, and their roll call judges no one again
    for the language alone."""
    low = make_enrollment(klass, make_trainee(site_a.center, full_name="Lê Văn Thấp"))
    session = make_session(klass, part=1)
    roster_service.record_attendance(session, present=[low.pk], by=site_a.staff)
    with translation.override("en"):
        roster_service.record_results(
            klass, rows=scores(klass, Thấp="4"), version=klass.version, by=site_a.staff
        )
        low.refresh_from_db()
        assert (low.status, low.grade) == ("failed", "Không đạt")
        again = roster_service.record_attendance(
            session, present=[low.pk], by=site_a.staff
        )
    assert again == []
    assert low.history.count() == 2  # enrolled, results saved
