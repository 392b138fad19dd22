"""Reading trainee lists from Excel: messy real lists, bad cells, hostile files."""

import datetime
import io
import time
import unicodedata
import zipfile

import openpyxl
import pytest
from django.utils import translation
from django_scopes import scope

from enrollment.exports import ErrorWorkbookExporter
from enrollment.importing import parse_list
from tests.enrollment.excel import entity_bomb, person, workbook, zip_bomb
from tests.enrollment.trainee_lists import (
    MB,
    messy_list,
    parse,
    read,
    registered_people,
    word,
)
from tests.factories import make_class
from trainingcenter.uploads import UploadRefused, check_upload


@pytest.fixture
def klass(site_a):
    with scope(center=site_a.center):
        yield make_class(site_a.center)


UNIT = object()  # stands for the unit made by `messy_list`
# A birth date a year from whenever the tests run.
NEXT_YEAR = f"{datetime.date.today() + datetime.timedelta(days=400):%d/%m/%Y}"


def test_messy_list_finds_the_header_and_skips_blank_and_totals_rows(site_a, klass):
    content, _unit = messy_list(site_a)
    parsed = parse(content, klass)
    assert parsed.header_row == 4
    assert parsed.error_count == 0, [r.errors for r in parsed.rows]
    assert [r.number for r in parsed.rows] == [5, 6, 8, 9]


@pytest.mark.parametrize(
    "index, expected",
    [
        (
            0,
            {
                "full_name": "Nguyễn Văn An",  # capitals and spaces tidied
                "unit_id": UNIT,  # by code, any case
                "birth_date": datetime.date(1990, 3, 4),
                "gender": "male",
            },
        ),
        (
            1,
            {
                "full_name": "Trần Thị Ngọc Ánh",  # NFD made NFC
                "birth_date": datetime.date(1985, 3, 4),  # "4/3/85"
                "unit_id": UNIT,  # by name, without diacritics or spacing
            },
        ),
        (
            2,
            {
                "birth_date": datetime.date(1979, 1, 1),
                "birth_year_only": True,
                "party_status": "probationary",
                "citizen_id": "012345678901",  # the leading zero Excel dropped
            },
        ),
        (3, {"birth_date": datetime.date(2001, 3, 4)}),  # "04.03.2001"
    ],
)
def test_messy_list_rows_are_read_as_people(site_a, klass, index, expected):
    content, unit = messy_list(site_a)
    values = parse(content, klass).rows[index].values
    expected = {k: unit.pk if v is UNIT else v for k, v in expected.items()}
    assert {key: values.get(key) for key in expected} == expected
    assert unicodedata.is_normalized("NFC", values["full_name"])


@pytest.mark.parametrize(
    "cells, column, message",
    [
        (
            person(1, "Nguyễn Văn A", "31/02/1990"),
            "Ngày sinh",
            "không phải là ngày có thật",
        ),
        (person(1, "Nguyễn Văn A", gender="Khác"), "Giới tính", "Nam"),
        (person(1, '=HYPERLINK("x")'), "Họ và tên", "="),
        (person(1, "Nguyễn Vаn A"), "Họ và tên", "ký tự lạ"),  # Cyrillic а
        (person(1, "Nguyễn Văn A", unit="Đơn vị ma"), "Đơn vị", "Đơn vị ma"),
        (person(1, "Nguyễn Văn A", citizen_id="12345"), "Số CCCD", "12 chữ số"),
        (person(1, "An"), "Họ và tên", "đầy đủ họ và tên"),
        (person(1, "Nguyễn Văn " + "An" * 60), "Họ và tên", "Dài quá 120 ký tự"),
        (person(1, "Nguyễn Văn A", NEXT_YEAR), "Ngày sinh", "tương lai"),
        (
            person(
                1,
                "Nguyễn Văn A",
                "02/08/1998",
                party="Đảng viên dự bị",
                admission="01/01/1990",
            ),
            "Ngày vào Đảng",
            "trước khi đủ 18 tuổi",
        ),
        (  # a year of birth alone: 2009 is surely before 18
            person(
                1,
                "Nguyễn Văn A",
                "1992",
                party="Đảng viên dự bị",
                admission="01/12/2009",
            ),
            "Ngày vào Đảng",
            "trước khi đủ 18 tuổi",
        ),
    ],
)
def test_bad_cells_name_the_row_and_the_column(klass, cells, column, message):
    with translation.override("vi"):
        parsed = parse(workbook([cells]), klass)
    (row,) = parsed.rows
    assert row.number == 5
    assert any(col == column and message in text for col, text in row.errors), (
        row.errors
    )


