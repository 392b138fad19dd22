"""Which rows of a list are trainees: lists laid out as party cells send them.

A title block with merged cells, the header on row 7, the data, then a totals
row and the signature block; the template filled from its first empty row.
Every row that is not a trainee is skipped and listed with its reason.
"""

import datetime
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from enrollment.exports import ClassTemplateExporter
from enrollment.models import Enrollment, Trainee
from tests.conftest import table_snapshot
from tests.enrollment.excel import person, workbook
from tests.enrollment.trainee_lists import confirm, parse
from tests.factories import make_class, make_organization

# The import is asked once; the tests answer yes.
CONFIRMED = {"confirmed": "1"}

CELL_HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Đơn vị",
                "Ghi chú"]  # fmt: skip
PEOPLE = ["Nguyễn Văn Dũng", "Trần Thị Mai", "Lê Văn Hùng", "Phạm Thị Lan",
          "Hoàng Văn Tuấn"]  # fmt: skip


@pytest.fixture
def klass(site_a):
    with scope(center=site_a.center):
        yield make_class(site_a.center)


@pytest.fixture
def cell_unit(site_a):
    return make_organization(
        parent=site_a.center.organization.parent,
        name="Chi bộ Thôn 3",
        code="THON3",
    )


def cell_list(footer=None) -> bytes:
    """A commune party cell's list: the title block in merged cells over six
    rows, the header on row 7, five people (rows 8-12) with dates written
    three ways, then the totals row and the signature block (or `footer`)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["E1"] = "ĐẢNG BỘ XÃ TÂN HÀ", "ĐẢNG CỘNG SẢN VIỆT NAM"
    sheet["A2"], sheet["E2"] = "CHI BỘ THÔN 3", "Tân Hà, ngày 02 tháng 3 năm 2026"
    sheet["A4"] = "DANH SÁCH HỌC VIÊN"
    sheet["A5"] = "Lớp bồi dưỡng nhận thức về Đảng, khóa I năm 2026"
    for cells in ("A1:C1", "E1:G1", "A2:C2", "E2:G2", "A4:G4", "A5:G5"):
        sheet.merge_cells(cells)
    for column, header in enumerate(CELL_HEADERS, start=1):
        sheet.cell(7, column, header)
    births = ["12/05/1987", "3/7/1990", "1985", datetime.datetime(1992, 11, 30),
              "01/01/1979"]  # fmt: skip
    for index, (name, birth) in enumerate(zip(PEOPLE, births, strict=True)):
        gender = "Nữ" if "Thị" in name else "Nam"
        row = [index + 1, name, birth, gender, "Kinh", "Chi bộ Thôn 3", None]
        for column, value in enumerate(row, start=1):
            sheet.cell(8 + index, column, value)
    footer = footer if footer is not None else SIGNATURE_BLOCK
    for offset, cells in enumerate(footer):
        for column, value in cells.items():
            sheet[f"{column}{13 + offset}"] = value
    if footer is SIGNATURE_BLOCK:
        sheet.merge_cells("A13:C13")  # the totals across the first columns
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SIGNATURE_BLOCK = [
    {"A": "Tổng cộng: 05 đồng chí"},  # row 13
    {},
    {"E": "Tân Hà, ngày 02 tháng 3 năm 2026"},  # row 15
    {"B": "NGƯỜI LẬP DANH SÁCH", "E": "T/M CHI ỦY"},  # row 16
    {"E": "BÍ THƯ"},  # row 17
    {"E": "(Ký, ghi rõ họ tên)"},  # row 18
    {},
    {},
    {"B": "Lê Thị Lập"},  # row 21: the signer on the left, a name alone
    {"E": "Trần Văn Thư"},  # row 22: the secretary, under T/M CHI ỦY
]


def test_a_cell_list_imports_exactly_its_people(site_a, klass, cell_unit):
    with translation.override("vi"):
        parsed = parse(cell_list(), klass)
    assert parsed.header_row == 7
    assert parsed.error_count == 0, [(r.number, r.errors) for r in parsed.rows]
    assert [row.values["full_name"] for row in parsed.rows] == PEOPLE
    assert [row.values["birth_date"] for row in parsed.rows][:4] == [
        datetime.date(1987, 5, 12),
        datetime.date(1990, 7, 3),
        datetime.date(1985, 1, 1),
        datetime.date(1992, 11, 30),
    ]
    skipped = {skip.number: (str(skip.reason), skip.text) for skip in parsed.skipped}
    assert skipped[1] == (
        "Nằm trên dòng tiêu đề cột (phần đầu danh sách).",
        "ĐẢNG BỘ XÃ TÂN HÀ · ĐẢNG CỘNG SẢN VIỆT NAM",
    )
    assert skipped[13] == ("Dòng tổng cộng.", "Tổng cộng: 05 đồng chí")
    assert skipped[15][0] == "Địa danh, ngày tháng ký."
    assert skipped[16] == (
        "Phần ký tên dưới danh sách.",
        "NGƯỜI LẬP DANH SÁCH · T/M CHI ỦY",
    )
    assert skipped[17][1] == "BÍ THƯ"
    assert skipped[21] == ("Họ tên người ký, dưới phần ký tên.", "Lê Thị Lập")
    assert skipped[22] == ("Phần ký tên dưới danh sách.", "Trần Văn Thư")
    assert {4, 5, 13, 14, 15, 16, 17, 18, 21, 22} <= set(skipped)

    result = confirm(site_a, klass, cell_list())
    assert (result.created, result.matched) == (5, 0)
    with scopes_disabled():
        assert sorted(Trainee.objects.values_list("full_name", flat=True)) == sorted(
            PEOPLE
        )
        assert Enrollment.objects.filter(training_class=klass).count() == 5


@pytest.mark.parametrize(
    "footer",
    [
        [{"B": "Cộng"}, {"B": "Nguyễn Văn Ký"}],
        [{"B": "Tổng số: 5 người"}],
        [{"A": "Ghi chú: danh sách gửi kèm công văn số 12"}],
        [{"B": "T/M ĐẢNG ỦY"}, {"B": "KT. BÍ THƯ"}, {"B": "PHÓ BÍ THƯ"}, {},
         {"B": "Đinh Công Sơn"}],
        [{"B": "XÁC NHẬN CỦA ĐẢNG ỦY XÃ", "E": "NGƯỜI LẬP DANH SÁCH"}, {},
         {"B": "Vũ Văn Xác", "E": "Mai Thị Lập"}],
        [{"E": "Xã Tân Hà, ngày … tháng … năm 2026"}, {"E": "Đỗ Văn Ký"}],
        [{"B": "BÍ THƯ"}, {"B": "(Đã ký)"}, {"B": "Lò Văn Bí"}],
    ],
)  # fmt: skip
def test_the_signature_block_is_never_read_as_trainees(klass, cell_unit, footer):
    parsed = parse(cell_list(footer), klass)
    assert [row.values.get("full_name") for row in parsed.rows] == PEOPLE
    assert parsed.error_count == 0
    assert {skip.number for skip in parsed.skipped} >= {
        13 + offset for offset, cells in enumerate(footer) if cells
    }


def test_people_after_a_subtotal_are_still_read(klass, cell_unit):
    """A subtotal in the middle of the list does not end it for rows that
    carry a row number or a date of birth."""
    late = {"A": 6, "B": "Đặng Thị Thu", "C": "02/02/1991", "D": "Nữ"}
    footer = [{"B": "Cộng: 5"}, late, {"B": "Người lập danh sách"}, {"B": "Lê Lập"}]
    parsed = parse(cell_list(footer), klass)
    assert [row.values["full_name"] for row in parsed.rows] == [*PEOPLE, "Đặng Thị Thu"]


def test_names_alone_are_people_until_the_signature_block(klass):
    """A list with names and genders only: names that begin like a footer
    word ("Chu", "Lưu Ý", "Tống Cơ") are people; the signer is not."""
    names = ["Chu Yến Nhi", "Lưu Ý Lan", "Tống Cơ Minh", "Kỳ Văn Thôn",
             "Tô Văn Tổng"]  # fmt: skip
    rows = [[name, "Nữ"] for name in names]
    rows += [[None], ["Người lập danh sách"], ["Lê Văn Lập"]]
    parsed = parse(workbook(rows, headers=["Họ và tên", "Giới tính"]), klass)
    assert [row.values["full_name"] for row in parsed.rows] == names
    assert [skip.number for skip in parsed.skipped if skip.number > 4] == [10, 11, 12]


def test_headings_and_numbers_alone_are_not_people(klass):
    rows = [
        ["I. CHI BỘ THÔN 1"],  # a heading across the row: its text is in A
        person(1, "Nguyễn Văn An"),
        [None, "Chi bộ Thôn 2"],
        person(2, "Trần Văn Bình", "01/01/1990", "Nam"),
        [None, None, None, None, None, "Chi bộ Thôn 2"],
        [3],  # numbered rows left empty
        [4],
    ]
    parsed = parse(workbook(rows), klass)
    assert [row.values["full_name"] for row in parsed.rows] == [
        "Nguyễn Văn An",
        "Trần Văn Bình",
    ]
    assert parsed.error_count == 0
    runs = [(skip.number, skip.last) for skip in parsed.skipped if skip.number > 4]
    assert runs == [(5, 0), (7, 0), (9, 0), (10, 11)]


# The template -------------------------------------------------------------------


def fill_template(klass, people, *, from_row=None) -> bytes:
    """The class's template filled the way its note says, from the first empty
    row (or from `from_row`)."""
    _name, _type, content = ClassTemplateExporter(klass).export()
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    first = from_row or 1 + max(
        row[0].row for row in sheet.iter_rows() if any(c.value for c in row)
    )
    for offset, cells in enumerate(people):
        for column, value in enumerate(cells, start=1):
            sheet.cell(first + offset, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_filled_from_its_first_empty_row_imports_no_example(site_a, klass):
    people = [["Nguyễn Văn An", "12/05/1987", "Nam"],
              ["Trần Thị Bình", "1990", "Nữ"]]  # fmt: skip
    content = fill_template(klass, people)
    parsed = parse(content, klass)
    assert [row.values["full_name"] for row in parsed.rows] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
    ]
    assert parsed.rows[0].number == 5
    result = confirm(site_a, klass, content)
    assert result.created == 2
    assert not Trainee.objects.filter(full_name="Nguyễn Thị Hòa").exists()


def test_the_example_row_of_an_older_template_is_skipped(klass):
    """Templates handed out before held the example on row 5 (notes "Ví dụ")."""
    example = ["Nguyễn Thị Hòa", "17/05/1995", "Nữ", "Kinh", "", "Đoàn viên",
               "Quần chúng", None, None, "Ví dụ"]  # fmt: skip
    old_headers = ["Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Đơn vị",
                   "Chức vụ", "Tình trạng đảng viên", "Ngày vào Đảng", "Số CCCD",
                   "Ghi chú"]  # fmt: skip
    content = workbook(
        [example, ["Nguyễn Văn An", "12/05/1987", "Nam"]], headers=old_headers
    )
    with translation.override("vi"):
        parsed = parse(content, klass)
    assert [row.values["full_name"] for row in parsed.rows] == ["Nguyễn Văn An"]
    (skip,) = [skip for skip in parsed.skipped if skip.number == 5]
    assert str(skip.reason) == "Dòng ví dụ của biểu mẫu."


# The preview --------------------------------------------------------------------


def test_the_preview_lists_the_skipped_rows(site_a, klass, cell_unit):
    client = Client()
    client.force_login(site_a.staff)
    response = client.post(
        reverse("enrollment:import_upload", args=["trung-tam-a", klass.pk]),
        {"file": io.BytesIO(cell_list())},
    )
    page = client.get(response["Location"]).text
    assert "Người mới: 5" in page
    assert "Dòng bỏ qua" in page
    for text in ("Tổng cộng: 05 đồng chí", "NGƯỜI LẬP DANH SÁCH · T/M CHI ỦY",
                 "Họ tên người ký, dưới phần ký tên.", "Lê Thị Lập"):  # fmt: skip
        assert text in page
    before = table_snapshot()
    client.post(response["Location"] + "confirm/", CONFIRMED)
    assert table_snapshot() != before
    with scopes_disabled():
        assert not Trainee.objects.filter(full_name="Lê Thị Lập").exists()
        assert Enrollment.objects.filter(training_class=klass).count() == 5
