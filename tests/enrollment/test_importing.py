"""Trainee lists from Excel: messy real lists, hostile files, all or nothing."""

import datetime
import io
import time
import unicodedata

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from enrollment.exports import ErrorWorkbookExporter, RosterExporter
from enrollment.importing import parse_list, read_list
from enrollment.models import Enrollment, ImportBatch, Trainee
from enrollment.services import imports
from tests.conftest import table_snapshot
from tests.enrollment.excel import entity_bomb, person, workbook, zip_bomb
from tests.factories import make_class, make_organization, make_trainee
from trainingcenter.models import Membership
from trainingcenter.uploads import UploadRefused, check_upload, read_first_sheet

MB = 1024 * 1024


def word(number: int) -> str:
    """A distinct name-like word for each number: "Aba", "Abb", …"""
    letters = "abcdeghiklmnopqrstuvxy"
    text = ""
    for _ in range(3):
        number, digit = divmod(number, len(letters))
        text += letters[digit]
    return "A" + text


@pytest.fixture
def klass(site_a):
    with scope(center=site_a.center):
        yield make_class(site_a.center)


def read(content, max_rows=5000):
    check_upload(content, max_bytes=5 * MB)
    return read_first_sheet(content, max_rows=max_rows + 10, reported_limit=max_rows)


def parse(content, klass):
    return parse_list(read(content), training_class=klass)


def batch_for(site, klass, content):
    return ImportBatch.objects.create(
        token=f"t{time.monotonic_ns()}",
        center=site.center,
        training_class=klass,
        user=site.staff,
        file_name="ds.xlsx",
        sheet=read_list(content).to_json(),
    )


def confirm(site, klass, content):
    return imports.import_trainee_list(
        batch_for(site, klass, content),
        by=site.staff,
        membership=Membership.objects.get(user=site.staff),
    )


def test_messy_list_is_read_as_people(site_a, klass):
    unit = make_organization(
        parent=site_a.center.organization.parent,
        name="Chi bộ Tổ dân phố 1",
        code="TDP1",
    )
    nfd = unicodedata.normalize("NFD", "Trần Thị Ngọc Ánh")
    content = workbook(
        [
            person(
                1,
                "  NGUYỄN   VĂN   AN ",
                datetime.datetime(1990, 3, 4),
                "Nam",
                unit="tdp1",
            ),
            person(2, nfd, "4/3/85", "nữ", unit="chi bo to dan pho  1"),
            [None] * 11,
            person(
                3,
                "lê văn bình",
                "1979",
                "Nam",
                party="Đảng viên dự bị",
                admission="01/06/2026",
                citizen_id=1234567890,
            ),
            person(4, "Phạm Thị Hoa", "04.03.2001", "Nữ", citizen_id="001301012345"),
            ["", "Tổng cộng: 4 người", None, None],
        ],
        headers=[
            "Ghi chú",
            "Ngày sinh",
            "Họ và tên",
            "Giới tính",
            "Dân tộc",
            "Đơn vị",
            "Chức vụ",
            "Tình trạng đảng viên",
            "Ngày vào Đảng",
            "Số CCCD",
            "STT",
        ],
    )
    # The headers above are in another order: rebuild rows to match them.
    content = workbook(
        [
            [
                None,
                datetime.datetime(1990, 3, 4),
                "  NGUYỄN   VĂN   AN ",
                "Nam",
                "Kinh",
                "tdp1",
                None,
                "Quần chúng",
                None,
                None,
                1,
            ],
            [
                None,
                "4/3/85",
                nfd,
                "nữ",
                "Tày",
                "chi bo to dan pho  1",
                None,
                None,
                None,
                None,
                2,
            ],
            [None] * 11,
            [
                None,
                "1979",
                "lê văn bình",
                "Nam",
                None,
                None,
                None,
                "Đảng viên dự bị",
                "01/06/2026",
                12345678901,
                3,
            ],
            [
                None,
                "04.03.2001",
                "Phạm Thị Hoa",
                "Nữ",
                None,
                None,
                None,
                None,
                None,
                "001301012345",
                4,
            ],
            [None, None, "Tổng cộng: 4 người", None],
        ],
        headers=[
            "Ghi chú",
            "Ngày sinh",
            "Họ và tên",
            "Giới tính",
            "Dân tộc",
            "Đơn vị",
            "Chức vụ",
            "Tình trạng đảng viên",
            "Ngày vào Đảng",
            "Số CCCD",
            "STT",
        ],
    )
    parsed = parse(content, klass)
    assert parsed.header_row == 4
    assert parsed.error_count == 0, [r.errors for r in parsed.rows]
    assert [r.number for r in parsed.rows] == [5, 6, 8, 9]
    first, second, third, fourth = (r.values for r in parsed.rows)
    assert first["full_name"] == "Nguyễn Văn An" and first["unit_id"] == unit.pk
    assert (
        first["birth_date"] == datetime.date(1990, 3, 4) and first["gender"] == "male"
    )
    assert second["full_name"] == "Trần Thị Ngọc Ánh"
    assert unicodedata.is_normalized("NFC", second["full_name"])
    assert (
        second["birth_date"] == datetime.date(1985, 3, 4)
        and second["unit_id"] == unit.pk
    )
    assert third["birth_date"] == datetime.date(1979, 1, 1) and third["birth_year_only"]
    assert third["party_status"] == "probationary"
    assert third["citizen_id"] == "012345678901"  # the leading zero Excel dropped
    assert fourth["birth_date"] == datetime.date(2001, 3, 4)
    result = confirm(site_a, klass, content)
    assert (result.created, result.matched) == (4, 0)
    with scopes_disabled():
        assert Enrollment.objects.filter(training_class=klass).count() == 4
        assert Trainee.objects.get(full_name="Lê Văn Bình").birth_display == "1979"


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
    ],
)
def test_bad_cells_name_the_row_and_the_column(klass, cells, column, message):
    from django.utils import translation

    with translation.override("vi"):
        parsed = parse(workbook([cells]), klass)
    (row,) = parsed.rows
    assert row.number == 5
    assert any(col == column and message in text for col, text in row.errors), (
        row.errors
    )


