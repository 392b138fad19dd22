"""Hostile workbooks, built for real: cells far outside a list, previews too
large to keep, macros under other names, DTDs in any part of the package.

Each file is made with openpyxl as a person would make it, then edited inside
its ZIP where openpyxl cannot write the hostile part itself.
"""

import io
import json
import os
import random
import re
import subprocess
import sys
import textwrap
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation
from openpyxl.styles import Border, PatternFill, Side

from tests.enrollment.excel import person, with_shared_strings, workbook
from trainingcenter import uploads
from trainingcenter.uploads import UploadRefused, check_upload, read_first_sheet

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]
SHEET = "xl/worksheets/sheet1.xml"


def read(content: bytes, max_rows: int = 5000):
    """As the trainee-list import reads: checks, then the first sheet."""
    check_upload(content, max_bytes=5 * MB)
    return read_first_sheet(content, max_rows=max_rows + 10, reported_limit=max_rows)


def refusal(content: bytes, **limits) -> str:
    """The Vietnamese message the file is refused with."""
    with translation.override("vi"), pytest.raises(UploadRefused) as refused:
        read(content, **limits)
    return str(refused.value)


def short_list(*cells) -> bytes:
    """A three-person list, plus `(row, column, value)` cells written anywhere."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH HỌC VIÊN"])
    sheet.append(["STT", "Họ và tên", "Ngày sinh"])
    for number, name in enumerate(["Nguyễn Văn An", "Lê Thị Bình", "Trần Văn Cường"]):
        sheet.append([number + 1, name, "17/05/1995"])
    for row, column, value in cells:
        sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def part(content: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name)


def replace_parts(content: bytes, parts: dict[str, bytes]) -> bytes:
    """The same package with some parts replaced or added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename not in parts:
                target.writestr(item.filename, source.read(item.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def moved_to_row(content: bytes, old: int, new: int) -> bytes:
    """The cells of row `old` moved to row `new`, which openpyxl cannot write."""
    sheet = part(content, SHEET).decode()
    sheet = sheet.replace(f'<row r="{old}"', f'<row r="{new}"')
    sheet = re.sub(rf'r="([A-Z]+){old}"', rf'r="\g<1>{new}"', sheet)
    return replace_parts(content, {SHEET: sheet.encode()})


# Cells far outside the list


def far_cell_files() -> dict[str, bytes]:
    at_last_row = short_list((1_048_576, 1, "x"))
    return {
        "row 20.000.000": moved_to_row(at_last_row, 1_048_576, 20_000_000),
        "row 1.048.576": at_last_row,
        "row 1.048.576, column XFD": short_list((1_048_576, 16_384, "x")),
    }


def test_a_value_far_below_the_list_is_refused_naming_its_cell():
    content = far_cell_files()["row 1.048.576"]
    assert len(content) < 6_000
    message = refusal(content)
    assert "A1048576" in message and "1.048.576" in message
    assert "5.000" in message and "xóa" in message


def test_a_value_far_to_the_right_is_refused_naming_its_cell():
    message = refusal(short_list((4, 101, "ghi chú lạc chỗ")))
    assert "CW4" in message and "101" in message and "100" in message


def test_a_row_beyond_excel_s_grid_is_refused_as_damaged():
    content = far_cell_files()["row 20.000.000"]
    assert len(content) < 6_000
    assert b'<row r="20000000"' in part(content, SHEET)
    assert "bị hỏng" in refusal(content)


@pytest.mark.parametrize("name", list(far_cell_files()))
def test_far_cells_are_refused_at_once_and_in_little_memory(name):
    """Refused while the sheet's XML streams: no row is made for the gap.

    The goal is well under a second; the bound here is loose so that a loaded
    machine does not fail it.
    """
    content = far_cell_files()[name]
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(UploadRefused):
            read(content)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 5
    assert peak < 20 * MB


def test_far_cells_peak_memory_of_a_whole_process(tmp_path):
    """The same refusals in a fresh process: its peak resident memory, Django
    and openpyxl included, stays far from what the gap would take."""
    for name, content in far_cell_files().items():
        (tmp_path / f"{name}.xlsx").write_bytes(content)
    script = textwrap.dedent(
        """
        import re, resource, sys, time
        from pathlib import Path
        import django
        django.setup()
        from trainingcenter.uploads import UploadRefused, check_upload, read_first_sheet
        for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
            content = path.read_bytes()
            started = time.monotonic()
            try:
                check_upload(content, max_bytes=5 << 20)
                read_first_sheet(content, max_rows=5010, reported_limit=5000)
            except UploadRefused:
                pass
            else:
                raise SystemExit(f"{path.name} was accepted")
            print(f"{path.stem}: {time.monotonic() - started:.3f} s")
        # This process's own high-water mark: ru_maxrss would carry the
        # parent's over fork and exec.
        status = Path("/proc/self/status")
        if status.exists():
            peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read_text())[1])
        else:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"peak {peak // 1024} MB")
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    print(done.stdout)
    assert int(re.search(r"peak (\d+) MB", done.stdout)[1]) < 150


def test_styled_empty_cells_far_away_are_neither_refused_nor_kept():
    """Borders drawn down to row 30.000 and a fill in the last cell of the grid
    hold no value: the list is read, up to its last value only."""
    book = openpyxl.load_workbook(io.BytesIO(short_list()))
    sheet = book.active
    thin = Side(style="thin")
    for row in range(6, 30_001, 100):
        sheet.cell(row=row, column=3).border = Border(bottom=thin)
    sheet.cell(row=1_048_576, column=16_384).fill = PatternFill("solid", "FFFF00")
    out = io.BytesIO()
    book.save(out)
    sheet = read(out.getvalue())
    assert len(sheet.rows) == 5
    assert {len(row) for row in sheet.rows} == {3}
    assert sheet.rows[4] == (3, "Trần Văn Cường", "17/05/1995")


def test_a_sheet_of_styled_empty_rows_is_read_in_little_memory():
    """Formatting carried down 150.000 rows writes a row element for each:
    they hold no value, so nothing is kept of them while the one pass goes by
    (kept, their elements alone would take about 12 MB)."""
    content = short_list()
    styled = "".join(
        f'<row r="{number}" s="1" customFormat="1" ht="15"/>'
        for number in range(6, 150_006)
    )
    sheet_xml = part(content, SHEET).replace(
        b"</sheetData>", styled.encode() + b"</sheetData>"
    )
    content = replace_parts(content, {SHEET: sheet_xml})
    tracemalloc.start()
    try:
        sheet = read(content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(sheet.rows) == 5 and sheet.rows[4][1] == "Trần Văn Cường"
    assert peak < 6 * MB


def test_rows_the_sheet_gives_out_of_order_are_kept_in_their_place():
    """Excel writes rows in order; a generator that does not must not lose one."""
    content = short_list((9, 2, "Phạm Thị Dung"))
    sheet_xml = part(content, SHEET).decode()
    last = re.search(r'<row r="9".*?</row>', sheet_xml)[0]
    shuffled = sheet_xml.replace(last, "").replace('<row r="3"', last + '<row r="3"')
    assert shuffled.index('r="9"') < shuffled.index('r="3"')
    sheet = read(replace_parts(content, {SHEET: shuffled.encode()}))
    assert len(sheet.rows) == 9
    assert sheet.rows[8][1] == "Phạm Thị Dung" and sheet.rows[2][1] == "Nguyễn Văn An"


def test_a_lying_dimension_does_not_hide_or_cut_rows():
    content = short_list((9, 2, "Phạm Thị Dung"))
    sheet_xml = part(content, SHEET)
    lying = re.sub(
        rb'<dimension ref="[^"]+"\s*/>', b'<dimension ref="A1:XFD20000000"/>', sheet_xml
    )
    assert lying != sheet_xml
    sheet = read(replace_parts(content, {SHEET: lying}))
    assert len(sheet.rows) == 9 and sheet.rows[8][1] == "Phạm Thị Dung"


def test_the_row_reach_is_twice_the_row_limit():
    """Blank rows and the signature block below a list are room enough; a
    value further down is refused."""
    assert read(short_list((140, 2, "Người lập danh sách")), max_rows=60).rows[-1][1]
    assert "dòng 141" in refusal(short_list((141, 2, "ký tên")), max_rows=60)


def test_formulas_are_marked_from_the_streamed_sheet():
    content = short_list((3, 4, "=B3&C3"), (5, 4, "=LEN(B5)"))
    sheet = read(content)
    assert sheet.formulas == {(3, 4), (5, 4)}
    assert sheet.rows[2][3] is None  # openpyxl stores no cached value


@pytest.mark.parametrize(
    "reference", ["A1.5", "1A", "AAAA1", "A12345678901", "A2000000", "$A$1", "a1"]
)
def test_a_malformed_cell_reference_is_damaged(reference):
    content = short_list()
    sheet = part(content, SHEET).replace(b'r="B3"', f'r="{reference}"'.encode())
    assert "bị hỏng" in refusal(replace_parts(content, {SHEET: sheet}))


# The preview kept for the next request


def test_a_cell_over_the_character_limit_is_refused_naming_it():
    long_note = "Ghi chú rất dài. " * 150
    assert len(long_note) > uploads.MAX_CELL_CHARS
    message = refusal(short_list((4, 4, long_note)))
    assert "D4" in message and "2.000" in message and "ký tự" in message


def notes(length: int) -> list[str]:
    """Forty long notes of words that do not compress away."""
    words = random.Random(20).choices(
        ["học", "viên", "đơn", "vị", "chi", "bộ", "đảng", "lớp", "ngày", "xã"], k=9_000
    )
    text = " ".join(words)
    return [f"{i} {text[i * 7 :]}"[:length] for i in range(40)]


def test_too_much_text_in_all_is_refused():
    """Near-limit notes in every row of a list of ordinary length add up to more
    than is kept for the preview; shared strings keep the file small."""
    long = notes(uploads.MAX_CELL_CHARS - 10)
    rows = [person(i, f"Nguyễn Văn {i}", notes=long[i % 40]) for i in range(4_500)]
    content = with_shared_strings(workbook(rows))
    assert len(content) < 1 * MB
    assert "quá nhiều chữ" in refusal(content)


def test_what_is_kept_stays_within_the_bound():
    long = notes(1_500)
    rows = [person(i, f"Nguyễn Văn {i}", notes=long[i % 40]) for i in range(4_000)]
    sheet = read(with_shared_strings(workbook(rows)))
    stored = json.dumps(sheet.to_json(), ensure_ascii=False)
    assert 6_000_000 < len(stored) <= uploads.MAX_KEPT_CHARS


# Macros, whatever the part is called


CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"


def declared(content: bytes, override: str) -> bytes:
    types = (
        part(content, CONTENT_TYPES).decode().replace("</Types>", override + "</Types>")
    )
    return types.encode()


def macro_files() -> dict[str, bytes]:
    plain = workbook([person(1, "Nguyễn Văn An")])
    types = part(plain, CONTENT_TYPES).decode()
    rels = part(plain, WORKBOOK_RELS).decode()
    vba = "application/vnd.ms-office.vbaProject"
    return {
        "a VBA project named like data": replace_parts(
            plain,
            {
                CONTENT_TYPES: declared(
                    plain, f'<Override PartName="/xl/data.dat" ContentType="{vba}"/>'
                ),
                "xl/data.dat": b"\xcc\x61" + b"\0" * 500,
            },
        ),
        "a VBA project by extension": replace_parts(
            plain,
            {
                CONTENT_TYPES: declared(
                    plain, f'<Default Extension="dat" ContentType="{vba}"/>'
                ),
                "xl/media/image1.dat": b"\xcc\x61" + b"\0" * 500,
            },
        ),
        "a macro-enabled workbook": replace_parts(
            plain,
            {
                CONTENT_TYPES: types.replace(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml."
                    "sheet.main+xml",
                    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).encode()
            },
        ),
        "an ActiveX control": replace_parts(
            plain,
            {
                CONTENT_TYPES: declared(
                    plain,
                    '<Override PartName="/xl/activeX/activeX1.xml" '
                    'ContentType="application/vnd.ms-office.activeX+xml"/>',
                ),
                "xl/activeX/activeX1.xml": b'<?xml version="1.0"?><ax:ocx '
                b'xmlns:ax="http://schemas.microsoft.com/office/2006/activeX"/>',
            },
        ),
        "an Excel 4 macro sheet": replace_parts(
            plain,
            {
                CONTENT_TYPES: declared(
                    plain,
                    '<Override PartName="/xl/macrosheets/sheet1.xml" ContentType='
                    '"application/vnd.ms-excel.macrosheet+xml"/>',
                ),
                "xl/macrosheets/sheet1.xml": b"<xm:macrosheet xmlns:xm="
                b'"http://schemas.microsoft.com/office/excel/2006/main"/>',
            },
        ),
        "a VBA project found by its relationship": replace_parts(
            plain,
            {
                WORKBOOK_RELS: rels.replace(
                    "</Relationships>",
                    '<Relationship Id="rIdCode" Type="http://schemas.microsoft.com/'
                    'office/2006/relationships/vbaProject" Target="code.dat"/>'
                    "</Relationships>",
                ).encode(),
                "xl/code.dat": b"\xcc\x61" + b"\0" * 500,
            },
        ),
    }


@pytest.mark.parametrize("name", list(macro_files()))
def test_macros_are_refused_by_declared_type_whatever_the_name(name):
    content = macro_files()[name]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert not any("vbaProject" in entry for entry in archive.namelist())
    assert "macro" in refusal(content)


def test_the_macro_check_does_not_refuse_a_plain_list():
    assert read(workbook([person(1, "Nguyễn Văn An")])).rows


# DTDs and entities, in any part


def with_doctype(xml: bytes, doctype: str) -> bytes:
    text = xml.decode("utf-8")
    if text.startswith("<?xml"):
        end = text.index("?>") + 2
        return (text[:end] + doctype + text[end:]).encode()
    return (doctype + text).encode()


DOCTYPES = {
    "a bare DTD": "<!DOCTYPE x>",
    "an internal entity": '<!DOCTYPE x [<!ENTITY name "Nguyễn Văn An">]>',
    "an external entity": '<!DOCTYPE x [<!ENTITY leak SYSTEM "file:///etc/passwd">]>',
    "a parameter entity": '<!DOCTYPE x [<!ENTITY % remote SYSTEM "http://a.b/c">]>',
    "an external DTD": '<!DOCTYPE x SYSTEM "http://a.b/c.dtd">',
}
PARTS = [
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "docProps/core.xml",
    SHEET,
]


@pytest.mark.parametrize("name", PARTS)
@pytest.mark.parametrize("kind", list(DOCTYPES))
def test_a_dtd_in_any_part_is_refused_as_unsafe(name, kind):
    plain = workbook([person(1, "Nguyễn Văn An")])
    content = replace_parts(
        plain, {name: with_doctype(part(plain, name), DOCTYPES[kind])}
    )
    message = refusal(content)
    assert "không an toàn" in message and "bị hỏng" not in message


def test_a_dtd_is_refused_in_utf16_and_in_parts_not_named_xml():
    plain = workbook([person(1, "Nguyễn Văn An")])
    core = part(plain, "docProps/core.xml").decode()
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x>' + core
    assert "không an toàn" in refusal(
        replace_parts(plain, {"docProps/core.xml": utf16.encode("utf-16")})
    )
    custom = b'<?xml version="1.0"?><!DOCTYPE item [<!ENTITY a "b">]><item>&a;</item>'
    assert "không an toàn" in refusal(
        replace_parts(plain, {"customXml/item1.dat": custom})
    )


def test_the_entity_bomb_is_refused_as_unsafe():
    from tests.enrollment.excel import entity_bomb

    started = time.monotonic()
    assert "không an toàn" in refusal(entity_bomb())
    assert time.monotonic() - started < 5


def test_a_truncated_part_is_damaged_not_unsafe():
    plain = workbook([person(1, "Nguyễn Văn An")])
    workbook_xml = part(plain, "xl/workbook.xml")
    message = refusal(replace_parts(plain, {"xl/workbook.xml": workbook_xml[:60]}))
    assert "bị hỏng" in message


def test_parts_that_are_not_xml_are_left_alone():
    """An image or printer settings is no XML; only XML parts are scanned."""
    plain = workbook([person(1, "Nguyễn Văn An")])
    png = bytes.fromhex("89504E470D0A1A0A") + os.urandom(2_000)
    assert read(replace_parts(plain, {"xl/media/image1.png": png})).rows
