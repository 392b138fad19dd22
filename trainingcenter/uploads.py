"""Reading an uploaded Excel workbook safely: the one gate every upload passes.

The file is checked as a ZIP (size table, compression ratio, entries, parts)
before openpyxl opens anything; openpyxl then reads it read-only with cached
values only (formulas are never evaluated), dimensions reset, and rows counted
as they are read. Every refusal is an `UploadRefused` with a Vietnamese
message. Writing workbooks is `trainingcenter.xlsx`.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # legacy .xls and encrypted workbooks
MAX_ENTRIES = 100
MAX_TOTAL_UNCOMPRESSED = 50 * 1024 * 1024
MAX_SHEET_UNCOMPRESSED = 20 * 1024 * 1024
MAX_RATIO = 100


class UploadRefused(Exception):
    """The file is not accepted; the message says why, in Vietnamese."""


@dataclass
class Sheet:
    """The cells of the first worksheet, as plain values, with formula cells marked."""

    rows: list[tuple] = field(default_factory=list)
    # (row number, column number) of cells holding a formula; values are cached ones.
    formulas: set[tuple[int, int]] = field(default_factory=set)

    def to_json(self) -> dict:
        """A JSON-safe copy (dates tagged), so a later request needs no re-parse."""
        return {
            "rows": [[_encode(value) for value in row] for row in self.rows],
            "formulas": sorted(self.formulas),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Sheet":
        return cls(
            rows=[
                tuple(_decode(value) for value in row) for row in data.get("rows", [])
            ],
            formulas={tuple(cell) for cell in data.get("formulas", [])},
        )


def _encode(value):
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.time):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _decode(value):
    if isinstance(value, dict):
        if "datetime" in value:
            return datetime.datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return datetime.date.fromisoformat(value["date"])
    return value


def check_upload(content: bytes, *, max_bytes: int) -> None:
    """Refuse what is not a plain, reasonably sized xlsx, before any XML parsing."""
    if len(content) > max_bytes:
        raise UploadRefused(
            _("The file is larger than %(size)s MB.")
            % {"size": max_bytes // (1024 * 1024)}
        )
    if content.startswith(CFB_MAGIC):
        raise UploadRefused(
            _(
                "The file is password-protected or in the old .xls format. Remove the "
                "password or save it as an Excel workbook (.xlsx) and upload it again."
            )
        )
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise UploadRefused(
            _(
                "This is not an Excel workbook (.xlsx). "
                "Save the list as .xlsx and try again."
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            total = sum(entry.file_size for entry in entries)
            packed = sum(entry.compress_size for entry in entries) or 1
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRefused(_("The workbook is damaged and cannot be read.")) from None
    if (
        len(entries) > MAX_ENTRIES
        or total > MAX_TOTAL_UNCOMPRESSED
        or total / packed > MAX_RATIO
        or any(
            entry.filename.startswith("xl/worksheets/")
            and entry.file_size > MAX_SHEET_UNCOMPRESSED
            for entry in entries
        )
    ):
        raise UploadRefused(
            _(
                "The workbook unpacks to far more data than a list of trainees; "
                "it was refused."
            )
        )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRefused(
            _(
                "This is not an Excel workbook (.xlsx). "
                "Save the list as .xlsx and try again."
            )
        )
    if any(name.endswith("vbaProject.bin") for name in names):
        raise UploadRefused(_("Workbooks with macros are not accepted."))


def read_first_sheet(
    content: bytes, *, max_rows: int, reported_limit: int | None = None
) -> Sheet:
    """The first worksheet's values, at most `max_rows` non-empty rows.

    Call `check_upload` first. Cached values are read (data_only); a second pass
    marks which cells hold formulas, so that a formula without a cached value is
    reported, not read as a blank.
    """
    from defusedxml.common import DefusedXmlException
    from openpyxl.utils.exceptions import InvalidFileException

    sheet = Sheet()
    try:
        sheet.rows = _values(content, max_rows, reported_limit or max_rows)
        if _has_formulas(content):
            sheet.formulas = _formula_cells(content, len(sheet.rows))
    except UploadRefused:
        raise
    except DefusedXmlException:
        raise UploadRefused(
            _("The workbook contains unsafe XML and was refused.")
        ) from None
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        InvalidFileException,
        OSError,
        SyntaxError,  # xml.etree.ElementTree.ParseError
    ):
        raise UploadRefused(_("The workbook is damaged and cannot be read.")) from None
    return sheet


def _values(content: bytes, max_rows: int, reported_limit: int) -> list[tuple]:
    """Every row's cached values; over `max_rows` non-empty rows refuse the file."""
    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(content), read_only=True, data_only=True, keep_links=False
    )
    worksheet = book.worksheets[0]
    worksheet.reset_dimensions()  # the declared size may lie
    rows, counted = [], 0
    for row in worksheet.iter_rows(values_only=True):
        rows.append(row)
        if any(cell not in (None, "") for cell in row):
            counted += 1
            if counted > max_rows:
                raise UploadRefused(
                    _(
                        "The file has more than %(limit)s rows; "
                        "split it and upload the parts."
                    )
                    % {"limit": f"{reported_limit:,}".replace(",", ".")}
                )
    book.close()
    return rows


def _formula_cells(content: bytes, row_count: int) -> set[tuple[int, int]]:
    """(row number, column number) of the cells holding a formula."""
    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(content), read_only=True, data_only=False, keep_links=False
    )
    worksheet = book.worksheets[0]
    worksheet.reset_dimensions()
    found = set()
    for row_number, row in enumerate(worksheet.iter_rows(max_row=row_count), start=1):
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                found.add((row_number, cell.column))
    book.close()
    return found


def _has_formulas(content: bytes) -> bool:
    """Whether any worksheet holds a formula element; most lists hold none.

    Sizes were checked by `check_upload`, so reading the parts is bounded.
    """
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                data = archive.read(name)
                if b"<f>" in data or b"<f " in data or b":f>" in data or b":f " in data:
                    return True
    return False
