"""Workbooks built by the tests: real lists, messy lists and hostile files."""

import io
import zipfile

import openpyxl

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Đơn vị", "Chức vụ",
           "Tình trạng đảng viên", "Ngày vào Đảng", "Số CCCD", "Ghi chú"]  # fmt: skip


def workbook(
    rows,
    *,
    headers=HEADERS,
    title_rows=("ĐẢNG ỦY PHƯỜNG", "DANH SÁCH TRÍCH NGANG", None),
):
    book = openpyxl.Workbook()
    sheet = book.active
    for line in title_rows:
        sheet.append([line])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = (
                    "s"  # text typed with a leading =, as a user's file has
                )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def person(number, name, birth="17/05/1995", gender="Nữ", unit="", **extra):
    return [
        number,
        name,
        birth,
        gender,
        extra.get("ethnicity", "Kinh"),
        unit,
        extra.get("position", ""),
        extra.get("party", "Quần chúng"),
        extra.get("admission"),
        extra.get("citizen_id"),
        extra.get("notes"),
    ]


def zip_bomb(megabytes=200) -> bytes:
    """A small valid-looking xlsx whose sheet unpacks to `megabytes` of spaces."""
    real = workbook([person(1, "Nguyễn Văn A")])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(real)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<sheetData>", b"<sheetData>" + b" " * (megabytes << 20), 1
                )
            target.writestr(item.filename, data)
    return out.getvalue()


def entity_bomb() -> bytes:
    """An xlsx whose sheet defines nested entities (billion laughs, H3)."""
    real = workbook([person(1, "Nguyễn Văn A")])
    entities = "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">'
        + entities
        + "]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    return _replace(real, "xl/worksheets/sheet1.xml", sheet)


def _replace(content: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(
                item.filename,
                data if item.filename == name else source.read(item.filename),
            )
    return out.getvalue()


def with_shared_strings(content: bytes) -> bytes:
    """The same workbook with its text in a shared-strings table, as Excel and
    LibreOffice write it (openpyxl writes each text inline)."""
    import re

    strings: dict[str, int] = {}

    def shared(match):
        text = match.group(2)
        index = strings.setdefault(text, len(strings))
        return f'<c r="{match.group(1)}" t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(io.BytesIO(content)) as source:
        sheet = source.read("xl/worksheets/sheet1.xml").decode()
        sheet = re.sub(
            r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>',
            shared,
            sheet,
        )
        sheet = re.sub(r'<c r="([A-Z]+\d+)" t="inlineStr" />', r'<c r="\1" />', sheet)
        table = "".join(f"<si><t>{text}</t></si>" for text in strings)
        sst = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{table}</sst>'
        )
        types = (
            source.read("[Content_Types].xml")
            .decode()
            .replace(
                "</Types>",
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        )
        rels = (
            source.read("xl/_rels/workbook.xml.rels")
            .decode()
            .replace(
                "</Relationships>",
                '<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/sharedStrings" '
                'Target="sharedStrings.xml"/></Relationships>',
            )
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = sheet.encode()
                elif item.filename == "[Content_Types].xml":
                    data = types.encode()
                elif item.filename == "xl/_rels/workbook.xml.rels":
                    data = rels.encode()
                target.writestr(item.filename, data)
            target.writestr("xl/sharedStrings.xml", sst.encode())
    return out.getvalue()
