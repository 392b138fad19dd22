"""Lists whose header takes two rows, as party cells often lay them out: the
date of birth split into "Nam" | "Nữ" columns, the name into "Họ đệm" |
"Tên", a row of column numbers "(1) (2) …" under the header, and a second
worksheet. Each is read, or said, never dropped in silence."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from enrollment.rows import ROW_COLUMN_NUMBERS, ROW_SECOND_HEADER
from tests.conftest import table_snapshot
from tests.enrollment.trainee_lists import parse
from tests.factories import make_class


def two_row_list(*, split_name=False, numbers=True, second_sheet=False) -> bytes:
    """Title block, then the header on rows 5–6 in merged cells, the column
    numbers on row 7, three people and a signature block."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "DS de nghi"
    sheet["A1"] = "ĐẢNG BỘ PHƯỜNG XUÂN HƯƠNG"
    sheet["A3"] = "DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ THAM GIA LỚP BỒI DƯỠNG"
    sheet.merge_cells("A1:D1")
    sheet.merge_cells("A3:H3")
    if split_name:
        first = ["STT", "Họ và tên", None, "Ngày, tháng, năm sinh", None, "Dân tộc",
                 "Chức vụ, đơn vị công tác", "Ngày vào Đảng"]  # fmt: skip
        second = [None, "Họ đệm", "Tên", "Nam", "Nữ", None, None, None]
        merged = ("A5:A6", "B5:C5", "D5:E5", "F5:F6", "G5:G6", "H5:H6")
        people = [
            [1, "Nguyễn Văn", "Bình", "12/03/1990", None, "Kinh", "Bí thư chi đoàn",
             "03/03/2025"],
            [2, "Trần Thị", "Hoa", None, datetime.datetime(1995, 7, 4), "Tày",
             "Đội viên", "15/06/2025"],
            [3, "Lê", "Cường", "1985", None, "Kinh", "Tổ trưởng", "1/9/2025"],
        ]  # fmt: skip
    else:
        first = ["STT", "Họ và tên", "Ngày, tháng, năm sinh", None, "Dân tộc",
                 "Chức vụ, đơn vị công tác", "Ngày vào Đảng"]  # fmt: skip
        second = [None, None, "Nam", "Nữ", None, None, None]
        merged = ("A5:A6", "B5:B6", "C5:D5", "E5:E6", "F5:F6", "G5:G6")
        people = [
            [1, "Nguyễn Văn Bình", "12/03/1990", None, "Kinh", "Bí thư chi đoàn",
             "03/03/2025"],
            [2, "Trần Thị Hoa", None, datetime.datetime(1995, 7, 4), "Tày",
             "Đội viên", "15/06/2025"],
            [3, "Lê Cường", "1985", None, "Kinh", "Tổ trưởng", "1/9/2025"],
        ]  # fmt: skip
    rows = [first, second]
    if numbers:
        rows.append([f"({n})" for n in range(1, len(first) + 1)])
    rows += people
    for number, values in enumerate(rows, start=5):
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(number, column, value)
    for cells in merged:
        sheet.merge_cells(cells)
    end = 5 + len(rows) + 1
    sheet.cell(end, 6, "T/M CHI BỘ")
    sheet.cell(end + 1, 6, "BÍ THƯ")
    sheet.cell(end + 4, 6, "Phạm Văn Thư")
    if second_sheet:
        other = book.create_sheet("Dự nguồn")
        other["A1"] = "Họ và tên"
        other["A2"] = "Đinh Văn Nguồn"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def klass(site_a):
    with scopes_disabled():
        return make_class(site_a.center)


def people_of(parsed):
    return [
        (
            row.values.get("full_name"),
            row.values.get("gender"),
            row.values.get("birth_date"),
            row.values.get("birth_year_only"),
            row.values.get("position"),
        )
        for row in parsed.rows
    ]