def test_same_person_twice_in_a_file_is_reported_on_both_rows(klass):
    parsed = parse(
        workbook([person(1, "Nguyễn Văn A"), person(2, "nguyen van a")]), klass
    )
    assert [r.kind for r in parsed.rows] == ["error", "error"]
    assert "5, 6" in parsed.rows[0].errors[0][1]


def test_registry_matches_other_spellings_and_never_duplicates(site_a, klass):
    known = make_trainee(
        site_a.center, full_name="Nguyễn Thị Hòa", birth_date=datetime.date(1995, 5, 17)
    )
    by_id = make_trainee(
        site_a.center,
        full_name="Lê Văn Tám",
        citizen_id="001095000001",
        birth_date=datetime.date(1980, 1, 1),
    )
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
    people_before = Trainee.objects.count()
    confirm(site_a, klass, workbook([person(1, "Nguyễn Thị Hoà")]))
    assert Trainee.objects.count() == people_before
    assert Enrollment.objects.get().trainee == known


def test_one_bad_row_among_a_thousand_changes_nothing(site_a, klass):
    rows = [
        person(
            i,
            f"Nguyễn Văn {word(i)}",
            f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 40}",
            "Nam",
        )
        for i in range(1000)
    ]
    rows[632][2] = "31/02/1990"  # Excel row 637
    content = workbook(rows)
    parsed = parse(content, klass)
    assert [(r.number, r.errors[0][0]) for r in parsed.rows if r.errors] == [
        (637, "Ngày sinh")
    ]
    before = table_snapshot()
    with pytest.raises(ValidationError, match="1"):
        confirm(site_a, klass, content)
    after = table_snapshot()
    after.pop("enrollment.ImportBatch")
    before.pop("enrollment.ImportBatch")
    assert after == before


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
    from django.utils import translation

    with translation.override("vi"), pytest.raises(UploadRefused, match=message):
        read(content)


def test_zip_bomb_is_refused_fast_from_the_size_table():
    content = zip_bomb(200)
    assert len(content) < 1 * MB
    started = time.monotonic()
    with pytest.raises(UploadRefused):
        read(content)
    assert time.monotonic() - started < 1


def test_xml_entity_expansion_is_refused():
    import openpyxl as library

    assert library.DEFUSEDXML is True
    started = time.monotonic()
    with pytest.raises(UploadRefused):
        read(entity_bomb())
    assert time.monotonic() - started < 1


