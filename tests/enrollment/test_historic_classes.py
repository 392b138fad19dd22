"""Past classes from the Excel template: counts only, all or nothing."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from courses.models import TrainingClass
from reports.counting import Period, totals
from tests.conftest import table_snapshot
from tests.enrollment.excel import workbook

HEADER = [
    "Chương trình",
    "Ngày khai giảng",
    "Ngày bế giảng",
    "Khóa, lớp",
    "Địa điểm",
    "Tính vào kế hoạch",
    "Số học viên",
    "Số hoàn thành",
    "Số được cấp giấy chứng nhận",
]


@pytest.fixture
def catalogue(db):
    call_command("loaddata", "class_types", verbosity=0)


def upload(site, content, name="lop-cu.xlsx"):
    client = Client()
    client.force_login(site.staff)
    return client.post(
        reverse("enrollment:historic_class_import", args=[site.center.slug]),
        {"file": SimpleUploadedFile(name, content)},
    )


def sheet(rows):
    """An xlsx with the template's header in row 1 and these rows below it."""
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_with_its_example_row_records_one_class(site_a, catalogue):
    client = Client()
    client.force_login(site_a.staff)
    response = client.get(
        reverse("enrollment:historic_class_template", args=[site_a.center.slug])
    )
    assert response["Cache-Control"] == "no-store"
    response = upload(site_a, response.content)
    assert response.status_code == 302
    with scopes_disabled():
        (klass,) = TrainingClass.objects.all()
        assert klass.status == "closed" and klass.enrollments.count() == 0
        assert (
            klass.declared_enrolled,
            klass.declared_completed,
            klass.declared_certified,
        ) == (120, 118, 118)
        figures = totals(TrainingClass.objects.all(), Period.year(2015))
    assert (figures.classes, figures.enrollments) == (1, 120)


def test_a_file_with_bad_rows_records_nothing_and_names_each_error(site_a, catalogue):
    content = sheet(
        [
            ["nhan-thuc-ve-dang", "02/03/2014", "06/03/2014", "khóa I", "", "Có", 90],
            ["Lớp không có", "02/03/2014", "06/03/2014", "", "", "Có", 40],
            ["dang-vien-moi", "10/05/2014", "01/05/2014", "", "", "Có", 30],
            ["nhan-thuc-ve-dang", "02/06/2014", "06/06/2014", "", "", "Có", 30, 31],
            ["nhan-thuc-ve-dang", "02/03/2014", "06/03/2014", "khóa I", "", "Có", 90],
            ["nhan-thuc-ve-dang", "02/09/2014", "06/09/2014", "", "", "Chắc", "ba"],
        ]
    )
    before = table_snapshot()
    response = upload(site_a, content)
    assert response.status_code == 200
    page = response.text
    assert "5 dòng có lỗi; chưa ghi gì." in page
    for expected in (
        "không phải chương trình trong danh mục",
        "Ngày bế giảng trước ngày khai giảng",
        "Số hoàn thành nhiều hơn số học viên",
        "Lớp này xuất hiện hai lần trong tệp",
        "Ghi “Có” hoặc “Không”",
        "không phải số nguyên",
    ):
        assert expected in page, expected
    assert table_snapshot() == before


def test_the_same_class_twice_is_refused(site_a, catalogue):
    row = ["nhan-thuc-ve-dang", "02/03/2014", "06/03/2014", "khóa I", "", "Có", 90]
    assert upload(site_a, sheet([row])).status_code == 302
    response = upload(site_a, sheet([row]))
    assert "Lớp này đã được ghi" in response.text
    with scopes_disabled():
        assert TrainingClass.objects.count() == 1


def test_a_file_without_the_columns_is_refused(site_a, catalogue):
    before = table_snapshot()
    response = upload(site_a, workbook([[1, "Nguyễn Văn An"]]))
    assert "dùng tệp mẫu" in response.text
    assert table_snapshot() == before


def test_the_command_records_or_refuses_all(site_a, catalogue, tmp_path):
    good = tmp_path / "lop-cu.xlsx"
    good.write_bytes(
        sheet(
            [
                [
                    "Bồi dưỡng nhận thức về Đảng",
                    datetime.date(2010, 4, 5),
                    datetime.date(2010, 4, 9),
                    "khóa II",
                    "Hội trường",
                    "Không",
                    75,
                    74,
                    None,
                ],
                ["dang-vien-moi", "12/10/2010", "16/10/2010", "", "", "", 50, 50, 50],
            ]
        )
    )
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(
        sheet([["dang-vien-moi", "12/10/2099", "16/10/2099", "", "", "", 5]])
    )
    before = table_snapshot()
    with pytest.raises(CommandError, match="Dòng 2"):
        call_command("import_classes", str(bad), center=site_a.center.slug)
    assert table_snapshot() == before
    call_command("import_classes", str(good), center=site_a.center.slug)
    with scopes_disabled():
        first, second = TrainingClass.objects.order_by("start_date", "pk")
    assert (first.intake_label, first.counted_in_plan, first.declared_certified) == (
        "khóa II",
        False,
        None,
    )
    assert second.class_type.code == "dang-vien-moi" and second.counted_in_plan
