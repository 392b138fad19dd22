"""Trainee lists as a party cell makes them, for the import benchmark.

Built with openpyxl in the layout cells send: a title block with merged cells,
the header on row 7 ("Đơn vị / Chi bộ", "Ngày kết nạp Đảng"), dates written
as text (dd/mm/yyyy, some d/m/yyyy), a date of admission on every row (the
class is for new party members) and the signature block under the list. The
text then goes into a shared-strings table, as Excel and LibreOffice store it
(openpyxl itself writes each text inline; `inline=True` keeps that).
"""

import datetime
import io
import re
import zipfile

import openpyxl

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Đơn vị / Chi bộ",
           "Chức vụ", "Ngày kết nạp Đảng", "Số CCCD", "Ghi chú"]  # fmt: skip
HEADER_ROW = 7


def people(count: int, units: list[str], rng, *, citizen_prefix: str) -> list[list]:
    """`count` rows of new party members: generated names, birth dates from
    1975 to 2002 (distinct up to 5.000 rows, so every one is at least 23 when
    admitted), distinct citizen IDs, `units` in turn, admitted within the last
    year."""
    from enrollment.demo.names import random_person

    today = datetime.date.today()
    rows = []
    for i in range(count):
        name, gender, ethnicity = random_person(rng)
        birth = datetime.date(1975, 1, 1) + datetime.timedelta(days=2 * i % 10_000)
        admitted = today - datetime.timedelta(days=30 + i % 300)
        rows.append(
            [
                i + 1,
                name,
                f"{birth.day}/{birth.month}/{birth.year}"
                if i % 7 == 0
                else f"{birth:%d/%m/%Y}",
                "Nam" if gender == "male" else "Nữ",
                ethnicity,
                units[i % len(units)],
                "Đảng viên",
                f"{admitted:%d/%m/%Y}",
                f"{citizen_prefix}{i:0{12 - len(citizen_prefix)}d}",
                None,
            ]
        )
    return rows


def party_cell_list(rows: list[list], *, inline: bool = False) -> bytes:
    """The xlsx a commune party cell sends with `rows` under its header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet["A1"] = "ĐẢNG BỘ XÃ TÂN HÒA"
    sheet["F1"] = "ĐẢNG CỘNG SẢN VIỆT NAM"
    sheet["A2"] = "CHI BỘ THÔN 3"
    sheet["F2"] = "Tân Hòa, ngày 20 tháng 11 năm 2026"
    sheet["A4"] = "DANH SÁCH HỌC VIÊN"
    sheet["A5"] = "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới"
    for cells in ("A1:D1", "F1:J1", "A2:D2", "F2:J2", "A4:J4", "A5:J5"):
        sheet.merge_cells(cells)
    for column, title in enumerate(HEADERS, start=1):
        sheet.cell(HEADER_ROW, column, title)
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet.append([None, None, None, None, None, None, "Tân Hòa, ngày 20/11/2026"])
    sheet.append([None, "NGƯỜI LẬP DANH SÁCH", None, None, None, None, "T/M CHI ỦY"])
    sheet.append([None, None, None, None, None, None, "BÍ THƯ"])
    sheet.append([])
    sheet.append([None, "Lê Thị Mai", None, None, None, None, "Nguyễn Văn Dậu"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue() if inline else shared_strings(out.getvalue())


_INLINE = re.compile(
    r'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>'
)
_TYPES_END = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS_END = (
    '<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)


def shared_strings(content: bytes) -> bytes:
    """The same workbook with its text in a shared-strings table."""
    strings: dict[str, int] = {}

    def shared(match):
        index = strings.setdefault(match.group(3), len(strings))
        return f'<c r="{match.group(1)}"{match.group(2) or ""} t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(io.BytesIO(content)) as source:
        parts = {
            item.filename: source.read(item.filename) for item in source.infolist()
        }
    sheet = _INLINE.sub(shared, parts["xl/worksheets/sheet1.xml"].decode())
    table = "".join(f"<si><t>{text}</t></si>" for text in strings)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{table}</sst>'
    ).encode()
    types = parts["[Content_Types].xml"].decode().replace("</Types>", _TYPES_END)
    parts["[Content_Types].xml"] = types.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>", _RELS_END
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()