EXPECTED = [
    ("Nguyễn Văn Bình", "male", datetime.date(1990, 3, 12), False, "Bí thư chi đoàn"),
    ("Trần Thị Hoa", "female", datetime.date(1995, 7, 4), False, "Đội viên"),
    ("Lê Cường", "male", datetime.date(1985, 1, 1), True, "Tổ trưởng"),
]


@pytest.mark.django_db
def test_birth_dates_under_nam_and_nu_give_gender_and_date(klass):
    with scopes_disabled():
        parsed = parse(two_row_list(), klass)
    assert [row.errors for row in parsed.rows] == [[], [], []]
    assert people_of(parsed) == EXPECTED
    assert parsed.unread == []
    reasons = {skip.number: str(skip.reason) for skip in parsed.skipped}
    assert reasons[6] == str(ROW_SECOND_HEADER)
    assert reasons[7] == str(ROW_COLUMN_NUMBERS)


@pytest.mark.django_db
def test_a_name_in_two_columns_is_read_whole(klass):
    with scopes_disabled():
        parsed = parse(two_row_list(split_name=True, numbers=False), klass)
    assert [row.errors for row in parsed.rows] == [[], [], []]
    assert people_of(parsed) == EXPECTED
    assert parsed.unread == []


@pytest.mark.django_db
def test_a_first_data_row_is_never_taken_for_a_second_header_row(klass):
    """Under a one-row header, a person whose gender reads "Nam" is a person."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính"])
    sheet.append([1, "Nguyễn Văn An", "01/02/1990", "Nam"])
    sheet.append([2, "Lê Thị Bé", "03/04/1991", "Nữ"])
    out = io.BytesIO()
    book.save(out)
    with scopes_disabled():
        parsed = parse(out.getvalue(), klass)
    assert [row.values["full_name"] for row in parsed.rows] == [
        "Nguyễn Văn An",
        "Lê Thị Bé",
    ]
    assert parsed.second_header_row == 0


@pytest.mark.django_db
def test_the_preview_names_a_worksheet_it_does_not_read(site_a, klass):
    client = Client()
    client.force_login(site_a.staff)
    before = table_snapshot()
    upload = SimpleUploadedFile("ds.xlsx", two_row_list(second_sheet=True))
    response = client.post(
        reverse("enrollment:import_upload", args=["trung-tam-a", klass.pk]),
        {"file": upload},
        follow=True,
    )
    page = response.content.decode()
    assert "Tệp còn 1 trang tính khác, không được đọc:" in page
    assert "“Dự nguồn”" in page
    assert "Nguyễn Văn Bình" in page and "Đội viên" in page
    # The preview itself enrols nobody.
    with scopes_disabled():
        assert klass.enrollments.count() == 0
    changed = {
        table for table, state in table_snapshot().items() if state != before.get(table)
    }
    assert changed == {"enrollment.ImportBatch"}


def long_heading_list(beside_name: list) -> bytes:
    """An eleven-line heading (Số, Kính gửi, Căn cứ …), the header on row 12
    with "Họ và tên" over two columns, and the values beside the names."""
    book = openpyxl.Workbook()
    sheet = book.active
    for number in range(1, 12):
        sheet.cell(number, 1, f"Căn cứ văn bản số {number}")
    sheet.append(["STT", "Họ và tên", None, "Năm sinh", "Ghi chú"])
    sheet.merge_cells("B12:C12")
    for number, (family, beside) in enumerate(
        zip(["Võ Thị", "Nguyễn Hoàng", "Bùi Văn"], beside_name, strict=True), start=1
    ):
        sheet.append([number, family, beside, 1990 + number, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_name_over_two_columns_under_a_long_heading_is_read_whole(klass):
    with scopes_disabled():
        parsed = parse(long_heading_list(["Mai", "Long", "Tú"]), klass)
    assert parsed.header_row == 12
    assert parsed.given_name_letter == "C"  # the preview says what it did
    assert [row.values["full_name"] for row in parsed.rows] == [
        "Võ Thị Mai",
        "Nguyễn Hoàng Long",
        "Bùi Văn Tú",
    ]
    assert parsed.unread == []
    # A column of "Nam" / "Nữ" beside the names is no part of them: it stays
    # a column not imported, shown as such.
    with scopes_disabled():
        parsed = parse(long_heading_list(["Nữ", "Nam", "Nam"]), klass)
    assert [row.values["full_name"] for row in parsed.rows][0] == "Võ Thị"
    assert [column.letter for column in parsed.unread] == ["C"]
    assert parsed.given_name_letter == ""


@pytest.mark.django_db
def test_a_mapping_chosen_before_does_not_hide_the_second_row(klass):
    """A clerk once read the merged "Ngày, tháng, năm sinh" as the "Nam"
    column by hand; the next list with that header still reads "Nữ"."""
    from enrollment.importing import parse_list
    from enrollment.models.imports import header_key
    from tests.enrollment.trainee_lists import read

    remembered = {header_key("Ngày, tháng, năm sinh"): "male_mark"}
    with scopes_disabled():
        parsed = parse_list(
            read(two_row_list()), training_class=klass, remembered=remembered
        )
    assert [row.errors for row in parsed.rows] == [[], [], []]
    assert people_of(parsed) == EXPECTED


def sheet_of(*rows, extra_sheets=()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for title, state, value in extra_sheets:
        other = book.create_sheet(title)
        other.sheet_state = state
        if value:
            other["A1"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_second_row_with_words_it_does_not_know_still_splits_the_birth(klass):
    """ "Đảng viên" over "Dự bị" | "Chính thức" beside "Nam" | "Nữ": the
    birth dates are read; the two party columns are shown as not imported."""
    content = sheet_of(
        ["STT", "Họ và tên", "Ngày, tháng, năm sinh", None, "Đảng viên", None],
        [None, None, "Nam", "Nữ", "Dự bị", "Chính thức"],
        ["A", "B", 1, 2, 3, 4],
        [1, "Nguyễn Văn Bình", "12/03/1990", None, "x", None],
        [2, "Trần Thị Hoa", None, "04/07/1995", None, "x"],
    )
    with scopes_disabled():
        parsed = parse(content, klass)
    assert parsed.second_header_row == 2
    assert [row.errors for row in parsed.rows] == [[], []]
    assert [row.values["gender"] for row in parsed.rows] == ["male", "female"]
    assert [column.letter for column in parsed.unread] == ["E", "F"]
    reasons = {skip.number: str(skip.reason) for skip in parsed.skipped}
    assert reasons[3] == str(ROW_COLUMN_NUMBERS)  # "A B 1 2 3 4"


@pytest.mark.django_db
def test_a_column_of_repeated_words_beside_the_names_is_no_part_of_them(klass):
    """Ethnicity or a tick without a header beside the name stays apart."""
    for beside in (["Kinh", "Kinh", "Tày", "Kinh", "Kinh"], ["x", "x", "x", "x", "x"]):
        content = sheet_of(
            ["STT", "Họ và tên", None, "Năm sinh"],
            *[
                [n, name, word, 1990]
                for n, (name, word) in enumerate(
                    zip(
                        ["Lê An", "Võ Bé", "Lò Cả", "Hà Dũng", "Mai Em"],
                        beside,
                        strict=True,
                    ),
                    start=1,
                )
            ],
        )
        with scopes_disabled():
            parsed = parse(content, klass)
        assert parsed.rows[0].values["full_name"] == "Lê An", beside
        assert [column.letter for column in parsed.unread] == ["C"]


@pytest.mark.django_db
def test_hidden_and_empty_worksheets_are_not_announced(klass):
    content = sheet_of(
        ["STT", "Họ và tên"],
        [1, "Lê An"],
        extra_sheets=[
            ("Sheet2", "visible", None),
            ("DanhMuc", "hidden", "Kinh"),
            ("Dự nguồn", "visible", "Đinh Văn Nguồn"),
        ],
    )
    with scopes_disabled():
        parsed = parse(content, klass)
    assert parsed.other_sheets == ["Dự nguồn"]
