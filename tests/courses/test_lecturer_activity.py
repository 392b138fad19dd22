"""A lecturer's peer teaching, class observations and contests.

Messages are looked up through gettext under Vietnamese, so the tests hold
before and after the catalogue has them; the wording expected is in comments.
"""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from courses.models import LecturerActivity
from tests.conftest import table_snapshot
from tests.factories import make_lecturer, make_lecturer_activity

CONTEST = "Hội thi giảng viên lý luận chính trị giỏi cấp tỉnh năm 2026"


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def url(name, center, *args):
    return reverse(f"courses:{name}", args=[center.slug, *args])


@pytest.fixture
def lecturer(site_a):
    return make_lecturer(site_a.center, full_name="Nguyễn Thị Thu Hà")


@pytest.fixture
def staff_client(site_a):
    client = Client()
    client.force_login(site_a.staff)
    return client


def activities():
    with scopes_disabled():
        return list(
            LecturerActivity.objects.order_by("pk").values_list(
                "lecturer", "kind", "date", "title", "award", "note"
            )
        )


@pytest.mark.django_db
def test_staff_adds_edits_and_deletes_an_activity(site_a, lecturer, staff_client):
    page = staff_client.get(url("lecturer_update", site_a.center, lecturer.pk))
    assert url("lecturer_activity_create", site_a.center, lecturer.pk) in page.text

    response = staff_client.post(
        url("lecturer_activity_create", site_a.center, lecturer.pk),
        {
            "kind": "contest",
            "date": "20/10/2026",
            "title": CONTEST,
            "award": "second",
            "lecturer": 999,  # ignored: the lecturer comes from the URL
        },
        follow=True,
    )
    # "Đã thêm một hoạt động của giảng viên Nguyễn Thị Thu Hà."
    assert (
        vi("An activity of %(name)s was added.") % {"name": "Nguyễn Thị Thu Hà"}
        in response.text
    )
    assert activities() == [
        (lecturer.pk, "contest", datetime.date(2026, 10, 20), CONTEST, "second", "")
    ]
    # The lecturer's page lists it: day, kind, title, prize, edit and delete.
    assert "20/10/2026" in response.text and CONTEST in response.text
    assert vi("Second prize") in response.text
    with scopes_disabled():
        activity = LecturerActivity.objects.get()
    edit = url("lecturer_activity_update", site_a.center, lecturer.pk, activity.pk)
    delete = url("lecturer_activity_delete", site_a.center, lecturer.pk, activity.pk)
    assert edit in response.text and delete in response.text

    response = staff_client.post(
        edit,
        {"kind": "peer_teaching", "date": "2026-03-10", "title": "Chuyên đề 1"},
        follow=True,
    )
    assert (
        vi("The activity of %(name)s was saved.") % {"name": "Nguyễn Thị Thu Hà"}
        in response.text
    )
    assert activities() == [
        (
            lecturer.pk,
            "peer_teaching",
            datetime.date(2026, 3, 10),
            "Chuyên đề 1",
            "",
            "",
        )
    ]

    # Deleting asks first: the GET changes nothing and shows a POST form.
    before = table_snapshot()
    confirm = staff_client.get(delete)
    assert confirm.status_code == 200
    assert 'method="post"' in confirm.text and "csrfmiddlewaretoken" in confirm.text
    assert "Chuyên đề 1" in confirm.text
    assert table_snapshot() == before
    response = staff_client.post(delete, follow=True)
    assert (
        vi("The activity of %(name)s was deleted.") % {"name": "Nguyễn Thị Thu Hà"}
        in response.text
    )
    assert activities() == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "code", "message"),
    [
        # "Chọn giải đạt được tại hội thi, hoặc “Không đạt giải”."
        (
            {"kind": "contest", "date": "20/10/2026", "title": CONTEST},
            "award",
            "prize_required",
            "Choose the prize won at the contest, or “No prize”.",
        ),
        # "Chỉ hội thi mới có giải: hãy để trống ô này."
        (
            {"kind": "observation", "date": "20/10/2026", "title": "Chuyên đề 3"},
            "award",
            "prize_not_allowed",
            "Only a contest has a prize: leave it empty.",
        ),
        # "Ngày không thể ở tương lai."
        (
            {"kind": "peer_teaching", "date": "tomorrow", "title": "Chuyên đề 3"},
            "date",
            "date_in_future",
            "The date cannot be in the future.",
        ),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(
    site_a, lecturer, staff_client, data, field, code, message
):
    data = dict(data)
    if data["date"] == "tomorrow":
        data["date"] = f"{timezone.localdate() + datetime.timedelta(days=1):%d/%m/%Y}"
    if code == "prize_not_allowed":
        data["award"] = "first"
    before = table_snapshot()
    response = staff_client.post(
        url("lecturer_activity_create", site_a.center, lecturer.pk), data
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors[field]] == [code]
    assert vi(message) in response.text
    assert table_snapshot() == before


@pytest.mark.django_db
def test_a_bad_edit_keeps_the_saved_activity(site_a, lecturer, staff_client):
    activity = make_lecturer_activity(
        lecturer, kind="contest", title=CONTEST, award="third"
    )
    before = table_snapshot()
    saved = activities()
    response = staff_client.post(
        url("lecturer_activity_update", site_a.center, lecturer.pk, activity.pk),
        {"kind": "contest", "date": "10/03/2026", "title": CONTEST, "award": ""},
    )
    assert response.status_code == 200
    assert vi("Choose the prize won at the contest, or “No prize”.") in response.text
    assert activities() == saved
    assert table_snapshot() == before


@pytest.mark.django_db
def test_the_database_refuses_a_contest_without_a_prize(lecturer):
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        LecturerActivity.objects.create(
            lecturer=lecturer,
            kind="contest",
            date=datetime.date(2026, 10, 20),
            title=CONTEST,
        )


@pytest.mark.django_db
def test_another_centres_lecturer_and_activity_are_404_and_unchanged(
    site_a, site_b, lecturer, staff_client
):
    """B's objects under A's centre, and B's activity under A's lecturer."""
    foreign_lecturer = make_lecturer(site_b.center)
    foreign = make_lecturer_activity(foreign_lecturer)
    own = make_lecturer_activity(lecturer)
    data = {"kind": "observation", "date": "01/04/2026", "title": "Đổi"}
    urls = [
        url("lecturer_activity_create", site_a.center, foreign_lecturer.pk),
        url("lecturer_activity_update", site_a.center, foreign_lecturer.pk, foreign.pk),
        url("lecturer_activity_delete", site_a.center, foreign_lecturer.pk, foreign.pk),
        url("lecturer_activity_update", site_a.center, lecturer.pk, foreign.pk),
        url("lecturer_activity_delete", site_a.center, lecturer.pk, foreign.pk),
        # A's own activity under B's centre.
        url("lecturer_activity_update", site_b.center, lecturer.pk, own.pk),
        url("lecturer_activity_delete", site_b.center, lecturer.pk, own.pk),
    ]
    before, saved = table_snapshot(), activities()
    for address in urls:
        assert staff_client.get(address).status_code == 404, address
        assert staff_client.post(address, data).status_code == 404, address
    assert activities() == saved
    assert table_snapshot() == before


@pytest.mark.django_db
def test_a_committee_user_can_neither_see_nor_change_activities(site_a, lecturer):
    activity = make_lecturer_activity(lecturer)
    client = Client()
    client.force_login(site_a.committee)
    data = {"kind": "observation", "date": "01/04/2026", "title": "Đổi"}
    before, saved = table_snapshot(), activities()
    for address in [
        url("lecturer_activity_create", site_a.center, lecturer.pk),
        url("lecturer_activity_update", site_a.center, lecturer.pk, activity.pk),
        url("lecturer_activity_delete", site_a.center, lecturer.pk, activity.pk),
    ]:
        assert client.get(address).status_code == 403, address
        assert client.post(address, data).status_code == 403, address
    assert activities() == saved
    assert table_snapshot() == before


@pytest.mark.django_db
def test_the_lecturer_page_lists_only_their_activities_in_constant_queries(
    site_a, lecturer, staff_client
):
    other = make_lecturer(site_a.center, full_name="Trần Văn Đức")
    make_lecturer_activity(other, title="Chuyên đề của người khác")
    make_lecturer_activity(lecturer, title="Chuyên đề 1")
    page = url("lecturer_update", site_a.center, lecturer.pk)
    with CaptureQueriesContext(connection) as one:
        response = staff_client.get(page)
    assert "Chuyên đề 1" in response.text
    assert "Chuyên đề của người khác" not in response.text
    for day in range(1, 11):
        make_lecturer_activity(
            lecturer,
            kind="contest",
            date=datetime.date(2026, 5, day),
            title=f"Hội thi {day}",
            award="consolation",
        )
    with CaptureQueriesContext(connection) as eleven:
        response = staff_client.get(page)
    assert response.text.count(vi("Consolation prize")) == 10
    assert len(eleven) == len(one)


@pytest.mark.django_db
def test_the_model_rules_hold_outside_the_form(lecturer):
    """The admin saves through full_clean as well."""
    from django.core.exceptions import ValidationError

    activity = LecturerActivity(
        lecturer=lecturer,
        kind="peer_teaching",
        date=timezone.localdate() + datetime.timedelta(days=3),
        title="Chuyên đề 2",
        award="first",
    )
    with pytest.raises(ValidationError) as raised:
        activity.full_clean()
    assert {
        field: [error.code for error in errors]
        for field, errors in raised.value.error_dict.items()
    } == {"award": ["prize_not_allowed"], "date": ["date_in_future"]}
