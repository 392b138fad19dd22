"""A list names people already registered, and says some things otherwise
than their record: a different citizen ID or birth date is flagged, a party
status the list gives is said and taken for the enrolment, and the unit that
sent the list is the enrolment's unit. The record itself is not changed."""

import datetime

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from enrollment.models import Enrollment, Trainee
from tests.enrollment.excel import person, workbook
from tests.enrollment.test_imports_views import upload
from tests.enrollment.trainee_lists import parse
from tests.factories import make_class, make_organization, make_trainee

# Hoàng Công Anh as his cell lists him: his record's citizen ID and birth
# date, and the party status the record does not have yet.
ANH_AS_LISTED = person(
    1,
    "Hoàng Công Anh",
    "02/08/1998",
    "Nam",
    party="Đảng viên dự bị",
    admission="03/03/2025",
    citizen_id="068098261091",
)


@pytest.fixture
def registered(site_a):
    with scopes_disabled():
        home = make_organization(
            parent=site_a.center.organization.parent, name="UBND phường Cam Ly"
        )
        anh = make_trainee(
            site_a.center,
            full_name="Hoàng Công Anh",
            gender=Trainee.Gender.MALE,
            birth_date=datetime.date(1998, 8, 2),
            citizen_id="068098261091",
            unit=home,
        )
        binh = make_trainee(
            site_a.center,
            full_name="Nguyễn Văn Bình",
            gender=Trainee.Gender.MALE,
            birth_date=datetime.date(1990, 3, 12),
            citizen_id="068090001234",
        )
        return anh, binh, make_class(site_a.center)


@pytest.mark.django_db
def test_differences_from_the_record_are_said(registered):
    anh, binh, klass = registered
    content = workbook(
        [
            # Same citizen ID, another birth date; the list makes him a member.
            person(
                1,
                "Hoàng Công Anh",
                "02/08/1999",
                "Nam",
                party="Đảng viên dự bị",
                admission="03/03/2025",
                citizen_id="068098261091",
            ),
            # Same name and birth date, another citizen ID: perhaps another man.
            person(
                2, "Nguyễn Văn Bình", "12/03/1990", "Nam", citizen_id="068090009999"
            ),
        ]  # fmt: skip
    )
    with scopes_disabled():
        first, second = parse(content, klass).rows
    assert first.match_id == anh.pk and second.match_id == binh.pk
    assert (
        "Danh sách ghi ngày sinh 02/08/1999, hồ sơ ghi 02/08/1998; hồ sơ giữ nguyên."
        in first.warnings
    )
    assert any(
        "Danh sách ghi Đảng viên dự bị, hồ sơ ghi Quần chúng" in note
        for note in first.notes
    )
    assert second.warnings[0].startswith("Số CCCD khác với hồ sơ đã có")


@pytest.mark.django_db
def test_the_unit_that_sent_the_list_is_the_enrolments_unit(site_a, registered):
    anh, _binh, klass = registered
    with scopes_disabled():
        cell = make_organization(
            parent=site_a.center.organization.parent, name="Chi bộ Tổ dân phố 2"
        )
    staff = Client()
    staff.force_login(site_a.staff)
    content = workbook(
        [
            ANH_AS_LISTED,
            person(2, "Trần Văn Mới", "01/01/1996", "Nam"),
        ]  # fmt: skip
    )
    location = upload(staff, klass, content, sending_unit=cell.pk)["Location"]
    staff.post(location + "confirm/", {"confirmed": "1"})
    with scopes_disabled():
        enrolments = {
            e.trainee.full_name: e
            for e in Enrollment.objects.filter(training_class=klass).select_related(
                "trainee"
            )
        }
        assert set(enrolments) == {"Hoàng Công Anh", "Trần Văn Mới"}
        assert {e.unit_id for e in enrolments.values()} == {cell.pk}
        enrolment = enrolments["Hoàng Công Anh"]
        assert enrolment.party_status == Trainee.PartyStatus.PROBATIONARY
        # The record keeps its own unit and status: a list does not rewrite it.
        anh.refresh_from_db()
        assert anh.unit_id != cell.pk
        assert anh.party_status == Trainee.PartyStatus.NON_MEMBER


@pytest.mark.django_db
def test_a_person_already_in_the_class_gets_no_note_about_this_enrolment(
    site_a, registered
):
    """An old roster imported back leaves the enrolment as it is: no
    "this enrolment follows the list"."""
    anh, _binh, klass = registered
    with scopes_disabled():
        Enrollment.objects.create(training_class=klass, trainee=anh)
        (row,) = parse(
            workbook(
                [
                    ANH_AS_LISTED,
                ]  # fmt: skip
            ),
            klass,
        ).rows
    assert row.already_enrolled
    assert not any("lượt học này" in note for note in row.notes)
