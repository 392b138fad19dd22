"""The trainee form: dates that cannot be right, a birth year made a whole
date, and a new person added from a class's enrolment page."""

import datetime

import pytest
from django_scopes import scopes_disabled

from enrollment.models import Trainee
from tests.conftest import table_snapshot, url
from tests.factories import make_class, make_trainee


@pytest.mark.parametrize(
    "dates, field, message",
    [
        (
            {"birth_date": f"{datetime.date.today() + datetime.timedelta(400)}"},
            "birth_date",
            "Ngày này ở tương lai.",
        ),
        (
            {"birth_date": "1998-08-02", "admission_date": "1990-01-01"},
            "admission_date",
            "Ngày vào Đảng trước khi đủ 18 tuổi.",
        ),
        (
            {
                "birth_date": "1980-08-02",
                "admission_date": "2020-01-01",
                "full_membership_date": "2019-01-01",
            },
            "full_membership_date",
            "Ngày chính thức phải sau ngày kết nạp Đảng.",
        ),
    ],
)
def test_dates_that_cannot_be_right_are_refused(staff, dates, field, message):
    data = {
        "full_name": "Lê Văn Khác",
        "gender": "male",
        "party_status": "probationary" if "admission_date" in dates else "non_member",
        **dates,
    }
    before = table_snapshot()
    response = staff.post(url("enrollment:trainee_create"), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert table_snapshot() == before


def test_a_new_person_from_the_enrol_page_comes_back_to_it(site_a, site_b, staff):
    with scopes_disabled():
        training_class = make_class(site_a.center)
        foreign = make_class(site_b.center)
    enrol = url("enrollment:enrollment_add", training_class.pk)
    link = f"{url('enrollment:trainee_create')}?for_class={training_class.pk}"
    assert link in staff.get(enrol).text
    assert 'id="for-class"' in staff.get(link).text
    data = {"full_name": "Lò Thị Mới", "gender": "female", "party_status": "non_member"}
    response = staff.post(link, data)
    assert response["Location"] == enrol + "?q=L%C3%B2+Th%E1%BB%8B+M%E1%BB%9Bi"
    assert "Lò Thị Mới" in staff.get(response["Location"]).text
    # Another centre's class is no way back: the new record opens as usual.
    other = f"{url('enrollment:trainee_create')}?for_class={foreign.pk}"
    response = staff.post(other, {**data, "full_name": "Lò Thị Khác"})
    with scopes_disabled():
        assert (
            response["Location"]
            == Trainee.objects.get(full_name="Lò Thị Khác").get_absolute_url()
        )


def test_a_whole_birth_date_typed_for_someone_known_by_the_year_sticks(site_a, staff):
    with scopes_disabled():
        person = make_trainee(
            site_a.center,
            full_name="Hứa Thị Ánh",
            birth_date=datetime.date(1992, 1, 1),
            birth_year_only=True,
        )
    edit = url("enrollment:trainee_update", person.pk)
    data = {
        "full_name": "Hứa Thị Ánh",
        "gender": "female",
        "party_status": "non_member",
        "birth_date": "15/03/1992",
    }
    assert staff.post(edit, data).status_code == 302
    person.refresh_from_db()
    assert (person.birth_date, person.birth_year_only) == (
        datetime.date(1992, 3, 15),
        False,
    )
    assert "15/03/1992" in staff.get(url("enrollment:trainee_detail", person.pk)).text
    # Saved again without touching the date: stays a whole date.
    assert staff.post(edit, {**data, "position": "Đoàn viên"}).status_code == 302
    person.refresh_from_db()
    assert not person.birth_year_only
