"""The staff pages of classes, the registry, enrolment and results."""

import datetime
import re

from django.test import Client
from django_scopes import scopes_disabled

from courses.models import TrainingClass
from enrollment.models import Enrollment, Trainee
from tests.conftest import table_snapshot, url
from tests.factories import (
    make_class,
    make_class_type,
    make_enrollment,
    make_lecturer,
    make_session,
    make_trainee,
)


def class_post(class_type, **overrides):
    data = {
        "class_type": class_type.pk,
        "intake_label": "khóa I",
        "start_date": "2026-03-02",
        "end_date": "2026-03-06",
        "venue": "Hội trường Đảng ủy",
        "counted_in_plan": "on",
        "sessions": "10",
        "periods": "50",
        "assessment": "essay",
        "award": "certificate",
        "co-TOTAL_FORMS": "0",
        "co-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_new_class_form_is_prefilled_from_the_programme(site_a, staff):
    programme = make_class_type(code="nhan-thuc-ve-dang")
    page = staff.get(url("courses:class_create"), {"programme": programme.pk})
    form = page.context["form"]
    assert form.initial["periods"] == 50 and form.initial["sessions"] == 10
    assert form.initial["assessment"] == "essay"
    chooser = staff.get(url("courses:class_create")).text
    assert "Bồi dưỡng nhận thức về Đảng" in chooser


def test_opening_a_class(site_a, staff):
    programme = make_class_type()
    response = staff.post(url("courses:class_create"), class_post(programme))
    with scopes_disabled():
        training_class = TrainingClass.objects.get()
    assert response["Location"] == training_class.get_absolute_url()
    assert training_class.center == site_a.center and training_class.status == "planned"


def test_end_before_start_is_refused_with_nothing_saved(site_a, staff):
    programme = make_class_type()
    before = table_snapshot()
    response = staff.post(
        url("courses:class_create"), class_post(programme, end_date="2026-03-01")
    )
    assert "Ngày kết thúc không được trước ngày bắt đầu" in response.text
    assert table_snapshot() == before


def test_session_outside_the_class_and_foreign_lecturer_are_refused(
    site_a, site_b, staff
):
    with scopes_disabled():
        training_class = make_class(site_a.center)
        foreign = make_lecturer(site_b.center)
    before = table_snapshot()
    response = staff.post(
        url("courses:session_create", training_class.pk),
        {
            "date": "2026-04-01",
            "part": "1",
            "topic": "Bài 1",
            "periods": "5",
            "lecturer": foreign.pk,
        },
    )
    assert (
        "Buổi học phải nằm trong thời gian của lớp (02/03/2026 – 06/03/2026)"
        in response.text
    )
    assert "Hãy chọn một lựa chọn hợp lệ" in response.text
    assert table_snapshot() == before


def test_sessions_add_up_per_lecturer(site_a, staff):
    with scopes_disabled():
        lecturer = make_lecturer(site_a.center, full_name="Trần Văn Giảng")
        training_class = make_class(site_a.center)
    for day, part in ((2, 1), (2, 2), (3, 1)):
        response = staff.post(
            url("courses:session_create", training_class.pk),
            {
                "date": f"2026-03-0{day}",
                "part": part,
                "topic": "Chuyên đề",
                "periods": "5",
                "lecturer": lecturer.pk,
            },
        )
        assert response.status_code == 302
    page = staff.get(url("courses:lecturer_list")).text
    assert "Trần Văn Giảng" in page
    row = page.split("Trần Văn Giảng")[1].split("</tr>")[0]
    assert ">3<" in row.replace(" ", "") and ">15<" in row.replace(" ", "")


def test_registry_search_ignores_diacritics_and_sorts_vietnamese(site_a, staff):
    with scopes_disabled():
        for name in ("Trần Văn Đức", "Nguyễn Thị Hoà", "Lê Văn Dũng", "Phạm Thị Hòa"):
            make_trainee(site_a.center, full_name=name)
    page = staff.get(url("enrollment:trainee_list")).text
    positions = [
        page.index(n) for n in ("Lê Văn Dũng", "Trần Văn Đức", "Nguyễn Thị Hoà")
    ]
    assert positions == sorted(positions)
    found = staff.get(url("enrollment:trainee_list"), {"q": "nguyen thi hoa"}).text
    assert "Nguyễn Thị Hoà" in found and "Phạm Thị Hòa" not in found
    found = staff.get(url("enrollment:trainee_list"), {"q": "thi hoa"}).text
    assert "Nguyễn Thị Hoà" in found and "Phạm Thị Hòa" in found


def test_adding_someone_already_registered_warns_and_offers_the_record(site_a, staff):
    with scopes_disabled():
        existing = make_trainee(site_a.center, full_name="Nguyễn Thị Hòa")
    data = {
        "full_name": "NGUYỄN  THỊ HÒA",
        "birth_date": "1995-05-17",
        "gender": "female",
        "party_status": "non_member",
    }
    before = table_snapshot()
    response = staff.post(url("enrollment:trainee_create"), data)
    assert (
        "Danh sách đã có người trùng số CCCD, hoặc trùng họ tên và ngày sinh"
        in response.text
    )
    assert existing.get_absolute_url() in response.text
    assert table_snapshot() == before
    response = staff.post(
        url("enrollment:trainee_create"), {**data, "confirm_new": "on"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Trainee.objects.count() == 2


def test_same_citizen_id_is_refused(site_a, staff):
    with scopes_disabled():
        existing = make_trainee(site_a.center, citizen_id="001095012345")
    before = table_snapshot()
    response = staff.post(
        url("enrollment:trainee_create"),
        {
            "full_name": "Lê Văn Khác",
            "gender": "male",
            "party_status": "non_member",
            "citizen_id": "001095012345",
        },
    )
    assert "đã có số CCCD này" in response.text
    assert existing.get_absolute_url() in response.text
    assert table_snapshot() == before


def test_enrol_by_search_then_results_then_close(site_a, staff):
    with scopes_disabled():
        training_class = make_class(site_a.center, class_type=make_class_type())
        make_session(training_class)
        hoa = make_trainee(site_a.center, full_name="Nguyễn Thị Hòa")
    found = staff.get(
        url("enrollment:enrollment_add", training_class.pk), {"q": "nguyen hoa"}
    )
    assert "Nguyễn Thị Hòa" not in found.text  # "nguyen hoa" is not a substring
    found = staff.get(
        url("enrollment:enrollment_add", training_class.pk), {"q": "thi hoa"}
    )
    assert "Nguyễn Thị Hòa" in found.text
    response = staff.post(
        url("enrollment:enrollment_add", training_class.pk), {"trainee": [hoa.pk]}
    )
    assert response.status_code == 302
    with scopes_disabled():
        enrollment = Enrollment.objects.get()
    results_url = url("enrollment:results", training_class.pk)
    grid = staff.get(results_url)
    version = grid.context["version"]
    before = table_snapshot()
    for bad, message in (("11", "Điểm phải từ 0 đến 10"), ("abc", "không phải là số")):
        response = staff.post(
            results_url, {f"score-{enrollment.pk}": bad, "version": version}
        )
        assert "Dòng 1 (Nguyễn Thị Hòa), cột “Điểm”" in response.text
        assert message in response.text
        assert table_snapshot() == before
    response = staff.post(
        results_url, {f"score-{enrollment.pk}": "8,5", "version": version}
    )
    assert response.status_code == 302
    stale = staff.post(results_url, {f"score-{enrollment.pk}": "2", "version": version})
    assert "Người khác đã lưu kết quả" in stale.text
    enrollment.refresh_from_db()
    assert (enrollment.score, enrollment.grade, enrollment.status) == (
        8.5,
        "Khá",
        "completed",
    )
    for status in ("open", "in_progress", "closed"):
        staff.post(
            url("enrollment:class_status", training_class.pk),
            {"status": status, "confirmed": "1"},
        )
    training_class.refresh_from_db()
    assert training_class.status == "closed"
    page = staff.get(training_class.get_absolute_url()).text
    assert "Lịch sử thay đổi kết quả" in page
    # No roll call was saved: nobody counts as present.
    assert "Chuyên cần: chưa điểm danh" in page
    assert not re.search(r"Chuyên cần:? 100,0%", page)


def test_enrolling_twice_shows_a_message_and_changes_nothing(site_a, staff):
    with scopes_disabled():
        training_class = make_class(site_a.center)
        person = make_trainee(site_a.center)
        make_enrollment(training_class, person)
    before = table_snapshot()
    response = staff.post(
        url("enrollment:enrollment_add", training_class.pk),
        {"trainee": [person.pk]},
        follow=True,
    )
    assert "Đã có trong lớp" in response.text
    assert table_snapshot() == before


def test_names_are_escaped_and_never_run_as_templates(site_a, staff):
    """A hostile name shows as text on every page that prints it."""
    hostile = "<script>alert(1)</script> {{ request.session.session_key }} {% debug %}"
    with scopes_disabled():
        training_class = make_class(
            site_a.center, intake_label=hostile[:58], venue=hostile
        )
        trainee = make_trainee(site_a.center, full_name=f"Lê {hostile}")
        make_enrollment(training_class, trainee)
        make_session(training_class, topic=hostile)
    pages = [
        training_class.get_absolute_url(),
        url("courses:class_update", training_class.pk),
        url("courses:class_list"),
        trainee.get_absolute_url(),
        url("enrollment:trainee_update", trainee.pk),
        url("enrollment:trainee_list"),
        url("enrollment:results", training_class.pk),
    ]
    session_key = staff.session.session_key
    for page_url in pages:
        text = staff.get(page_url).text
        assert "<script>alert(1)</script>" not in text, page_url
        assert session_key not in text, page_url
        assert "{% debug %}" in text or "{% debug %}" in text.replace("&#x27;", "'"), (
            page_url
        )


def test_a_closed_class_can_no_longer_be_edited(site_a, staff):
    with scopes_disabled():
        training_class = make_class(site_a.center, status="closed")
        class_session = make_session(training_class)
    before = table_snapshot()
    for target in (
        url("courses:class_update", training_class.pk),
        url("courses:session_create", training_class.pk),
        url("courses:session_update", training_class.pk, class_session.pk),
    ):
        response = staff.post(target, {"topic": "Đổi", "venue": "Khác"}, follow=True)
        assert "Lớp đã bế giảng, không thể sửa nữa." in response.text, target
    assert table_snapshot() == before


def test_ticked_people_stay_ticked_across_searches(site_a, staff):
    with scopes_disabled():
        training_class = make_class(site_a.center)
        first = make_trainee(site_a.center, full_name="Nguyễn Thị Hòa")
        make_trainee(site_a.center, full_name="Trần Văn Đức")
    page = staff.get(
        url("enrollment:enrollment_add", training_class.pk),
        {"q": "tran van duc", "trainee": [first.pk]},
    ).text
    assert f'value="{first.pk}" id="t{first.pk}" checked' in page
    assert "Trần Văn Đức" in page


def test_withdrawal_reason_shows_on_the_class_and_person(site_a, staff):
    with scopes_disabled():
        training_class = make_class(site_a.center)
        enrollment = make_enrollment(training_class)
    staff.post(
        url("enrollment:enrollment_withdraw", training_class.pk, enrollment.pk),
        {"reason": "Được cử đi công tác"},
    )
    assert "Được cử đi công tác" in staff.get(training_class.get_absolute_url()).text
    assert (
        "Được cử đi công tác" in staff.get(enrollment.trainee.get_absolute_url()).text
    )


def test_director_keeps_the_over_capacity_choice_through_warnings(site_a):
    client = Client()
    client.force_login(site_a.director)
    with scopes_disabled():
        training_class = make_class(
            site_a.center, capacity=1, class_type=make_class_type(code="dang-vien-moi")
        )
        people = [
            make_trainee(site_a.center, full_name=f"Lê Văn Số {i}") for i in (1, 2)
        ]
    target = url("enrollment:enrollment_add", training_class.pk)
    page = client.post(
        target, {"trainee": [p.pk for p in people], "over_capacity": "1"}
    )
    assert "dành cho đảng viên dự bị" in page.text
    assert "(17/05/1995)" in page.text  # namesakes are told apart by birth date
    assert 'id="over_capacity" checked' in page.text
    response = client.post(
        target,
        {
            "trainee": [p.pk for p in people],
            "over_capacity": "1",
            "confirm_warnings": "1",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Enrollment.objects.filter(training_class=training_class).count() == 2


def test_class_list_filters_and_pages_keep_the_filters(site_a, staff):
    with scopes_disabled():
        for i in range(30):
            make_class(site_a.center, intake_label=f"đợt {i}")
        make_class(site_a.center, intake_label="lớp đã xong", status="closed")
    page = staff.get(url("courses:class_list"), {"status": "planned"})
    assert page.context["page"].paginator.count == 30
    assert "status=planned&amp;page=2" in page.text
    closed = staff.get(url("courses:class_list"), {"status": "closed"})
    assert closed.context["page"].paginator.count == 1
    found = staff.get(url("courses:class_list"), {"q": "lop da xong"})
    assert found.context["page"].paginator.count == 1


def test_class_list_counts_each_class_enrolments_but_not_withdrawals(site_a, staff):
    with scopes_disabled():
        full = make_class(site_a.center, intake_label="đợt đầy", capacity=30)
        for status in ("enrolled", "completed", "withdrawn"):
            make_enrollment(full, status=status)
        make_class(site_a.center, intake_label="đợt trống", capacity=0)
    page = staff.get(url("courses:class_list"))
    shown = {c.intake_label: c.enrolled for c in page.context["page"]}
    assert shown == {"đợt đầy": 2, "đợt trống": 0}
    assert ">2/30</td>" in page.text


def test_enrolment_search_shows_party_status_and_warnings_before_sending(site_a, staff):
    """Each person found shows their party status and the warning enrolling
    them would give, in a number of queries that does not grow with them."""

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with scopes_disabled():
        course = make_class(
            site_a.center,
            class_type=make_class_type(code="dang-vien-moi"),
            start_date=datetime.date(2026, 6, 1),
            end_date=datetime.date(2026, 6, 10),
        )
        make_trainee(site_a.center, full_name="Hà Văn Quần")
        make_trainee(
            site_a.center,
            full_name="Hà Thị Dự",
            party_status="probationary",
            admission_date=datetime.date(2025, 6, 5),
        )
    address = url("enrollment:enrollment_add", course.pk)
    page = staff.get(address, {"q": "ha"}).text
    assert "Quần chúng" in page and "Đảng viên dự bị" in page
    assert "dành cho đảng viên dự bị" in page  # Hà Văn Quần, before sending
    assert "05/06/2026" in page  # Hà Thị Dự's probation ends before the class
    counts = []
    for more in (0, 6):
        with scopes_disabled():
            for number in range(more):
                make_trainee(site_a.center, full_name=f"Hà Văn Thêm{number}")
        with CaptureQueriesContext(connection) as queries:
            staff.get(address, {"q": "ha"})
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with scopes_disabled():
        assert not Enrollment.objects.exists()  # searching enrols nobody
