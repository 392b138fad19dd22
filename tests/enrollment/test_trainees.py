"""Enrolment: who may join a class (eligibility warnings, closed classes,
capacity, the same person twice) and what is kept of them at the time."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from courses.models import TrainingClass
from enrollment.models import Enrollment, Trainee
from enrollment.services import trainees as trainees_service
from tests.conftest import table_snapshot
from tests.factories import (
    make_class,
    make_class_type,
    make_enrollment,
    make_trainee,
)
from trainingcenter.models import Membership


@pytest.fixture
def klass(site_a):
    with scope(center=site_a.center):
        yield make_class(site_a.center, capacity=2)


def staff_membership(site):
    return Membership.objects.get(user=site.staff)


def director_membership(site):
    return Membership.objects.get(user=site.director)


def test_enrolment_keeps_unit_and_party_status_of_the_time(site_a, klass):
    trainee = make_trainee(site_a.center, party_status="non_member")
    (enrollment,) = trainees_service.enroll_trainees(
        klass, trainees=[trainee], by=site_a.staff, membership=staff_membership(site_a)
    )
    trainee.party_status = Trainee.PartyStatus.PROBATIONARY
    trainee.admission_date = datetime.date(2026, 5, 1)
    trainee.save()
    enrollment.refresh_from_db()
    assert enrollment.party_status == "non_member"


def test_same_person_twice_is_refused_and_nothing_changes(site_a, klass):
    trainee = make_trainee(site_a.center)
    make_enrollment(klass, trainee)
    before = table_snapshot()
    with pytest.raises(ValidationError, match="Đã có trong lớp: Nguyễn Thị Hòa"):
        trainees_service.enroll_trainees(
            klass,
            trainees=[trainee],
            by=site_a.staff,
            membership=staff_membership(site_a),
        )
    assert table_snapshot() == before


def test_closed_class_takes_nobody(site_a, klass):
    TrainingClass.objects.filter(pk=klass.pk).update(status="closed")
    before = table_snapshot()
    with pytest.raises(ValidationError, match="Lớp đã bế giảng"):
        trainees_service.enroll_trainees(
            klass,
            trainees=[make_trainee(site_a.center, full_name="Lê Văn Tám")],
            by=site_a.staff,
            membership=staff_membership(site_a),
        )
    assert Enrollment.objects.count() == 0
    assert table_snapshot()["enrollment.Enrollment"] == before["enrollment.Enrollment"]


def test_capacity_needs_a_director_to_go_beyond(site_a, klass):
    people = [make_trainee(site_a.center, full_name=f"Lê Văn Số {i}") for i in range(3)]
    with pytest.raises(ValidationError, match="chỉ giám đốc"):
        trainees_service.enroll_trainees(
            klass,
            trainees=people,
            by=site_a.staff,
            membership=staff_membership(site_a),
            over_capacity_confirmed=True,
        )
    assert Enrollment.objects.count() == 0
    with pytest.raises(ValidationError):
        trainees_service.enroll_trainees(
            klass,
            trainees=people,
            by=site_a.director,
            membership=director_membership(site_a),
        )
    trainees_service.enroll_trainees(
        klass,
        trainees=people,
        by=site_a.director,
        membership=director_membership(site_a),
        over_capacity_confirmed=True,
    )
    assert Enrollment.objects.count() == 3


def test_new_member_course_warns_for_non_members_and_late_probation(site_a):
    with scope(center=site_a.center):
        course = make_class(
            site_a.center,
            class_type=make_class_type(code="dang-vien-moi"),
            start_date=datetime.date(2026, 6, 1),
            end_date=datetime.date(2026, 6, 10),
        )
        outsider = make_trainee(site_a.center, full_name="Hà Văn Quần")
        late = make_trainee(
            site_a.center,
            full_name="Hà Thị Dự",
            party_status="probationary",
            admission_date=datetime.date(2025, 6, 5),
        )
        in_time = make_trainee(
            site_a.center,
            full_name="Hà Thị Kịp",
            party_status="probationary",
            admission_date=datetime.date(2025, 12, 1),
        )
        assert (
            "dành cho đảng viên dự bị"
            in trainees_service.eligibility_warnings(outsider, course)[0]
        )
        (warning,) = trainees_service.eligibility_warnings(late, course)
        assert "05/06/2026" in warning
        assert trainees_service.eligibility_warnings(in_time, course) == []


def test_awareness_course_warns_when_a_valid_one_is_held(site_a):
    with scope(center=site_a.center):
        awareness = make_class_type(code="nhan-thuc-ve-dang")
        old = make_class(
            site_a.center,
            class_type=awareness,
            start_date=datetime.date(2022, 3, 1),
            end_date=datetime.date(2022, 3, 5),
        )
        new = make_class(site_a.center, class_type=awareness)
        person = make_trainee(site_a.center)
        make_enrollment(old, person, status=Enrollment.Status.COMPLETED)
        (warning,) = trainees_service.eligibility_warnings(person, new)
        assert "05/03/2027" in warning
        TrainingClass.objects.filter(pk=old.pk).update(
            start_date=datetime.date(2020, 1, 6), end_date=datetime.date(2020, 1, 10)
        )
        assert trainees_service.eligibility_warnings(person, new) == []


@pytest.mark.django_db
def test_the_registry_search_takes_a_year_or_a_date_of_birth(site_a):
    """Six "Trần Thị Hoa" are told apart by their birth, typed in the box."""
    born = [
        datetime.date(1990, 3, 12),
        datetime.date(1990, 7, 1),
        datetime.date(1985, 1, 2),
    ]
    for day in born:
        make_trainee(site_a.center, full_name="Trần Thị Hoa", birth_date=day)
    make_trainee(
        site_a.center, full_name="Lê Văn Năm", birth_date=datetime.date(1990, 3, 12)
    )
    with scope(center=site_a.center):
        people = site_a.center.trainees

        def found(text):
            return sorted((t.full_name, t.birth_date) for t in people.matching(text))

        assert [d for _n, d in found("hoa 1990")] == born[:2]
        assert found("Hoa 12/03/1990") == [("Trần Thị Hoa", born[0])]
        assert len(found("12/3/1990")) == 2  # Hoa and Năm
        assert len(found("1990")) == 3
        assert found("Hoa 31/02/1990") == []  # no such day: nobody, no error
        assert len(found("Trần Thị Hoa")) == 3


def test_a_programme_taken_once_warns_when_it_was_completed_before(site_a):
    """The new members' course has no validity: a second one was enrolled and
    certified without a word. A summer course comes round every year."""
    with scope(center=site_a.center):
        new_members = make_class_type(code="dang-vien-moi")
        person = make_trainee(
            site_a.center,
            full_name="Lê Thị Vân",
            party_status="probationary",
            admission_date=datetime.date(2026, 1, 5),
        )
        make_enrollment(
            make_class(
                site_a.center,
                class_type=new_members,
                start_date=datetime.date(2026, 3, 2),
                end_date=datetime.date(2026, 3, 6),
            ),
            person,
            status=Enrollment.Status.COMPLETED,
        )
        again = make_class(
            site_a.center,
            class_type=new_members,
            start_date=datetime.date(2026, 6, 1),
            end_date=datetime.date(2026, 6, 5),
        )
        (warning,) = trainees_service.eligibility_warnings(person, again)
        assert "đã hoàn thành chương trình này (lớp kết thúc ngày 06/03/2026)" in (
            warning
        )
        summer = make_class_type(code="chinh-tri-he")
        last_year = make_class(
            site_a.center,
            class_type=summer,
            start_date=datetime.date(2025, 7, 7),
            end_date=datetime.date(2025, 7, 11),
        )
        make_enrollment(last_year, person, status=Enrollment.Status.COMPLETED)
        this_year = make_class(site_a.center, class_type=summer)
        assert trainees_service.eligibility_warnings(person, this_year) == []
