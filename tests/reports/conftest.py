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

from courses.models import AnnualPlan, CoOrganizer
from enrollment.models import Attendance, Certificate, Enrollment
from tests.factories import (
    make_class,
    make_class_type,
    make_lecturer,
    make_organization,
    make_session,
    make_trainee,
)

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
        "plan_classes_share": None,  # no plan, and not counted in one
    },
    "total": {
        "target_classes": 5,
        "target_trainees": 140,
        "classes": 4,
        "enrolled": 37,
        "women": 5,
        "minorities": 2,
        "cluster_classes": 1,
        "co_organized_classes": 1,
        "completed": 34,
        "passed": 33,
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
    AnnualPlan.objects.create(
        center=center,
        year=2026,
        class_type=awareness,
        target_classes=3,
        target_trainees=100,
    )
    AnnualPlan.objects.create(
        center=center,
        year=2026,
        class_type=new_members,
        target_classes=2,
        target_trainees=40,
    )
    # Another year's plan and another centre's plan never count.
    AnnualPlan.objects.create(
        center=center,
        year=2025,
        class_type=awareness,
        target_classes=9,
        target_trainees=900,
    )
    AnnualPlan.objects.create(
        center=site_b.center,
        year=2026,
        class_type=awareness,
        target_classes=7,
        target_trainees=700,
    )
    cell = make_organization(name="Chi bộ Khu phố 1", level="cell")
    women_union = make_organization(name="Hội Phụ nữ phường", kind="mass_organization")

    def person(name, gender, ethnicity="Kinh"):
        return make_trainee(center, full_name=name, gender=gender, ethnicity=ethnicity)

    hoa = person("Nguyễn Thị Hòa", "female")
    sang = person("Hoàng Văn Sáng", "male", "Tày")
    lan = person("Phạm Thị Lan", "female")
    minh = person("Đỗ Văn Minh", "male")
    hlinh = person("H'Linh Niê", "female", "Ê Đê")
    tuan = person("Vũ Anh Tuấn", "male")
    mai = person("Trần Thị Mai", "female")

    def enrol(training_class, trainee, unit, **fields):
        return Enrollment.objects.create(
            training_class=training_class, trainee=trainee, unit=unit, **fields
        )

    # N1: three results and a withdrawal; one session, Lan absent.
    n1 = make_class(center, start_date=D(2026, 3, 2), end_date=D(2026, 3, 6))
    e_hoa = enrol(n1, hoa, cell, status=COMPLETED, score=9, grade="Giỏi")
    e_sang = enrol(n1, sang, cell, status=COMPLETED, score=7, grade="Khá")
    e_lan = enrol(n1, lan, cell, status=FAILED, score=4, grade="Không đạt")
    e_minh = enrol(n1, minh, cell, status=Enrollment.Status.WITHDRAWN)
    binh = make_lecturer(center, full_name="Trần Văn Bình")
    session = make_session(n1, lecturer=binh, periods=5)
    for enrollment, present in ((e_hoa, True), (e_sang, True), (e_lan, False)):
        Attendance.objects.create(
            enrollment=enrollment, class_session=session, present=present
        )
    Attendance.objects.create(enrollment=e_minh, class_session=session, present=False)
    _certify(e_hoa, 1)
    _certify(e_sang, 2)

    # N2: at a cluster of two communes; Hòa again, H'Linh without a result yet.
    n2 = make_class(
        center,
        start_date=D(2026, 9, 7),
        end_date=D(2026, 9, 11),
        intake_label="khóa II",
    )
    n2.venue_communes.set(
        [make_organization(name="Xã A"), make_organization(name="Xã B")]
    )
    enrol(n2, hoa, cell, status=COMPLETED, score=6, grade="Trung bình")
    enrol(n2, hlinh, women_union)

    # A class from before the system: declared counts only.
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

    # Summer class, co-organised, not counted in the plan; no grades.
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
    enrol(summer_class, tuan, women_union, status=COMPLETED)
    enrol(summer_class, mai, women_union, status=COMPLETED)
    thu = make_lecturer(center, full_name="Lê Thị Thu", kind="concurrent")
    make_session(summer_class, lecturer=thu, periods=4)

    # The year before: one class, two people, taught by Thu (not counted in 2026).
    before = make_class(center, start_date=D(2025, 10, 6), end_date=D(2025, 10, 10))
    enrol(before, person("Lý Văn Hải", "male"), cell, status=COMPLETED)
    enrol(before, person("Mạc Thị Nga", "female"), cell, status=COMPLETED)
    make_session(before, lecturer=thu, periods=5)

    # Another centre's class of the same year never counts.
    other = make_class(site_b.center, start_date=D(2026, 3, 2), end_date=D(2026, 3, 6))
    enrol(other, make_trainee(site_b.center, full_name="Người Khác"), None)
    return site_a