def test_admission_at_18_is_no_error(klass):
    rows = [
        person(
            1,
            "Nguyễn Văn A",
            "29/02/2000",
            party="Đảng viên dự bị",
            admission="01/03/2018",
        ),
        person(
            2, "Nguyễn Văn B", "1992", party="Đảng viên dự bị", admission="02/01/2010"
        ),
    ]
    parsed = parse(workbook(rows), klass)
    assert parsed.error_count == 0, [row.errors for row in parsed.rows]


def test_same_person_twice_in_a_file_is_reported_on_both_rows(klass):
    parsed = parse(
        workbook([person(1, "Nguyễn Văn A"), person(2, "nguyen van a")]), klass
    )
    assert [r.kind for r in parsed.rows] == ["error", "error"]
    assert "5, 6" in parsed.rows[0].errors[0][1]


def test_registry_matches_other_spellings(site_a, klass):
    known, by_id = registered_people(site_a)
    variants = [
        "Nguyễn Thị Hoà",
        unicodedata.normalize("NFD", "Nguyễn Thị Hòa"),
        "NGUYỄN  THỊ HÒA",
    ]
    for variant in variants:
        parsed = parse(workbook([person(1, variant)]), klass)
        assert (parsed.rows[0].kind, parsed.rows[0].match_id) == ("match", known.pk), (
            variant
        )
    parsed = parse(
        workbook(
            [person(1, "Lê Văn Tám Khác Tên", "01/01/1970", citizen_id="001095000001")]
        ),
        klass,
    )
    assert parsed.rows[0].match_id == by_id.pk


def test_formulas_are_never_evaluated(klass):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Ngày sinh", "Giới tính"])
    sheet.append(["Nguyễn Văn A", "=DATE(1990,1,1)", "Nam"])
    out = io.BytesIO()
    book.save(out)
    (row,) = parse(out.getvalue(), klass).rows
    assert any("công thức" in message for _, message in row.errors)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"Ho ten,Ngay sinh\nNguyen Van A,01/01/1990\n", "không phải là tệp Excel"),
        (b"<table><tr><td>Nguyen</td></tr></table>", "không phải là tệp Excel"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 2000, "mật khẩu"),
        (b"PK\x03\x04 not really a zip", "không phải là tệp Excel"),
    ],
)
def test_files_that_are_not_xlsx_are_refused(content, message):
    with translation.override("vi"), pytest.raises(UploadRefused, match=message):
        read(content)


def test_zip_bomb_is_refused_fast_from_the_size_table():
    content = zip_bomb(200)
    assert len(content) < 1 * MB
    started = time.monotonic()
    with pytest.raises(UploadRefused):
        read(content)
    # Refused from the table of sizes: well under a second alone, a few on a
    # busy machine; expanding the bomb would take minutes and gigabytes.
    assert time.monotonic() - started < 5


def test_xml_entity_expansion_is_refused():
    import openpyxl as library

    assert library.DEFUSEDXML is True
    started = time.monotonic()
    with pytest.raises(UploadRefused):
        read(entity_bomb())
    assert time.monotonic() - started < 5  # expanded, it would not end


