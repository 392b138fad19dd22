"""The register of requests people make about their data: a request is
recorded from the person's record with its two dates (the reply, the work),
bad dates are refused with the reason and change nothing, and a request past
a date is shown first on the register and on the director's overview."""

import datetime
import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled
from pypdf import PdfReader

from enrollment.models import SubjectRequest
from enrollment.models.privacy import working_days_after
from tests.conftest import table_snapshot, url
from tests.factories import make_subject_request, make_trainee


@pytest.fixture
def director(site_a):
    client = Client()
    client.force_login(site_a.director)
    return client


def test_the_reply_is_due_two_working_days_later_and_the_work_by_kind():
    friday = datetime.date(2026, 12, 4)
    assert working_days_after(friday, 2) == datetime.date(2026, 12, 8)  # Tuesday
    assert SubjectRequest.deadlines("access", friday) == (
        datetime.date(2026, 12, 8),
        datetime.date(2026, 12, 14),
    )
    assert SubjectRequest.deadlines("withdrawal", friday)[1] == datetime.date(
        2026, 12, 19
    )


@pytest.mark.django_db
def test_a_request_recorded_from_the_persons_record(site_a, director):
    with scopes_disabled():
        person = make_trainee(site_a.center, full_name="Trần Thị Hoa")
    page = director.get(url("enrollment:trainee_detail", person.pk)).content.decode()
    assert "Ghi nhận yêu cầu về dữ liệu của người này" in page
    form = director.get(
        url("enrollment:subject_request_create") + f"?trainee={person.pk}"
    )
    assert "Người học: Trần Thị Hoa." in form.content.decode()
    response = director.post(
        url("enrollment:subject_request_create") + f"?trainee={person.pk}",
        {"kind": "correction", "received_on": "04/12/2026", "details": "Sai ngày sinh"},
        follow=True,
    )
    text = response.content.decode()
    assert "Đã ghi nhận yêu cầu: phản hồi chậm nhất ngày 08/12/2026" in text
    assert "giải quyết xong chậm nhất ngày 14/12/2026" in text
    with scopes_disabled():
        entry = SubjectRequest.objects.get()
    assert (entry.center, entry.trainee, entry.kind) == (
        site_a.center,
        person,
        "correction",
    )
    assert entry.created_by == site_a.director
    assert "Trần Thị Hoa" in text and "Chỉnh sửa dữ liệu" in text
    # The person's record lists it too, for the director only.
    record = director.get(url("enrollment:trainee_detail", person.pk)).text
    listed = record[record.index("Các yêu cầu về dữ liệu của người này") :]
    assert "04/12/2026" in listed and "Chỉnh sửa dữ liệu" in listed
    staff = Client()
    staff.force_login(site_a.staff)
    record = staff.get(url("enrollment:trainee_detail", person.pk)).text
    assert "Chỉnh sửa dữ liệu" not in record
    # The person's own file lists their requests: data held on them too.
    purpose = {"purpose": "own_request"}
    pdf = director.post(url("enrollment:person_file_pdf", person.pk), purpose)
    printed = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "CÁC YÊU CẦU VỀ DỮ LIỆU CÁ NHÂN" in printed
    assert "04/12/2026 Chỉnh sửa dữ liệu" in printed
    xlsx = director.post(url("enrollment:person_file_xlsx", person.pk), purpose)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["Yêu cầu"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[1] == "Chỉnh sửa dữ liệu"]
    assert rows[0][0] == datetime.datetime(2026, 12, 4)
    assert rows[0][4] == "Đang giải quyết"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field_error",
    [
        ({"received_on": "01/01/2099"}, "Ngày này chưa đến."),
        ({"received_on": "31/02/2026"}, "Nhập một ngày hợp lệ."),
        ({"kind": "sell"}, "Hãy chọn một lựa chọn hợp lệ."),
    ],
)
def test_a_bad_request_is_refused_with_the_reason_and_changes_nothing(
    site_a, director, data, field_error
):
    before = table_snapshot()
    response = director.post(
        url("enrollment:subject_request_create"),
        {"kind": "access", "received_on": "04/12/2026", **data},
    )
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert table_snapshot() == before


