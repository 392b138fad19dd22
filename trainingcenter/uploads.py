"""Reading an uploaded Excel workbook safely: the one gate every upload passes.

`check_upload` looks at the file as a ZIP package before openpyxl opens
anything: the size table, the compression ratio and the number of parts; then
it streams the XML parts themselves with expat, refusing any DTD or entity
declaration and any macro or ActiveX part the package declares.
`read_first_sheet` then streams the first worksheet once with openpyxl's
reader (read-only, cached values only: formulas are never evaluated),
refusing a value that lies too far down or to the right where it is met, and
keeping cells that hold a value only, so that styled empty cells far out are
never turned into rows. What is kept of the sheet is bounded too, since it is
stored for the preview. Every refusal is an `UploadRefused` with a
Vietnamese message. Writing workbooks is `trainingcenter.xlsx`.
"""

import datetime
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from xml.parsers import expat

from django.utils.translation import gettext as _

CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # legacy .xls and encrypted workbooks
MAX_ENTRIES = 100
MAX_TOTAL_UNCOMPRESSED = 50 * 1024 * 1024
MAX_PART_UNCOMPRESSED = 20 * 1024 * 1024
MAX_RATIO = 100
# How far a list may reach: a value to the right of MAX_COLUMNS, or further
# down than twice the row limit (room for blank rows and the signature block),
# refuses the file before any row is held in memory.
MAX_COLUMNS = 100
ROW_REACH = 2
# Excel's own grid; a reference beyond it is not something Excel wrote.
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
# What is kept of a sheet is stored as JSON for the preview: a cell holds a
# name, a date or a short note, and the whole is a few megabytes at most.
MAX_CELL_CHARS = 2_000
MAX_KEPT_CHARS = 8_000_000
KEPT_EMPTY, KEPT_OTHER, KEPT_TEXT = 6, 40, 4  # JSON characters per cell, about
# Content and relationship types of VBA projects, Excel 4 macro sheets,
# macro-enabled workbooks and ActiveX controls, compared in lower case.
ACTIVE_CONTENT = ("vba", "macro", "activex")
XML_CHUNK = 64 * 1024


class UploadRefused(Exception):
    """The file is not accepted; the message says why, in Vietnamese."""


