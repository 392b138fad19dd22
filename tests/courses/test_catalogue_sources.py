"""Every programme that centres' published reports name has its own row of
the catalogue, in the block those reports count it in, and an older
catalogue gets the new rows from a data migration."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from courses.models import ClassType

# Each programme as a centre's or the national review's report words it,
# with the catalogue code it is recorded under and its block. Two wordings
# of one programme share a code; two programmes never do.
REPORTED = [
    ("Trung cấp lý luận chính trị – Hành chính", "trung-cap-llct", "dang"),
    ("Trung cấp lý luận chính trị", "trung-cap-llct", "dang"),
    ("sơ cấp Lý luận Chính trị", "so-cap-llct", "dang"),
    ("đào tạo sơ cấp chính trị", "so-cap-llct", "dang"),
    ("bồi dưỡng nhận thức về Đảng", "nhan-thuc-ve-dang", "dang"),
    ("bồi dưỡng lý luận chính trị cho quần chúng ưu tú", "nhan-thuc-ve-dang", "dang"),
    ("bồi dưỡng Đảng viên mới", "dang-vien-moi", "dang"),
    ("bồi dưỡng bí thư chi bộ và cấp ủy viên ở cơ sở", "bi-thu-chi-bo", "dang"),
    ("bồi dưỡng nghiệp vụ công tác Đảng", "nghiep-vu-cong-tac-dang", "dang"),
    ("bồi dưỡng công tác tuyên giáo", "tuyen-giao", "dang"),
    ("bồi dưỡng nghiệp vụ công tác tuyên giáo", "tuyen-giao", "dang"),
    ("công tác dân vận", "dan-van", "dang"),
    ("bồi dưỡng công tác Tuyên giáo, Dân vận", "tuyen-giao-dan-van", "dang"),
    (
        "cập nhật kiến thức cho cán bộ thuộc diện Ban Thường vụ quản lý",
        "cap-nhat-kien-thuc",
        "dang",
    ),
    ("quản lý Nhà nước", "quan-ly-nha-nuoc", "chinh-quyen"),
    ("kiến thức Quốc phòng, an ninh đối tượng 4", "quoc-phong-an-ninh", "chinh-quyen"),
    ("bồi dưỡng chính trị hè", "chinh-tri-he", "chinh-quyen"),
    ("nghiệp vụ công tác đoàn thể", "mat-tran-doan-the", "doan-the"),
]
# The programmes above, one each: what the reports count on separate rows.
DISTINCT_PROGRAMMES = 14


@pytest.fixture
def catalogue(db):
    call_command("loaddata", "class_types", verbosity=0)


def test_each_reported_programme_has_one_row_in_its_block(catalogue):
    programmes = {p.code: p for p in ClassType.objects.select_related("block")}
    for wording, code, block in REPORTED:
        assert code in programmes, wording
        assert programmes[code].block.code == block, wording
    codes = {code for _w, code, _b in REPORTED}
    assert len(codes) == DISTINCT_PROGRAMMES
    names = [programmes[code].name for code in codes]
    assert len(set(names)) == len(names)


def test_party_work_skills_and_cell_secretaries_are_two_programmes(catalogue):
    secretaries = ClassType.objects.get(code="bi-thu-chi-bo")
    party_work = ClassType.objects.get(code="nghiep-vu-cong-tac-dang")
    assert secretaries.pk != party_work.pk
    assert "bí thư" not in party_work.name
    assert "tuyên giáo" not in party_work.learners


def test_the_data_migration_completes_an_older_catalogue(catalogue):
    new = ["tuyen-giao", "dan-van", "tuyen-giao-dan-van", "quan-ly-nha-nuoc"]
    ClassType.objects.filter(code__in=new).delete()
    ClassType.objects.filter(code="nghiep-vu-cong-tac-dang").update(
        name="Bồi dưỡng nghiệp vụ công tác Đảng"
    )
    migration = importlib.import_module(
        "courses.migrations."
        "0007_catalogue_propaganda_mass_mobilisation_state_management"
    )
    migration.add_programmes(apps, None)
    migration.add_programmes(apps, None)  # twice changes nothing
    added = ClassType.objects.filter(code__in=new).select_related("block")
    assert {(p.code, p.block.code) for p in added} == {
        ("tuyen-giao", "dang"),
        ("dan-van", "dang"),
        ("tuyen-giao-dan-van", "dang"),
        ("quan-ly-nha-nuoc", "chinh-quyen"),
    }
    party_work = ClassType.objects.get(code="nghiep-vu-cong-tac-dang")
    assert party_work.name.startswith("Bồi dưỡng nghiệp vụ công tác Đảng (tổ chức")


def test_the_data_migration_leaves_an_empty_catalogue_to_the_fixture(db):
    migration = importlib.import_module(
        "courses.migrations."
        "0007_catalogue_propaganda_mass_mobilisation_state_management"
    )
    migration.add_programmes(apps, None)
    assert not ClassType.objects.exists()
