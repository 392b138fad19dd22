"""A list laid out as a commune party cell lays one out: every column is read or
shown as not imported, the unit and party status arrive, the eligibility
warnings of manual enrolment show, and a mapping chosen once is applied again."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from enrollment.models import ColumnMapping, Enrollment, HeaderSynonym, Trainee
from tests.conftest import table_snapshot
from tests.enrollment.trainee_lists import parse, word
from tests.factories import (
    make_class,
    make_class_type,
    make_enrollment,
    make_organization,
    make_trainee,
    make_user,
)

# The import is asked once; the tests answer yes.
CONFIRMED = {"confirmed": "1"}

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc",
           "Đơn vị / Chi bộ", "Ngày kết nạp Đảng", "Số điện thoại"]  # fmt: skip
ROWS = [
    [1, "Nguyễn Văn Dậu", "05/07/1990", "Nam", "Kinh", "Chi bộ Thôn Làng 1",
     "10/02/2026", "0912 345 678"],
    [2, "Giàng Thị Mai", "3/9/1995", "Nữ", "H'Mông", "Chi bộ Thôn Làng 2",
     "1/1/2025", "0987 654 321"],
    [3, "Lò Văn Páo", "1987", "Nam", "Dao", None, None, None],
]  # fmt: skip


def cell_list(rows=ROWS, headers=HEADERS) -> bytes:
    """Title block with merged cells, the header on row 7, dates typed as text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "ĐẢNG BỘ XÃ TẢ VAN"
    sheet["E1"] = "ĐẢNG CỘNG SẢN VIỆT NAM"
    sheet["A2"] = "CHI BỘ THÔN LÀNG"
    sheet["E2"] = "Tả Van, ngày 20 tháng 11 năm 2026"
    sheet["A4"] = "DANH SÁCH HỌC VIÊN"
    sheet["A5"] = "Lớp bồi dưỡng đảng viên mới năm 2027"
    for cells in ("A1:D1", "E1:H1", "A2:D2", "E2:H2", "A4:H4", "A5:H5"):
        sheet.merge_cells(cells)
    for column, header in enumerate(headers, start=1):
        sheet.cell(7, column, header)
    for number, row in enumerate(rows, start=8):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(number, column, value)
            if isinstance(value, str):
                cell.number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def cells(site_a):
    """The commune's three cells and a class for new party members in 2027."""
    with scopes_disabled():
        commune = site_a.center.organization.parent
        units = [
            make_organization(
                parent=commune, name=f"Chi bộ Thôn Làng {n}", level="cell"
            )
            for n in (1, 2, 3)
        ]
        klass = make_class(
            site_a.center,
            class_type=make_class_type(code="dang-vien-moi"),
            start_date=datetime.date(2027, 1, 4),
            end_date=datetime.date(2027, 3, 5),
        )
    return units, klass


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def upload(client, klass, content, **extra):
    response = client.post(
        reverse("enrollment:import_upload", args=["trung-tam-a", klass.pk]),
        {"file": SimpleUploadedFile("danh-sach.xlsx", content), **extra},
    )
    assert response.status_code == 302, response.text
    return response["Location"]


def unread_block(page: str) -> str:
    match = re.search(r"Cột không nhập</h2>(.*?)</table>", page, re.S)
    return match.group(1) if match else ""


def preview_row(page: str, name: str) -> str:
    match = re.search(
        rf"<tr[^>]*>\s*<td>\d+</td>\s*<td>{name}</td>(.*?)</tr>", page, re.S
    )
    assert match, name
    return match.group(1)