@pytest.mark.django_db
def test_closing_a_refusal_needs_the_reason_and_an_extension_is_at_most_15_days(
    site_a, director
):
    received = timezone.localdate() - datetime.timedelta(days=3)
    with scopes_disabled():
        entry = make_subject_request(
            site_a.center, kind="deletion", received_on=received
        )
    page = url("enrollment:subject_request_update", entry.pk)
    base = {"kind": "deletion", "received_on": f"{received:%d/%m/%Y}"}
    too_long = entry.due_on + datetime.timedelta(days=16)
    before = table_snapshot()
    for data, message in (
        (
            {"closed_on": f"{timezone.localdate():%d/%m/%Y}", "outcome": "refused"},
            "Ghi rõ lý do",
        ),
        ({"outcome": "done"}, "Nhập ngày giải quyết xong"),
        ({"extended_to": f"{too_long:%d/%m/%Y}"}, "một lần, không quá 15 ngày"),
        (
            {"answered_on": f"{received - datetime.timedelta(days=1):%d/%m/%Y}"},
            "Ngày này trước ngày nhận yêu cầu.",
        ),
    ):
        response = director.post(page, {**base, **data})
        assert response.status_code == 200
        assert message in response.content.decode(), data
    assert table_snapshot() == before
    with scopes_disabled():
        entry.refresh_from_db()
    assert (entry.closed_on, entry.outcome, entry.extended_to) == (None, "", None)
    extended = entry.due_on + datetime.timedelta(days=15)
    director.post(page, {**base, "extended_to": f"{extended:%d/%m/%Y}"})
    with scopes_disabled():
        entry.refresh_from_db()
    assert entry.deadline == extended


@pytest.mark.django_db
def test_a_request_past_its_date_comes_first_and_on_the_overview(site_a, director):
    today = timezone.localdate()
    with scopes_disabled():
        late = make_subject_request(
            site_a.center,
            trainee=make_trainee(site_a.center, full_name="Lê Văn Muộn"),
            received_on=today - datetime.timedelta(days=20),
        )
        make_subject_request(
            site_a.center,
            trainee=make_trainee(site_a.center, full_name="Phạm Thị Đúng"),
            received_on=today - datetime.timedelta(days=20),
            answered_on=today - datetime.timedelta(days=19),
            closed_on=today - datetime.timedelta(days=12),
            outcome="done",
        )
        make_subject_request(site_a.center, received_on=today)
    text = director.get(url("enrollment:subject_requests")).content.decode()
    assert "1 yêu cầu đã quá hạn" in text
    assert text.index("Lê Văn Muộn") < text.index("Các yêu cầu khác")
    assert text.index("Các yêu cầu khác") < text.index("Phạm Thị Đúng")
    assert "Quá hạn giải quyết" in text and "Đang giải quyết" in text
    overview = director.get(url("reports:dashboard")).content.decode()
    assert "1 yêu cầu về dữ liệu cá nhân đã quá hạn." in overview
    with scopes_disabled():
        assert list(SubjectRequest.past_a_date(site_a.center, today)) == [late]


@pytest.mark.django_db
def test_another_centres_person_or_a_bad_id_answers_404(site_a, site_b, director):
    with scopes_disabled():
        foreign = make_trainee(site_b.center)
    before = table_snapshot()
    for query in (f"?trainee={foreign.pk}", "?trainee=abc"):
        target = url("enrollment:subject_request_create") + query
        assert director.get(target).status_code == 404
        response = director.post(
            target, {"kind": "access", "received_on": "04/12/2026"}
        )
        assert response.status_code == 404
    assert table_snapshot() == before


@pytest.mark.django_db
def test_staff_do_not_see_the_register(site_a, staff):
    assert staff.get(url("enrollment:subject_requests")).status_code == 403


@pytest.mark.django_db
def test_a_request_past_its_date_cannot_be_made_to_look_in_time(site_a, director):
    """No extension once the date has passed; no moving the dates of a
    request already answered; no reply after the request was done; a late
    reply stays marked late."""
    today = timezone.localdate()
    received = today - datetime.timedelta(days=14)
    with scopes_disabled():
        entry = make_subject_request(site_a.center, received_on=received)
    page = url("enrollment:subject_request_update", entry.pk)
    base = {"kind": "access", "received_on": f"{received:%d/%m/%Y}"}
    later = entry.due_on + datetime.timedelta(days=15)
    before = table_snapshot()
    refused = director.post(page, {**base, "extended_to": f"{later:%d/%m/%Y}"})
    assert "đã quá hạn nên không thể gia hạn nữa" in refused.text
    refused = director.post(
        page,
        {
            **base,
            "answered_on": f"{today:%d/%m/%Y}",
            "closed_on": f"{today - datetime.timedelta(days=1):%d/%m/%Y}",
            "outcome": "done",
        },
    )
    assert "Ngày phản hồi không thể sau ngày giải quyết xong." in refused.text
    assert table_snapshot() == before
    with scopes_disabled():
        assert SubjectRequest.past_a_date(site_a.center, today).count() == 1

    answered = today - datetime.timedelta(days=1)
    director.post(page, {**base, "answered_on": f"{answered:%d/%m/%Y}"})
    moved = {"kind": "withdrawal", "received_on": f"{today:%d/%m/%Y}"}
    director.post(page, {**moved, "answered_on": f"{answered:%d/%m/%Y}"})
    with scopes_disabled():
        entry.refresh_from_db()
    assert (entry.kind, entry.received_on, entry.answered_on) == (
        "access",
        received,
        answered,
    )
    listed = director.get(url("enrollment:subject_requests")).text
    assert f"phản hồi {answered:%d/%m/%Y}, muộn" in listed


