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
from enrollment.models import ClassSummary
from reports.counting import Period, totals
from tests.conftest import table_snapshot
from tests.enrollment.excel import workbook
from tests.factories import make_organization

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


def import_url(site):
    return reverse("enrollment:historic_class_import", args=[site.center.slug])


def upload(site, content, name="lop-cu.xlsx", client=None):
    """Send the file: the page previews it and records nothing yet."""
    client = client or Client()
    client.force_login(site.staff)
    return client.post(import_url(site), {"file": SimpleUploadedFile(name, content)})


def record(site, content):
    """Send the file, then confirm what the preview shows."""
    client = Client()
    preview = upload(site, content, client=client)
    assert preview.status_code == 200
    return client.post(import_url(site), {"confirm": "1"})


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
    preview = upload(site_a, response.content, client=client)
    assert "Ghi 1 lớp" in preview.text and "Cột không nhập" not in preview.text
    with scopes_disabled():
        assert not TrainingClass.objects.exists()
    response = client.post(import_url(site_a), {"confirm": "1"})
    assert response.status_code == 302
    with scopes_disabled():
        (klass,) = TrainingClass.objects.all()
        assert klass.status == "closed" and klass.enrollments.count() == 0
        assert klass.historic
        assert (
            klass.declared_called,
            klass.declared_attended,
            klass.declared_enrolled,
            klass.declared_completed,
            klass.declared_certified,
        ) == (125, 120, 120, 118, 118)
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
    client = Client()
    response = upload(site_a, content, client=client)
    assert response.status_code == 200
    page = response.text
    assert "5 dòng có lỗi; chưa ghi gì." in page
    assert 'name="confirm"' not in page
    # Confirming anyway records nothing either.
    response = client.post(import_url(site_a), {"confirm": "1"})
    assert "5 dòng có lỗi; chưa ghi gì." in response.text
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
    assert record(site_a, sheet([row])).status_code == 302
    response = record(site_a, sheet([row]))
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