def test_a_cell_list_keeps_unit_and_party_status_and_shows_the_column_left_out(
    site_a, cells
):
    units, klass = cells
    staff = client_for(site_a.staff)
    location = upload(staff, klass, cell_list())
    page = staff.get(location).text
    assert "Người mới: 3" in page and "Lỗi: 0" in page
    assert "(chưa ghi đơn vị)" not in page and "(không nhập)" in page  # the choice
    dau = preview_row(page, "Nguyễn Văn Dậu")
    assert "Chi bộ Thôn Làng 1" in dau
    assert "Đảng viên dự bị · kết nạp 10/02/2026" in dau
    # Within a year of admission in a class for new members: the probation
    # ends before the class does, as manual enrolment warns.
    assert (
        "Thời gian dự bị của Nguyễn Văn Dậu (05/07/1990) kết thúc ngày 10/02/2027"
        in dau
    )
    # Admitted two years before the class with no date of full membership:
    # still probationary (full membership is a decision, not a date), and
    # the probation ended before the class does.
    mai = preview_row(page, "Giàng Thị Mai")
    assert "Đảng viên dự bị · kết nạp 01/01/2025" in mai
    assert (
        "Thời gian dự bị của Giàng Thị Mai (03/09/1995) kết thúc ngày 01/01/2026" in mai
    )
    pao = preview_row(page, "Lò Văn Páo")
    assert "<td>1987</td>" in pao and "là quần chúng" in pao
    unread = unread_block(page)
    assert "<td>H</td><td>Số điện thoại</td>" in unread
    assert "0912 345 678; 0987 654 321" in unread
    assert "Họ và tên" not in unread and "STT" not in unread

    done = staff.post(location + "confirm/", CONFIRMED, follow=True)
    assert "3 người mới" in done.text
    with scopes_disabled():
        people = {t.full_name: t for t in Trainee.objects.all()}
        enrolled = {
            e.trainee.full_name: e for e in Enrollment.objects.select_related("trainee")
        }
    dau, mai, pao = (people[row[1]] for row in ROWS)
    assert (dau.unit, dau.party_status, dau.admission_date) == (
        units[0],
        "probationary",
        datetime.date(2026, 2, 10),
    )
    assert (mai.unit, mai.party_status, mai.gender) == (
        units[1],
        "probationary",
        "female",
    )
    assert (pao.unit, pao.party_status, pao.birth_year_only) == (
        None,
        "non_member",
        True,
    )
    assert pao.birth_date == datetime.date(1987, 1, 1)
    assert (
        enrolled["Nguyễn Văn Dậu"].unit,
        enrolled["Nguyễn Văn Dậu"].party_status,
    ) == (
        units[0],
        "probationary",
    )
    assert enrolled["Giàng Thị Mai"].party_status == "probationary"


def test_the_unit_chosen_for_the_list_fills_rows_that_name_none(site_a, cells):
    units, klass = cells
    staff = client_for(site_a.staff)
    location = upload(staff, klass, cell_list(), sending_unit=units[2].pk)
    page = staff.get(location).text
    assert "Chi bộ Thôn Làng 3 (đơn vị gửi danh sách)" in preview_row(
        page, "Lò Văn Páo"
    )
    assert "đơn vị gửi danh sách" not in preview_row(page, "Nguyễn Văn Dậu")
    staff.post(location + "confirm/", CONFIRMED)
    with scopes_disabled():
        units_of = dict(Enrollment.objects.values_list("trainee__full_name", "unit"))
        assert units_of == {
            "Nguyễn Văn Dậu": units[0].pk,
            "Giàng Thị Mai": units[1].pk,
            "Lò Văn Páo": units[2].pk,
        }
        assert Trainee.objects.get(full_name="Lò Văn Páo").unit == units[2]


def test_a_mapping_chosen_in_the_preview_applies_to_the_corrected_file(site_a, cells):
    units, klass = cells
    headers = [*HEADERS[:5], "Chi bộ nơi sinh hoạt", *HEADERS[6:]]
    staff = client_for(site_a.staff)
    first = cell_list(ROWS[:1] + [[2, "Giàng Thị Mai", "31/02/1995", "Nữ"]], headers)
    location = upload(staff, klass, first)
    page = staff.get(location).text
    assert "Chi bộ nơi sinh hoạt" in unread_block(page)
    assert "Chi bộ Thôn Làng 1" in unread_block(page)
    choices = {
        f"col-{index}": key
        for index, key in enumerate(
            ["sequence", "full_name", "birth_date", "gender", "ethnicity", "unit",
             "admission_date", ""]
        )
    }  # fmt: skip
    staff.post(location, choices)
    page = staff.get(location).text
    assert "Chi bộ Thôn Làng 1" in preview_row(page, "Nguyễn Văn Dậu")
    assert "Lỗi: 1" in page  # 31/02 does not exist: nothing is confirmed yet
    assert "Số điện thoại" in unread_block(page)  # left out on purpose, still shown

    with scopes_disabled():
        assert ColumnMapping.objects.filter(center=site_a.center).count() == 1
    fixed = cell_list([ROWS[0], [2, "Giàng Thị Mai", "28/02/1995", "Nữ"]], headers)
    location = upload(staff, klass, fixed)
    page = staff.get(location).text
    assert "Đã áp dụng cách đọc cột đã lưu" in page
    assert "Chi bộ nơi sinh hoạt" not in unread_block(page)
    assert "Chi bộ Thôn Làng 1" in preview_row(page, "Nguyễn Văn Dậu")
    staff.post(location + "confirm/", CONFIRMED)
    with scopes_disabled():
        assert Trainee.objects.get(full_name="Nguyễn Văn Dậu").unit == units[0]