def test_row_limit_and_size_limit():
    rows = [person(i, f"Nguyễn Văn {word(i)}") for i in range(60)]
    with pytest.raises(UploadRefused, match="50"):
        read(workbook(rows), max_rows=50)
    with pytest.raises(UploadRefused, match="MB"):
        check_upload(b"PK" + b"0" * (5 * MB), max_bytes=5 * MB)


def test_five_thousand_rows_import(site_a, klass):
    rows = [
        person(
            i,
            f"Nguyễn Văn {word(i)}",
            f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 45}",
            "Nam",
        )
        for i in range(5000)
    ]
    TrainingClass = type(klass)
    TrainingClass.objects.filter(pk=klass.pk).update(capacity=None)
    klass.refresh_from_db()
    result = confirm(site_a, klass, workbook(rows))
    assert result.created == 5000
    assert Enrollment.objects.filter(training_class=klass).count() == 5000
    batch = ImportBatch.objects.get()
    assert batch.user == site_a.staff and batch.confirmed_at is not None


def test_export_then_import_changes_nothing(site_a, klass):
    hostile = ['=HYPERLINK("http://x")', "+84 912 345 678", "-2+3", "@SUM(A1)"]
    for index, note in enumerate(hostile):
        make_trainee(
            site_a.center,
            full_name=f"Nguyễn Văn {word(index)}",
            notes=note,
            citizen_id=f"00109500000{index}",
        )
    for trainee in Trainee.objects.all():
        Enrollment.objects.create(training_class=klass, trainee=trainee)
    _, _, content = RosterExporter(klass, by=site_a.staff).export()
    exported = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for row in exported.active.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    parsed = parse(content, klass)
    assert parsed.error_count == 0, [r.errors for r in parsed.rows]
    assert {r.kind for r in parsed.rows} == {"enrolled"}
    before = table_snapshot()
    confirm(site_a, klass, content)
    after, before = table_snapshot(), before
    after.pop("enrollment.ImportBatch"), before.pop("enrollment.ImportBatch")
    assert after == before


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


def test_command_line_import_previews_then_commits(site_a, klass, tmp_path):
    from django.core.management import CommandError, call_command

    site_a.staff.is_superuser = True
    site_a.staff.save()
    good = tmp_path / "ds.xlsx"
    good.write_bytes(workbook([person(1, "Nguyễn Văn An"), person(2, "Trần Thị Bình")]))
    out = io.StringIO()
    call_command("import_trainees", str(klass.pk), str(good), stdout=out)
    assert "new 2" in out.getvalue() and "Dry run" in out.getvalue()
    assert Enrollment.objects.count() == 0
    call_command("import_trainees", str(klass.pk), str(good), "--commit", stdout=out)
    assert Enrollment.objects.count() == 2
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([person(1, "Lê Văn Ba", "31/02/1990")]))
    with pytest.raises(CommandError, match="1 rows have errors"):
        call_command("import_trainees", str(klass.pk), str(bad), "--commit", stdout=out)
    assert Enrollment.objects.count() == 2


def test_a_failure_during_confirm_leaves_nothing(site_a, klass, monkeypatch):
    """R23: the people are inserted, then the enrolments fail: nothing stays."""
    from trainingcenter.bulk import insert_rows

    rows = [person(i, f"Nguyễn Văn {word(i)}") for i in range(900)]
    calls = []

    def fail_second_time(model, rows, **kwargs):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return insert_rows(model, rows, **kwargs)

    monkeypatch.setattr(imports, "insert_rows", fail_second_time)
    before = table_snapshot()
    with pytest.raises(RuntimeError):
        confirm(site_a, klass, workbook(rows))
    assert calls == [900, 900]
    after = table_snapshot()
    after.pop("enrollment.ImportBatch"), before.pop("enrollment.ImportBatch")
    assert after == before


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
    """R21: a sheet declaring A1:D10 still has all its rows counted."""
    from tests.enrollment.excel import _replace

    rows = [person(i, f"Nguyễn Văn {word(i)}") for i in range(80)]
    content = workbook(rows)
    import zipfile

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
    import zipfile

    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\0" * 100)
    with pytest.raises(UploadRefused, match="macro"):
        read(buffer.getvalue())
