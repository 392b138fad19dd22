"""The whole list a commune party cell sends, through the pages a clerk uses:
title block in merged cells, the header on row 7 with "Đơn vị / Chi bộ" and
"Ngày kết nạp Đảng", dates typed three ways, the totals and the signature
block under the list. Every person arrives with unit and party status, nobody
is invented, and the preview names every row it skipped."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from enrollment.models import Enrollment, Trainee
from tests.factories import make_class, make_class_type, make_organization

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc",
           "Đơn vị / Chi bộ", "Ngày kết nạp Đảng"]  # fmt: skip
# name, birth (three ways), gender, ethnicity, unit, admission
PEOPLE = [
    ("Nguyễn Văn Dậu", "05/07/1990", "Nam", "Kinh", "Chi bộ Thôn 1", "10/02/2026"),
    ("Giàng Thị Mai", "3/9/1995", "Nữ", "H'Mông", "Chi bộ Thôn 2", "1/3/2026"),
    ("Lò Văn Páo", "1987", "Nam", "Dao", "Chi bộ Thôn 1", "15/04/2026"),
    ("Trần Thị Hoa", "20/10/1998", "Nữ", "Kinh", "Chi bộ Thôn 2", "02/05/2026"),
]
FOOTER = [
    (12, "A", "Tổng cộng: 04 đồng chí"),
    (14, "E", "Tả Van, ngày 20 tháng 11 năm 2026"),
    (15, "B", "NGƯỜI LẬP DANH SÁCH"),
    (15, "E", "T/M CHI ỦY"),
    (16, "E", "BÍ THƯ"),
    (19, "B", "Lê Thị Lập"),
    (19, "E", "Vàng Văn Thư"),
]


def cell_list() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["E1"] = "ĐẢNG BỘ XÃ TẢ VAN", "ĐẢNG CỘNG SẢN VIỆT NAM"
    sheet["A2"], sheet["E2"] = "CHI BỘ THÔN LÀNG", "Tả Van, ngày 20 tháng 11 năm 2026"
    sheet["A4"] = "DANH SÁCH HỌC VIÊN"
    sheet["A5"] = "Lớp bồi dưỡng đảng viên mới năm 2027"
    for cells in ("A1:D1", "E1:G1", "A2:D2", "E2:G2", "A4:G4", "A5:G5"):
        sheet.merge_cells(cells)
    for column, header in enumerate(HEADERS, start=1):
        sheet.cell(7, column, header)
    for number, person in enumerate(PEOPLE, start=1):
        for column, value in enumerate((number, *person), start=1):
            sheet.cell(7 + number, column, value).number_format = "@"
    for row, column, text in FOOTER:
        sheet[f"{column}{row}"] = text
    sheet.merge_cells("A12:C12")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def new_members_class(site_a):
    with scopes_disabled():
        commune = site_a.center.organization.parent
        units = {
            name: make_organization(parent=commune, name=name, level="cell")
            for name in ("Chi bộ Thôn 1", "Chi bộ Thôn 2")
        }
        klass = make_class(
            site_a.center,
            class_type=make_class_type(code="dang-vien-moi"),
            start_date=datetime.date(2027, 1, 4),
            end_date=datetime.date(2027, 3, 5),
        )
    return units, klass


def test_the_list_as_a_cell_sends_it_loses_nothing_and_invents_nobody(
    site_a, new_members_class
):
    units, klass = new_members_class
    client = Client()
    client.force_login(site_a.staff)
    upload = client.post(
        reverse("enrollment:import_upload", args=["trung-tam-a", klass.pk]),
        {"file": SimpleUploadedFile("danh-sach-chi-bo.xlsx", cell_list())},
    )
    assert upload.status_code == 302, upload.text
    page = client.get(upload["Location"]).text
    assert "Người mới: 4" in page and "Lỗi: 0" in page
    assert "Cột không nhập" not in page  # every column was read
    for name, *_, unit, admitted in PEOPLE:
        row = re.search(rf"<td>{name}</td>(.*?)</tr>", page, re.S).group(1)
        assert unit in row
        day = datetime.datetime.strptime(admitted, "%d/%m/%Y").date()
        assert f"kết nạp {day:%d/%m/%Y}" in row
    for skipped in ("Tổng cộng: 04 đồng chí", "NGƯỜI LẬP DANH SÁCH", "BÍ THƯ",
                    "Lê Thị Lập", "Vàng Văn Thư"):  # fmt: skip
        assert skipped in page  # listed among the skipped rows
    # The badge's count is the table's: rows under the headers, the title
    # block above them counted apart.
    badge = re.search(r"Bỏ qua (\d+) dòng dưới tiêu đề cột", page)[1]
    above, below = re.search(
        r"(\d+) dòng trên tiêu đề cột \(phần đầu danh sách\), (\d+) dòng dưới", page
    ).groups()
    assert badge == below and int(above) >= 3  # the party's, the cell's, the title

    asked = client.post(upload["Location"] + "confirm/").text  # asked once first
    assert "Số người mới thêm vào danh sách học viên: 4." in asked
    with scopes_disabled():
        assert not Trainee.objects.exists()
    done = client.post(upload["Location"] + "confirm/", {"confirmed": "1"}, follow=True)
    assert "4 người mới" in done.text
    with scopes_disabled():
        stored = {
            e.trainee.full_name: e
            for e in Enrollment.objects.filter(training_class=klass).select_related(
                "trainee", "unit"
            )
        }
        assert Trainee.objects.count() == len(PEOPLE)
    assert sorted(stored) == sorted(person[0] for person in PEOPLE)
    for name, birth, gender, ethnicity, unit, _admitted in PEOPLE:
        enrolment = stored[name]
        assert enrolment.unit == units[unit]
        assert enrolment.party_status == "probationary"
        assert enrolment.trainee.ethnicity == ethnicity
        assert enrolment.trainee.gender == ("female" if gender == "Nữ" else "male")
        born = enrolment.trainee.birth_date
        assert born.year == int(birth[-4:])
        if "/" in birth:
            assert (born.day, born.month) == tuple(map(int, birth.split("/")[:2]))
    assert stored["Lò Văn Páo"].trainee.birth_year_only
