"""The real programme catalogue loads from fixtures/."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from courses.models import Block, ClassType, GradingBand

OFFICIAL_NAMES = {
    "Bồi dưỡng nhận thức về Đảng",
    "Bồi dưỡng lý luận chính trị dành cho đảng viên mới",
    "Sơ cấp lý luận chính trị",
    "Trung cấp lý luận chính trị",
    "Bồi dưỡng nghiệp vụ công tác Đảng cho bí thư, phó bí thư chi bộ "
    "và cấp ủy viên cơ sở",
    "Bồi dưỡng nghiệp vụ công tác Đảng (tổ chức, kiểm tra, văn phòng cấp ủy)",
    "Bồi dưỡng nghiệp vụ công tác tuyên giáo",
    "Bồi dưỡng nghiệp vụ công tác dân vận",
    "Bồi dưỡng nghiệp vụ công tác tuyên giáo, dân vận",
    "Bồi dưỡng kiến thức quản lý nhà nước",
    "Bồi dưỡng nghiệp vụ công tác Mặt trận Tổ quốc và các đoàn thể chính trị – xã hội",
    "Bồi dưỡng, cập nhật kiến thức cho cán bộ lãnh đạo, quản lý",
    "Bồi dưỡng kiến thức quốc phòng và an ninh cho đối tượng 4",
    "Bồi dưỡng chính trị hè",
    "Học tập, quán triệt nghị quyết",
    "Bồi dưỡng lịch sử Đảng bộ địa phương",
}


@pytest.fixture
def catalogue(db):
    call_command("loaddata", "class_types", verbosity=0)


def test_all_programmes_load_with_their_official_names(catalogue):
    assert set(ClassType.objects.values_list("name", flat=True)) == OFFICIAL_NAMES
    assert set(Block.objects.values_list("name", flat=True)) == {
        "Khối Đảng",
        "Khối Chính quyền",
        "Khối Đoàn thể",
    }


def test_loading_twice_changes_nothing(catalogue):
    counts = (
        ClassType.objects.count(),
        GradingBand.objects.count(),
        Block.objects.count(),
    )
    call_command("loaddata", "class_types", verbosity=0)
    assert (
        ClassType.objects.count(),
        GradingBand.objects.count(),
        Block.objects.count(),
    ) == counts


def test_party_awareness_course_facts(catalogue):
    course = ClassType.objects.get(name="Bồi dưỡng nhận thức về Đảng")
    assert (course.periods, course.sessions) == (50, 10)
    assert course.assessment == ClassType.Assessment.ESSAY
    assert course.award == ClassType.Award.CERTIFICATE
    assert course.award_validity_months == 60
    assert course.block.code == "dang"
    assert course.kind == ClassType.Kind.REFRESHER


def test_training_programmes_give_diplomas(catalogue):
    for name in ("Sơ cấp lý luận chính trị", "Trung cấp lý luận chính trị"):
        programme = ClassType.objects.get(name=name)
        assert programme.kind == ClassType.Kind.TRAINING
        assert programme.award == ClassType.Award.DIPLOMA


@pytest.mark.parametrize(
    "score, grade",
    [
        ("10", "Giỏi"),
        ("9.0", "Giỏi"),
        ("8.9", "Khá"),
        ("7.0", "Khá"),
        ("6.9", "Trung bình"),
        ("5.0", "Trung bình"),
        ("4.9", "Không đạt"),
        ("0", "Không đạt"),
    ],
)
def test_grading_bands_follow_the_scale(catalogue, score, grade):
    course = ClassType.objects.get(code="nhan-thuc-ve-dang")
    band = course.grade_for(Decimal(score))
    assert band.name == grade
    assert band.is_passing == (grade != "Không đạt")


def test_catalogue_page_lists_every_programme(catalogue, site_a):
    client = Client()
    client.force_login(site_a.committee)
    response = client.get(reverse("courses:class_type_list", args=[site_a.center.slug]))
    assert response.status_code == 200
    for name in OFFICIAL_NAMES:
        assert name in response.text
    assert "60 tháng" in response.text
