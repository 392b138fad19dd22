"""A small centre-year whose report figures are worked out by hand below.

It has a roster-less historic class, a withdrawn trainee, a co-organised class
not counted in the plan, a class at a commune cluster, a person enrolled twice,
a class of the year before and another centre's class that never counts. Page,
PDF and Excel tests all compare against EXPECTED.
"""

import datetime
import secrets
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from courses.models import AnnualPlan, CoOrganizer
from enrollment.models import Attendance, Certificate, Enrollment
from tests.factories import (
    make_class,
    make_class_type,
    make_lecturer,
    make_organization,
    make_session,
    make_trainee,
    make_user,
)
from trainingcenter.models import Membership, Organization

D = datetime.date
COMPLETED, FAILED = Enrollment.Status.COMPLETED, Enrollment.Status.FAILED

# Worked out by hand from the rows built in `report_site` (see the comments there).
EXPECTED = {
    "nhan-thuc-ve-dang": {
        "target_classes": 3,
        "target_trainees": 100,
        "classes": 2,
        "enrolled": 5,  # N1: Hòa, Sáng, Lan (Minh withdrew); N2: Hòa again, H'Linh
        "women": 4,  # Hòa, Lan, Hòa, H'Linh
        "minorities": 2,  # Sáng (Tày), H'Linh (Ê Đê)
        "cluster_classes": 1,  # N2
        "co_organized_classes": 0,
        "completed": 4,  # N1: 3 with a result; N2: Hòa
        "passed": 3,  # N1: Hòa, Sáng; N2: Hòa
        "listed_passed": 3,
        "certified": 2,  # N1: Hòa, Sáng
        "excellent": 1,
        "good": 1,
        "average": 1,
        "failed": 1,
        "attended": 2,
        "attendance_records": 3,
        "plan_classes_share": Decimal("0.667"),  # 2 / 3
        "plan_trainees_share": Decimal("0.05"),  # 5 / 100
    },
    "dang-vien-moi": {
        "target_classes": 2,
        "target_trainees": 40,
        "classes": 1,
        "enrolled": 30,  # declared by the historic class
        "unlisted": 30,  # no list: its women and minorities are not known
        "completed": 28,
        "passed": 28,
        "certified": 25,
        "plan_classes_share": Decimal("0.5"),
        "plan_trainees_share": Decimal("0.75"),
    },
    "chinh-tri-he": {
        "target_classes": 0,
        "classes": 1,
        "enrolled": 2,
        "women": 1,
        "co_organized_classes": 1,
        "completed": 2,
        "passed": 2,
        "listed_passed": 2,  # passed, without a grade
        "plan_classes_share": None,  # no plan, and not counted in one
    },
    "total": {
        "target_classes": 5,
        "target_trainees": 140,
        "classes": 4,
        "enrolled": 37,
        "unlisted": 30,  # the historic class: women, minorities of 7 known
        "women": 5,
        "minorities": 2,
        "cluster_classes": 1,
        "co_organized_classes": 1,
        "completed": 34,
        "passed": 33,
        "listed_passed": 5,  # the historic class declares its 28, no grades
        "certified": 27,
        "excellent": 1,
        "good": 1,
        "average": 1,
        "failed": 1,
        "attended": 2,
        "attendance_records": 3,
        "plan_classes_done": 3,  # the summer class is not counted in the plan
        "plan_enrolled_done": 35,
        "plan_classes_share": Decimal("0.6"),  # 3 / 5
        "plan_trainees_share": Decimal("0.25"),  # 35 / 140
        "attendance_share": Decimal("0.667"),  # 2 / 3
    },
    "persons": 6,  # Hòa, Sáng, Lan, H'Linh, Tuấn, Mai
    "previous": {"classes": 1, "enrolled": 2},
    "previous_persons": 2,
    "change_enrolled": 35,
    "lecturers": {"Trần Văn Bình": (1, 5), "Lê Thị Thu": (1, 4)},
    "units": [("Chi bộ Khu phố 1", 4, 3), ("Hội Phụ nữ phường", 3, 2)],
    "partners": [("Phòng Văn hóa – Xã hội", 1)],
}


def _certify(enrollment, number):
    return Certificate.objects.create(
        enrollment=enrollment,
        kind=Certificate.Kind.CERTIFICATE,
        issuer=enrollment.training_class.center.organization,
        year=2026,
        number=number,
        number_text=f"{number}/GCN-TTCT",
        issued_on=D(2026, 3, 20),
        code=secrets.token_urlsafe(16),
    )


@pytest.fixture
def report_site(site_a, site_b):
    center = site_a.center
    awareness = make_class_type()
    new_members = make_class_type(code="dang-vien-moi")
    summer = make_class_type(code="chinh-tri-he")
    _plans(center, site_b.center, awareness, new_members)
    # The units are the commune's, whose committee the rollups are for.
    commune = center.organization.parent
    cell = make_organization(name="Chi bộ Khu phố 1", level="cell", parent=commune)
    women_union = make_organization(
        name="Hội Phụ nữ phường", kind="mass_organization", parent=commune
    )
    people = _people(center)
    _awareness_classes(center, people, cell, women_union)
    _historic_class(center, new_members)
    thu = _summer_class(center, summer, people, women_union)
    _year_before(center, cell, thu)
    # Another centre's class of the same year never counts.
    other = make_class(site_b.center, start_date=D(2026, 3, 2), end_date=D(2026, 3, 6))
    _enrol(other, make_trainee(site_b.center, full_name="Người Khác"), None)
    return site_a