def test_a_header_name_added_in_the_admin_is_recognised(site_a, cells):
    units, klass = cells
    headers = [*HEADERS[:5], "Tổ chức đảng trực thuộc", *HEADERS[6:]]
    admin = client_for(make_user(is_staff=True, is_superuser=True))
    add = reverse("admin:enrollment_headersynonym_add")
    before = table_snapshot()
    refused = admin.post(add, {"text": "ĐƠN VỊ - CHI BỘ", "field": "unit"})
    assert "đã có trong danh sách" in refused.text  # reads as "Đơn vị / Chi bộ"
    assert table_snapshot() == before
    admin.post(add, {"text": "Tổ chức Đảng trực thuộc", "field": "unit"})
    assert HeaderSynonym.objects.get(normalised="tochucdangtructhuoc").field == "unit"

    with scopes_disabled():
        parsed = parse(cell_list(ROWS, headers), klass)
    assert parsed.columns[5] == "unit"
    assert parsed.rows[0].values["unit_id"] == units[0].pk


def test_other_headers_that_cells_write_are_read(site_a, cells):
    """ "Năm sinh", "CCCD/CMND", "Ngày kết nạp", "Ngày chính thức", and two
    columns "Nam" / "Nữ" ticked with x or holding the birth year."""
    units, klass = cells
    headers = ["TT", "Họ tên", "Nam", "Nữ", "Chi bộ", "Ngày kết nạp",
               "Ngày chính thức", "CCCD/CMND", "Số định danh"]  # fmt: skip
    rows = [
        [1, "Nguyễn Văn Dậu", "x", None, "Chi bộ Thôn Làng 1", "10/02/2026",
         None, "001090000123"],
        [2, "Giàng Thị Mai", None, 1995, "Chi bộ Thôn Làng 2", "10/02/2026",
         "10/08/2026"],
        [3, "Lò Văn Páo", "x", "x"],
    ]  # fmt: skip
    with scopes_disabled():
        parsed = parse(cell_list(rows, headers), klass)
    dau, mai, pao = parsed.rows
    assert dau.values["gender"] == "male" and "birth_date" not in dau.values
    assert dau.values["citizen_id"] == "001090000123"
    assert dau.values["party_status"] == "probationary"
    assert mai.values["gender"] == "female"
    assert mai.values["birth_date"] == datetime.date(1995, 1, 1)
    assert mai.values["party_status"] == "full"  # a date of full membership
    assert mai.values["full_membership_date"] == datetime.date(2026, 8, 10)
    assert pao.errors == [
        ("Giới tính", "Chỉ đánh dấu một trong hai cột “Nam” và “Nữ”.")
    ]
    # The second ID column is one too many: shown as not imported.
    assert [(header, samples) for _i, header, samples in parsed.unread] == [
        ("Số định danh", [])
    ]


def test_a_written_non_member_with_an_admission_date_is_an_error(site_a, cells):
    units, klass = cells
    headers = ["STT", "Họ và tên", "Giới tính", "Đảng viên", "Ngày vào Đảng"]
    rows = [[1, "Nguyễn Văn Dậu", "Nam", "Quần chúng", "10/02/2026"],
            [2, "Lò Văn Páo", "Nam", None, "10/02/2030"]]  # fmt: skip
    with scopes_disabled():
        parsed = parse(cell_list(rows, headers), klass)
    assert [column for column, _m in parsed.rows[0].errors] == ["Tình trạng đảng viên"]
    assert parsed.rows[1].errors == [("Ngày vào Đảng", "Ngày này ở tương lai.")]


def preview_queries(client, location) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(location).status_code == 200
    return len(captured)


def test_preview_warnings_cost_the_same_queries_for_5_rows_as_for_60(site_a, cells):
    """Registered people with an earlier certificate still valid are warned
    about it, without a query per row."""
    units, klass = cells
    with scopes_disabled():
        awareness = make_class_type()
        earlier = make_class(
            site_a.center,
            class_type=awareness,
            start_date=datetime.date(2024, 3, 4),
            end_date=datetime.date(2024, 3, 8),
        )
        target = make_class(
            site_a.center,
            class_type=awareness,
            start_date=datetime.date(2027, 1, 4),
            end_date=datetime.date(2027, 1, 8),
        )
        people = []
        for number in range(60):
            person = make_trainee(
                site_a.center,
                full_name=f"Nguyễn Văn {word(number)}",
                birth_date=datetime.date(1990, 1, 1) + datetime.timedelta(days=number),
            )
            make_enrollment(earlier, person, status="completed")
            people.append(person)

    def rows(count):
        return [
            [i + 1, p.full_name, f"{p.birth_date:%d/%m/%Y}", "Nam", "Kinh",
             "Chi bộ Thôn Làng 1", None, None]
            for i, p in enumerate(people[:count])
        ]  # fmt: skip

    staff = client_for(site_a.staff)
    small_location = upload(staff, target, cell_list(rows(5)))
    large_location = upload(staff, target, cell_list(rows(60)))
    page = staff.get(large_location).text
    assert "Đã có trong danh sách học viên: 60" in page
    assert (
        page.count("đã hoàn thành chương trình này; còn giá trị đến 08/03/2029") == 60
    )
    assert preview_queries(staff, small_location) == preview_queries(
        staff, large_location
    )