@dataclass
class Sheet:
    """The cells of the first worksheet, as plain values, with formula cells marked."""

    rows: list[tuple] = field(default_factory=list)
    # (row number, column number) of cells holding a formula; values are cached ones.
    formulas: set[tuple[int, int]] = field(default_factory=set)
    # The names of the workbook's other worksheets, which are not read.
    other_sheets: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """A JSON-safe copy (dates tagged), so a later request needs no re-parse.

        Its size was bounded when the sheet was read (`MAX_KEPT_CHARS`).
        """
        return {
            "rows": [[_encode(value) for value in row] for row in self.rows],
            "formulas": sorted(self.formulas),
            "other_sheets": self.other_sheets,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Sheet":
        return cls(
            rows=[
                tuple(_decode(value) for value in row) for row in data.get("rows", [])
            ],
            formulas={tuple(cell) for cell in data.get("formulas", [])},
            other_sheets=list(data.get("other_sheets", [])),
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


def _damaged() -> UploadRefused:
    return UploadRefused(_("The workbook is damaged and cannot be read."))


def _unsafe() -> UploadRefused:
    return UploadRefused(
        _(
            "The file is unsafe: it declares a DTD or XML entities, which a workbook "
            "saved by Excel never does. It was refused."
        )
    )


def _not_xlsx() -> UploadRefused:
    return UploadRefused(
        _(
            "This is not an Excel workbook (.xlsx). "
            "Save the list as .xlsx and try again."
        )
    )


def check_upload(content: bytes, *, max_bytes: int) -> None:
    """Refuse what is not a plain, reasonably sized xlsx, before openpyxl reads it."""
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
        raise _not_xlsx()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            _check_sizes(entries)
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise _not_xlsx()
            if any(name.endswith("vbaProject.bin") for name in names):
                raise _macros()
            for entry in entries:
                _check_part(archive, entry)
    except UploadRefused:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        ValueError,
        OSError,
        RuntimeError,  # an encrypted entry
        NotImplementedError,  # a compression method zipfile does not know
    ):
        raise _damaged() from None


def _check_sizes(entries: list[zipfile.ZipInfo]) -> None:
    """The size table is all that is read here; parts are decompressed later and
    never beyond the sizes it declares."""
    total = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if (
        len(entries) > MAX_ENTRIES
        or total > MAX_TOTAL_UNCOMPRESSED
        or total / packed > MAX_RATIO
        or any(entry.file_size > MAX_PART_UNCOMPRESSED for entry in entries)
    ):
        raise UploadRefused(
            _(
                "The workbook unpacks to far more data than a list of trainees; "
                "it was refused."
            )
        )


def _macros() -> UploadRefused:
    return UploadRefused(
        _(
            "Workbooks with macros or ActiveX controls are not accepted. Save the "
            "list as an Excel Workbook (.xlsx) and upload it again."
        )
    )


def _check_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Refuse a DTD in any XML part, and macros declared by type, whatever the name.

    The content types and the relationships are read in full; of any other part
    only the prolog, where a DTD has to be. Parts named .xml or .rels must be
    XML that expat reads; other parts (images, VML drawings, printer settings)
    that are not XML are left to openpyxl, which reads only what it knows.
    """
    name = entry.filename
    if entry.is_dir():
        return
    if name == "[Content_Types].xml":
        declared = "ContentType"
    elif name.endswith(".rels"):
        declared = "Type"
    else:
        with archive.open(entry) as stream:
            _scan_xml(stream, _stop_at_root, strict=name.endswith(".xml"))
        return

    def refuse_active_content(_name, attributes):
        kind = attributes.get(declared, "").lower()
        if any(marker in kind for marker in ACTIVE_CONTENT):
            raise _macros()

    with archive.open(entry) as stream:
        _scan_xml(stream, refuse_active_content)


class _RootReached(Exception):
    """The prolog is over: no DTD can follow."""


def _stop_at_root(_name, _attributes):
    raise _RootReached


def _refuse_declaration(*_args):
    raise _unsafe()


def _scan_xml(stream, on_start, *, strict: bool = True) -> None:
    """Stream XML through expat, calling `on_start(name, attributes)` per element
    (names are "namespace local"); a DTD or entity declaration refuses the file
    at once, before anything it declares is expanded."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_declaration
    parser.EntityDeclHandler = _refuse_declaration
    parser.StartElementHandler = on_start
    try:
        while chunk := stream.read(XML_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _RootReached:
        pass
    except expat.ExpatError:
        if strict:
            raise _damaged() from None


def read_first_sheet(
    content: bytes, *, max_rows: int, reported_limit: int | None = None
) -> Sheet:
    """The first worksheet's values, at most `max_rows` non-empty rows.

    Call `check_upload` first. The sheet's XML is streamed once, with
    openpyxl's reader (read-only, cached values: formulas are never
    evaluated). A value further down than `ROW_REACH` times the limit, or to
    the right of `MAX_COLUMNS`, refuses the file where it is met, as do too
    many rows, a cell too long or too much text to keep; a cell holding a
    formula is marked, so that one without a cached value is reported, not
    read as a blank. Cells without a value (styled empty cells anywhere on the
    grid) are passed over: the rows kept reach the last value, no further.
    """
    from defusedxml.common import DefusedXmlException
    from openpyxl.utils.exceptions import CellCoordinatesException, InvalidFileException

    from trainingcenter.sheets import open_checked_workbook, sheet_cells

    values = _SheetValues(max_rows=max_rows, reported_limit=reported_limit or max_rows)
    try:
        book = open_checked_workbook(content)
        try:
            others = [
                str(sheet.title)[:100]
                for sheet in book.worksheets[1:50]
                if sheet.sheet_state == "visible" and _holds_values(sheet)
            ]
            for number, cells in sheet_cells(book.worksheets[0]):
                values.add(number, cells)
        finally:
            book.close()
    except UploadRefused:
        raise
    except DefusedXmlException:
        raise _unsafe() from None
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        InvalidFileException,
        CellCoordinatesException,
        OSError,
        RuntimeError,
        NotImplementedError,
        SyntaxError,  # xml.etree.ElementTree.ParseError
    ):
        raise _damaged() from None
    return Sheet(rows=values.rows(), formulas=values.formulas, other_sheets=others)


class _SheetValues:
    """The values of a worksheet, added row by row as its XML streams, within
    the bounds of a list: kept sparse (row number -> column -> value) until
    the last value is known, then laid out as rows of equal width."""

    def __init__(self, *, max_rows: int, reported_limit: int):
        self.max_rows, self.reported_limit = max_rows, reported_limit
        self.max_row = ROW_REACH * max_rows
        self.cells: dict[int, dict[int, object]] = {}
        self.formulas: set[tuple[int, int]] = set()
        self.last_row = self.columns = 0  # the last row and column holding a value
        self.counted = 0  # rows with a value other than empty text
        self.kept = self.values = 0  # JSON characters of the values, and how many

    def add(self, number: int, cells: list[dict]) -> None:
        if not 1 <= number <= EXCEL_ROWS:
            raise _damaged()
        held, counts = {}, False
        for cell in cells:
            column, value = cell["column"], cell["value"]
            if column > EXCEL_COLUMNS:
                raise _damaged()
            if value is None and "formula" not in cell:
                continue
            self._check_place(number, column)
            held[column] = value
            if "formula" in cell:
                self.formulas.add((number, column))
            if value is None:
                continue
            self.values += 1
            if isinstance(value, str):
                if len(value) > MAX_CELL_CHARS:
                    _refuse_long_cell(number, column, value)
                self.kept += KEPT_TEXT + len(value)
                counts = counts or bool(value)
            else:
                self.kept += KEPT_OTHER
                counts = True
        if not held:
            return
        self.cells.setdefault(number, {}).update(held)
        self.last_row = max(self.last_row, number)
        self.columns = max(self.columns, max(held))
        if counts:
            self.counted += 1
            if self.counted > self.max_rows:
                raise UploadRefused(
                    _(
                        "The file has more than %(limit)s rows; "
                        "split it and upload the parts."
                    )
                    % {"limit": _thousands(self.reported_limit)}
                )
        self._check_kept()

    def _check_place(self, row: int, column: int) -> None:
        if row > self.max_row:
            raise UploadRefused(
                _(
                    "Cell %(cell)s holds a value on row %(row)s, far below a list of "
                    "at most %(limit)s rows. Delete everything below the list and "
                    "upload it again."
                )
                % {
                    "cell": _cell_name(row, column),
                    "row": _thousands(row),
                    "limit": _thousands(self.reported_limit),
                }
            )
        if column > MAX_COLUMNS:
            raise UploadRefused(
                _(
                    "Cell %(cell)s holds a value in column %(column)s; a list has at "
                    "most %(limit)s columns. Delete the columns to the right of the "
                    "list and upload it again."
                )
                % {
                    "cell": _cell_name(row, column),
                    "column": _thousands(column),
                    "limit": MAX_COLUMNS,
                }
            )

    def _check_kept(self) -> None:
        """What the rows so far take as JSON, empty cells included, is bounded."""
        empty = self.last_row * self.columns - self.values
        if self.kept + KEPT_EMPTY * empty > MAX_KEPT_CHARS:
            raise UploadRefused(
                _(
                    "The list holds too much text to be kept for the preview. Remove "
                    "the columns that are not needed, or split the list, and upload "
                    "it again."
                )
            )

    def rows(self) -> list[tuple]:
        if not self.cells:
            return []
        width = self.columns
        laid_out = [(None,) * width] * self.last_row
        for number, held in self.cells.items():
            row = [None] * width
            for column, value in held.items():
                row[column - 1] = value
            laid_out[number - 1] = tuple(row)
        return laid_out


def _holds_values(sheet) -> bool:
    """A worksheet with a value in its first 50 rows (Excel's empty Sheet2
    and Sheet3 have none)."""
    return any(
        value not in (None, "")
        for row in sheet.iter_rows(max_row=50, max_col=30, values_only=True)
        for value in row
    )


def _cell_name(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _refuse_long_cell(row: int, column: int, value: str):
    raise UploadRefused(
        _(
            "Cell %(cell)s holds %(length)s characters; a cell of a list holds at "
            "most %(limit)s. Shorten it and upload the file again."
        )
        % {
            "cell": _cell_name(row, column),
            "length": _thousands(len(value)),
            "limit": _thousands(MAX_CELL_CHARS),
        }
    )