def _plans(center, other_center, awareness, new_members):
    """This year's plan of two programmes; another year's plan and another
    centre's plan never count."""
    for plan_center, year, class_type, classes, trainees in (
        (center, 2026, awareness, 3, 100),
        (center, 2026, new_members, 2, 40),
        (center, 2025, awareness, 9, 900),
        (other_center, 2026, awareness, 7, 700),
    ):
        AnnualPlan.objects.create(
            center=plan_center,
            year=year,
            class_type=class_type,
            target_classes=classes,
            target_trainees=trainees,
        )


def _people(center) -> dict:
    """The centre's trainees of the year, by their given name."""
    people = {}
    for key, name, gender, ethnicity in (
        ("hoa", "Nguyễn Thị Hòa", "female", "Kinh"),
        ("sang", "Hoàng Văn Sáng", "male", "Tày"),
        ("lan", "Phạm Thị Lan", "female", "Kinh"),
        ("minh", "Đỗ Văn Minh", "male", "Kinh"),
        ("hlinh", "H'Linh Niê", "female", "Ê Đê"),
        ("tuan", "Vũ Anh Tuấn", "male", "Kinh"),
        ("mai", "Trần Thị Mai", "female", "Kinh"),
    ):
        people[key] = make_trainee(
            center, full_name=name, gender=gender, ethnicity=ethnicity
        )
    return people


def _enrol(training_class, trainee, unit, **fields):
    return Enrollment.objects.create(
        training_class=training_class, trainee=trainee, unit=unit, **fields
    )


def _awareness_classes(center, people, cell, women_union):
    """N1: three results and a withdrawal; one session, Lan absent. N2: at a
    cluster of two communes; Hòa again, H'Linh without a result yet."""
    n1 = make_class(center, start_date=D(2026, 3, 2), end_date=D(2026, 3, 6))
    e_hoa = _enrol(n1, people["hoa"], cell, status=COMPLETED, score=9, grade="Giỏi")
    e_sang = _enrol(n1, people["sang"], cell, status=COMPLETED, score=7, grade="Khá")
    e_lan = _enrol(n1, people["lan"], cell, status=FAILED, score=4, grade="Không đạt")
    e_minh = _enrol(n1, people["minh"], cell, status=Enrollment.Status.WITHDRAWN)
    binh = make_lecturer(center, full_name="Trần Văn Bình")
    session = make_session(n1, lecturer=binh, periods=5)
    for enrollment, present in ((e_hoa, True), (e_sang, True), (e_lan, False)):
        Attendance.objects.create(
            enrollment=enrollment, class_session=session, present=present
        )
    Attendance.objects.create(enrollment=e_minh, class_session=session, present=False)
    _certify(e_hoa, 1)
    _certify(e_sang, 2)

    n2 = make_class(
        center,
        start_date=D(2026, 9, 7),
        end_date=D(2026, 9, 11),
        intake_label="khóa II",
    )
    n2.venue_communes.set(
        [make_organization(name="Xã A"), make_organization(name="Xã B")]
    )
    _enrol(n2, people["hoa"], cell, status=COMPLETED, score=6, grade="Trung bình")
    _enrol(n2, people["hlinh"], women_union)


def _historic_class(center, new_members):
    """A class from before the system: declared counts only."""
    make_class(
        center,
        class_type=new_members,
        start_date=D(2026, 5, 4),
        end_date=D(2026, 5, 8),
        status="closed",
        declared_enrolled=30,
        declared_completed=28,
        declared_certified=25,
    )


def _summer_class(center, summer, people, women_union):
    """Summer class, co-organised, not counted in the plan; no grades. Its
    lecturer, Thu, is returned."""
    summer_class = make_class(
        center,
        class_type=summer,
        start_date=D(2026, 7, 6),
        end_date=D(2026, 7, 10),
        counted_in_plan=False,
    )
    CoOrganizer.objects.create(
        training_class=summer_class,
        organization=make_organization(
            name="Phòng Văn hóa – Xã hội", kind="government_office"
        ),
        role=CoOrganizer.Role.PARTNER,
    )
    _enrol(summer_class, people["tuan"], women_union, status=COMPLETED)
    _enrol(summer_class, people["mai"], women_union, status=COMPLETED)
    thu = make_lecturer(center, full_name="Lê Thị Thu", kind="concurrent")
    make_session(summer_class, lecturer=thu, periods=4)
    return thu


def _year_before(center, cell, thu):
    """The year before: one class, two people, taught by Thu (not counted in 2026)."""
    before = make_class(center, start_date=D(2025, 10, 6), end_date=D(2025, 10, 10))
    for name, gender in (("Lý Văn Hải", "male"), ("Mạc Thị Nga", "female")):
        trainee = make_trainee(center, full_name=name, gender=gender, ethnicity="Kinh")
        _enrol(before, trainee, cell, status=COMPLETED)
    make_session(before, lecturer=thu, periods=5)


def committee_over(*centers, code="P", name="Tỉnh ủy Lâm Đồng", level="province"):
    """A party committee above `centers` and a member of it: (organization, user)."""
    with scopes_disabled():
        top = Organization.objects.create(
            code=code, name=name, kind="party_committee", level=level
        )
        Organization.objects.filter(
            pk__in=[center.organization_id for center in centers]
        ).update(parent=top)
        committee = make_user()
        Membership.objects.create(
            user=committee, role=Membership.Role.COMMITTEE, organization=top
        )
    return top, committee