def committee_layout(rows, header):
    """A class list as a district committee sends it: title block, header on
    row 5, dates as dd/mm/yyyy text, a totals row and a signature under it."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["ĐẢNG BỘ HUYỆN THỚI LAI"])
    ws.merge_cells("A1:F1")
    ws.append(["BAN TUYÊN GIÁO"])
    ws.append(["BÁO CÁO CÁC LỚP ĐÃ MỞ GIAI ĐOẠN 2015 – 2020"])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.append([])
    ws.append([None, None, None, None, "Thới Lai, ngày 15 tháng 01 năm 2021"])
    ws.append([None, "NGƯỜI LẬP BIỂU", None, None, "T/M BAN THƯỜNG VỤ"])
    ws.append([None, "Trần Thị Mai", None, None, "Nguyễn Văn Dậu"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


OTHER_HEADER = [
    "STT",
    "Tên chương trình",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Tên lớp",
    "Số được triệu tập",
    "Số tham gia",
    "Hoàn thành",
    "Được cấp GCN",
    "Phối hợp với",
    "Cơ quan cấp",
    "Kinh phí (triệu đồng)",
]


def test_other_header_names_are_read_and_unread_columns_listed(site_a, catalogue):
    with scopes_disabled():
        province = site_a.center.organization.parent
        school = make_organization(name="Trường Quân sự tỉnh", parent=province)
    rows = [
        [1, "nhan-thuc-ve-dang", "12/03/2017", "16/03/2017", "khóa I", "1.607",
         "1.546", 1540, 1540, "Trường Quân sự tỉnh; Hội Cựu chiến binh huyện",
         "Ban Thường vụ Huyện ủy Thới Lai", 45],
        [2, "dang-vien-moi", "03/07/2017", "07/07/2017", "khóa II", None, None,
         None, None, None, None, 12],
        [None, "Tổng cộng", None, None, None, "1.607", "1.546", 1540, 1540],
    ]  # fmt: skip
    content = committee_layout(rows, OTHER_HEADER)
    client = Client()
    preview = upload(site_a, content, client=client)
    page = preview.text
    assert "Cột không nhập" in page
    assert "Kinh phí (triệu đồng)" in page and "45; 12" in page
    assert "“Hoàn thành” → Số hoàn thành" in page
    assert "“Được cấp GCN” → Số được cấp giấy chứng nhận" in page
    assert "dòng 8 “Tổng cộng" in page  # the totals row, skipped
    assert "dòng 11 “NGƯỜI LẬP BIỂU T/M BAN THƯỜNG VỤ”" in page  # and the signature
    assert "dòng 12 “Trần Thị Mai Nguyễn Văn Dậu”" in page
    assert "chưa rõ" in page  # the second class's numbers
    with scopes_disabled():
        assert not TrainingClass.objects.exists()
    assert client.post(import_url(site_a), {"confirm": "1"}).status_code == 302
    with scopes_disabled():
        first, second = TrainingClass.objects.order_by("start_date")
        assert (
            first.declared_called,
            first.declared_attended,
            first.declared_enrolled,
            first.declared_completed,
            first.declared_certified,
        ) == (1607, 1546, 1546, 1540, 1540)
        assert [c.organization for c in first.co_organizers.all()] == [school]
        assert first.co_organizer_names == "Hội Cựu chiến binh huyện"
        assert first.certificate_issuer is None
        assert first.issuer_name == "Ban Thường vụ Huyện ủy Thới Lai"
        assert (
            second.declared_called,
            second.declared_attended,
            second.declared_enrolled,
            second.declared_completed,
            second.declared_certified,
        ) == (None, None, None, None, None)
        summary = ClassSummary.objects.get(training_class=first)
        assert summary.co_organized and summary.enrolled == 1546


def test_a_class_whose_number_is_not_known_shows_not_known_in_the_report(
    site_a, catalogue
):
    content = sheet(
        [
            ["nhan-thuc-ve-dang", "02/03/2015", "06/03/2015", "khóa I", "", "Có", 90],
            ["dang-vien-moi", "04/05/2015", "08/05/2015", "", "", "Có", None],
        ]
    )
    assert record(site_a, content).status_code == 302
    with scopes_disabled():
        unknown = TrainingClass.objects.get(class_type__code="dang-vien-moi")
        assert unknown.declared_enrolled is None
    client = Client()
    client.force_login(site_a.staff)
    page = client.get(
        reverse("reports:report", args=[site_a.center.slug]),
        {"kind": "year", "year": 2015},
    ).text
    assert 'id="stat-enrolled">90*<' in page  # the known classes only, marked
    assert "1 lớp không rõ số học viên" in page
    bieu1 = page.split("bieu1", 1)[1]
    programme_row = bieu1.split("Bồi dưỡng lý luận chính trị dành cho đảng viên mới", 1)
    assert "chưa rõ" in programme_row[1].split("</tr>", 1)[0]


def test_two_classes_of_one_programme_on_the_same_days_are_two(site_a, catalogue):
    rows = [
        ["nhan-thuc-ve-dang", "02/03/2016", "06/03/2016", "lớp 1", "", "Có", 60],
        ["nhan-thuc-ve-dang", "02/03/2016", "06/03/2016", "lớp 2", "", "Có", 58],
    ]
    assert record(site_a, sheet(rows)).status_code == 302
    with scopes_disabled():
        labels = sorted(TrainingClass.objects.values_list("intake_label", flat=True))
    assert labels == ["lớp 1", "lớp 2"]


def test_more_attended_than_called_is_an_error(site_a, catalogue):
    rows = [
        [1, "nhan-thuc-ve-dang", "12/03/2017", "16/03/2017", "", 100, 120, None,
         None, None, None, None],
    ]  # fmt: skip
    before = table_snapshot()
    response = upload(site_a, committee_layout(rows, OTHER_HEADER))
    assert "Số tham gia nhiều hơn số được triệu tập" in response.text
    assert table_snapshot() == before