@pytest.mark.django_db
def test_dates_written_in_late_say_so_and_a_done_request_stays(site_a, director):
    today = timezone.localdate()
    received = today - datetime.timedelta(days=20)
    page = url("enrollment:subject_request_create")
    nameless = director.post(
        page, {"kind": "access", "received_on": f"{received:%d/%m/%Y}"}
    )
    assert nameless.status_code == 200 and "Trường này là bắt buộc." in nameless.text
    director.post(
        page,
        {
            "kind": "access",
            "received_on": f"{received:%d/%m/%Y}",
            "subject_name": "Đỗ Thị Ngoài",
        },
    )
    with scopes_disabled():
        entry = SubjectRequest.objects.get()
    assert entry.subject_name == "Đỗ Thị Ngoài" and entry.trainee is None
    in_time = received + datetime.timedelta(days=1)
    director.post(
        url("enrollment:subject_request_update", entry.pk),
        {
            "kind": "access",
            "received_on": f"{received:%d/%m/%Y}",
            "subject_name": "Đỗ Thị Ngoài",
            "answered_on": f"{in_time:%d/%m/%Y}",
            "closed_on": f"{in_time:%d/%m/%Y}",
            "outcome": "done",
        },
    )
    listed = director.get(url("enrollment:subject_requests")).text
    assert "Đỗ Thị Ngoài" in listed
    assert listed.count(f"(ghi vào sổ ngày {today:%d/%m/%Y})") == 2
    before = table_snapshot()
    refused = director.post(
        url("enrollment:subject_request_update", entry.pk),
        {"kind": "deletion", "received_on": f"{today:%d/%m/%Y}"},
        follow=True,
    )
    assert "sổ giữ nguyên như đã ghi" in refused.text
    assert table_snapshot() == before


def test_the_register_pages_by_100_and_keeps_the_late_ones_on_top(
    site_a, director, django_assert_max_num_queries
):
    """A centre's register grows by the year: a page shows 100 requests, the
    ones past a date above them on every page, in the same number of queries
    for 3 requests as for 102."""
    today = timezone.localdate()
    register = url("enrollment:subject_requests")
    with scopes_disabled():
        late = make_subject_request(
            site_a.center,
            trainee=make_trainee(site_a.center, full_name="Lê Văn Muộn"),
            received_on=today - datetime.timedelta(days=40),
        )
        make_subject_request(site_a.center, trainee=None, subject_name="Người Thứ Hai")
    with django_assert_max_num_queries(40) as few:
        director.get(register)
    with scopes_disabled():
        SubjectRequest.objects.bulk_create(
            SubjectRequest(
                center=site_a.center,
                subject_name=f"Người Gửi {n:03d}",
                kind=SubjectRequest.Kind.ACCESS,
                received_on=today,
                answer_by=late.answer_by + datetime.timedelta(days=40),
                due_on=late.due_on + datetime.timedelta(days=40),
                created_by=late.created_by,
            )
            for n in range(100)
        )
    with django_assert_max_num_queries(len(few)):
        first = director.get(register).content.decode()
    second = director.get(register + "?page=2").content.decode()
    assert "1 / 2" in first and "Người Thứ Hai" not in first
    assert "Người Thứ Hai" in second
    for text in (first, second):
        assert text.index("Lê Văn Muộn") < text.index("Các yêu cầu khác")
    assert first.count("Người Gửi") == 100


def test_a_request_written_in_after_its_date_is_told_so_at_once(site_a, director):
    """A request received three weeks ago and written in today is already
    past both its dates: the director is told on recording it, not only by
    the register's order."""

    def record(name: str, received: datetime.date) -> str:
        return director.post(
            url("enrollment:subject_request_create"),
            {
                "kind": "access",
                "received_on": f"{received:%d/%m/%Y}",
                "subject_name": name,
            },
            follow=True,
        ).content.decode()

    received = timezone.localdate() - datetime.timedelta(days=21)
    late = record("Lê Thị Mai", received)
    assert f"Yêu cầu nhận ngày {received:%d/%m/%Y} đã quá hạn" in late
    on_time = record("Lê Thị Hạnh", timezone.localdate())
    assert "Đã ghi nhận yêu cầu" in on_time
    assert "Yêu cầu nhận ngày" not in on_time