def test_row_limit_and_size_limit():
    rows = [person(i, f"Nguyễn Văn {word(i)}") for i in range(60)]
    with pytest.raises(UploadRefused, match="50"):
        read(workbook(rows), max_rows=50)
    with pytest.raises(UploadRefused, match="MB"):
        check_upload(b"PK" + b"0" * (5 * MB), max_bytes=5 * MB)


def test_error_workbook_marks_bad_cells_and_keeps_text_as_text(klass):
    content = workbook(
        [person(1, "Nguyễn Văn A", "31/02/1990"), person(2, "=cmd|' /C calc'!A0")]
    )
    sheet = read(content)
    parsed = parse_list(sheet, training_class=klass)
    _, _, errors = ErrorWorkbookExporter(sheet, parsed, "danh sach.xlsx").export()
    book = openpyxl.load_workbook(io.BytesIO(errors))
    bad_date = book.active["C5"]
    assert bad_date.fill.fgColor.rgb.endswith("FFC7CE")
    assert (
        "không phải là ngày có thật" in bad_date.comment.text or bad_date.comment.text
    )
    assert book.active["B6"].data_type == "s"
    assert book.active["B6"].comment is not None


def test_the_error_file_looks_like_the_list_the_cell_sent(klass):
    """Its title centred across the list, the column headers bold and
    frozen, a date typed as a date shown dd/mm/yyyy, the columns wide
    enough for the names."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH ĐẢNG VIÊN DỰ BỊ"])
    sheet.append([])
    sheet.append(["STT", "Họ và tên", "Ngày sinh"])
    sheet.append([1, "Nguyễn Thị Bích Ngọc", datetime.datetime(1990, 3, 5)])
    sheet.append([2, "Lê Văn Bình", "31/02/1990"])
    out = io.BytesIO()
    book.save(out)
    read_back = read(out.getvalue())
    parsed = parse_list(read_back, training_class=klass)
    assert parsed.header_row == 3 and parsed.error_count
    _, _, errors = ErrorWorkbookExporter(read_back, parsed, "ds.xlsx").export()
    back = openpyxl.load_workbook(io.BytesIO(errors)).active
    assert "A1:C1" in back.merged_cells and back["A1"].font.b
    assert back["B3"].font.b and back.freeze_panes == "A4"
    assert back["C4"].number_format == "DD/MM/YYYY"
    assert back.column_dimensions["B"].width >= len("Nguyễn Thị Bích Ngọc")
    assert back["C5"].comment is not None  # the bad date, still marked


def test_two_rows_with_one_citizen_id_are_both_errors(klass):
    parsed = parse(
        workbook(
            [
                person(1, "Nguyễn Văn An", citizen_id="001095000009"),
                person(2, "Lê Thị Bình", "01/01/1980", citizen_id="001095000009"),
            ]
        ),
        klass,
    )
    assert [row.kind for row in parsed.rows] == ["error", "error"]


def test_a_sheet_that_lies_about_its_size_is_read_in_full():
    """A sheet declaring A1:D10 still has all its rows counted: the declared
    size is not trusted."""
    from tests.enrollment.excel import _replace

    rows = [person(i, f"Nguyễn Văn {word(i)}") for i in range(80)]
    content = workbook(rows)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    lying = re_dimension(sheet_xml)
    assert b'<dimension ref="A1:D10"/>' in lying
    with pytest.raises(UploadRefused):
        read(_replace(content, "xl/worksheets/sheet1.xml", lying), max_rows=50)


def re_dimension(sheet_xml: bytes) -> bytes:
    import re

    return re.sub(
        rb'<dimension ref="[^"]+"\s*/>', b'<dimension ref="A1:D10"/>', sheet_xml
    )


def test_macro_workbooks_are_refused():
    content = workbook([person(1, "Nguyễn Văn An")])
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\0" * 100)
    with pytest.raises(UploadRefused, match="macro"):
        read(buffer.getvalue())
