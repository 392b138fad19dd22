"""The one Excel reader gate and the one Excel writer (STYLE.md S12; SECURITY.md 3.2).

Reading: an uploaded file is checked as a ZIP (size table, ratio, entries, parts)
before openpyxl opens anything; openpyxl then reads it read-only with cached
values only (formulas are never evaluated), dimensions reset, and rows counted
as they are read. Every refusal is an `UploadRefused` with a Vietnamese message.

Writing: write-only mode; any text that starts with = + - @ (or a tab, CR, NUL)
is stored as text, never as a formula; numbers and dates keep their types.
"""

import datetime
import io
import math
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _

CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # legacy .xls and encrypted workbooks
MAX_ENTRIES = 100
MAX_TOTAL_UNCOMPRESSED = 50 * 1024 * 1024
MAX_SHEET_UNCOMPRESSED = 20 * 1024 * 1024
MAX_RATIO = 100
RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


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
    reported, not read as a blank (SECURITY.md R22).
    """
    from defusedxml.common import DefusedXmlException
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    sheet = Sheet()
    try:
        values = load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
        worksheet = values.worksheets[0]
        worksheet.reset_dimensions()  # the declared size may lie
        counted = 0
        for row in worksheet.iter_rows(values_only=True):
            sheet.rows.append(row)
            if any(cell not in (None, "") for cell in row):
                counted += 1
                if counted > max_rows:
                    raise UploadRefused(
                        _(
                            "The file has more than %(limit)s rows; "
                            "split it and upload the parts."
                        )
                        % {"limit": f"{reported_limit or max_rows:,}".replace(",", ".")}
                    )
        values.close()
        if not _has_formulas(content):
            return sheet
        formulas = load_workbook(
            io.BytesIO(content), read_only=True, data_only=False, keep_links=False
        )
        worksheet = formulas.worksheets[0]
        worksheet.reset_dimensions()
        for row_number, row in enumerate(
            worksheet.iter_rows(max_row=len(sheet.rows)), start=1
        ):
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    sheet.formulas.add((row_number, cell.column))
        formulas.close()
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


# Writing ----------------------------------------------------------------------

DATE_FORMAT = "dd/mm/yyyy"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
# A share stored as a fraction (0.962); Excel shows "96,2%" with Vietnamese
# separators, as "#,##0" shows "168.151" (STYLE.md S12).
PERCENT_FORMAT = "0.0%"


@dataclass
class Column:
    """A column: its header, width, number format and, optionally, the group
    header it sits under (consecutive columns with one group share a merged
    cell above their own headers)."""

    title: str
    width: int = 14
    number_format: str | None = None
    group: str = ""


def safe_cell(sheet, value, number_format: str | None = None):
    """A write-only cell; risky text stays text, numbers and dates keep their type."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Promise):  # a lazy translation
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(RISKY_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, datetime.date | datetime.datetime):
        cell.number_format = number_format or DATE_FORMAT
    elif isinstance(value, int | float | Decimal) and number_format:
        cell.number_format = number_format
    return cell


FONT = "Calibri"
LINE_HEIGHT = 15  # points: one line of 11-point text


def _lines(text, width: float, *, bold: bool = False) -> int:
    """How many lines `text` takes when wrapped in a column `width` characters
    wide: an estimate, since neither Excel nor LibreOffice grows a row to fit
    wrapped text that a program wrote. A column's width counts digits; an
    average letter of Vietnamese text in Calibri is about 0.8 of one
    (measured on the demo's programme names in LibreOffice), bold 0.88."""
    if text in (None, ""):
        return 1
    usable = max(width - 1, 1)
    factor = 0.88 if bold else 0.8
    return sum(
        max(1, math.ceil(len(part) * factor / usable)) for part in str(text).split("\n")
    )


class _Styles:
    """The few cell styles of a printed table, made once per sheet."""

    def __init__(self, borders: bool):
        from openpyxl.styles import Alignment, Border, Font, Side

        thin = Side(style="thin")
        self.border = (
            Border(left=thin, right=thin, top=thin, bottom=thin) if borders else None
        )
        # Named, so that LibreOffice does not fall back to a serif font for
        # the styled cells next to plain ones (Calibri is the workbook default).
        self.bold = Font(name=FONT, bold=True)
        self.heading = Font(name=FONT, bold=True, size=13)
        self.italic = Font(name=FONT, italic=True)
        self.header_alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )
        self.center = Alignment(horizontal="center", vertical="center")
        self.middle = Alignment(vertical="center")
        self.right = Alignment(horizontal="right", vertical="center")
        self.wrap = Alignment(vertical="center", wrap_text=True)


class SheetWriter:
    """One write-only sheet laid out to read and print like an annex table.

    Top to bottom: `title_lines` (bold, left: the issuing body), `heading_lines`
    (centred over the table's width: the report's name, period), one blank row,
    then the header: one row, or two when some columns have a `group` (a
    column without a group then spans both rows). The header rows are frozen
    (with the first `freeze_columns` columns) and repeat on every printed page;
    the page is A4, landscape unless `landscape=False`, fitted to one page
    wide, pages numbered in the footer.

    Every cell goes through `safe_cell`: text starting with = + - @ stays text
    (SECURITY.md R26); numbers and dates keep their types and get the column's
    format. Settings that openpyxl writes before the first row (widths, frozen
    panes) are all made here, before any row is appended.
    """

    def __init__(
        self,
        book,
        title: str,
        columns: Sequence[Column],
        *,
        title_lines: Sequence[str] = (),
        heading_lines: Sequence[str] = (),
        freeze_columns: int = 0,
        landscape: bool = True,
        borders: bool = False,
        wrap_columns: Sequence[int] = (),
    ):
        self.sheet = book.create_sheet(title=title[:31])
        self.columns = list(columns)
        self.styles = _Styles(borders)
        self.wrap_columns = set(wrap_columns)
        self.row_count = 0
        self._reused = {}
        sheet = self.sheet
        for index, column in enumerate(self.columns):
            sheet.column_dimensions[_letter(index)].width = column.width
        grouped = any(column.group for column in self.columns)
        before = len(title_lines) + len(heading_lines)
        self.header_first = before + (2 if before else 1)
        self.header_last = self.header_first + (1 if grouped else 0)
        sheet.freeze_panes = f"{_letter(freeze_columns)}{self.header_last + 1}"
        sheet.print_title_rows = f"{self.header_first}:{self.header_last}"
        sheet.page_setup.orientation = "landscape" if landscape else "portrait"
        sheet.page_setup.paperSize = "9"  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.page_margins.top = sheet.page_margins.bottom = 0.5
        sheet.print_options.horizontalCentered = True
        sheet.oddFooter.center.text = "&P/&N"

        for line in title_lines:
            cell = safe_cell(sheet, line)
            cell.font = self.styles.bold
            self._append([cell])
        for index, line in enumerate(heading_lines):
            cell = safe_cell(sheet, line)
            cell.font = self.styles.heading if index == 0 else self.styles.italic
            cell.alignment = self.styles.center
            self._merge(self.row_count + 1, 0, len(self.columns) - 1)
            self._append([cell])
        if before:
            self._append([])
        if grouped:
            self._write_grouped_header()
        else:
            self._height(max(_lines(c.title, c.width, bold=True) for c in self.columns))
            self._append([self._header_cell(c.title) for c in self.columns])

    def _header_cell(self, text):
        cell = safe_cell(self.sheet, text)
        cell.font = self.styles.bold
        cell.alignment = self.styles.header_alignment
        if self.styles.border:
            cell.border = self.styles.border
        return cell

    def _write_grouped_header(self):
        first, second = [], []
        row = self.row_count + 1
        index = 0
        while index < len(self.columns):
            group = self.columns[index].group
            if not group:
                first.append(self._header_cell(self.columns[index].title))
                second.append(self._header_cell(None))
                self._merge(row, index, index, rows=2)
                index += 1
                continue
            end = index
            while end + 1 < len(self.columns) and self.columns[end + 1].group == group:
                end += 1
            for position in range(index, end + 1):
                first.append(self._header_cell(group if position == index else None))
                second.append(self._header_cell(self.columns[position].title))
            if end > index:
                self._merge(row, index, end)
            index = end + 1
        # A group's name over its columns' width; a title without a group
        # spans both rows.
        groups: dict[str, float] = {}
        for column in self.columns:
            if column.group:
                groups[column.group] = groups.get(column.group, 0) + column.width
        top = max(
            [_lines(group, width, bold=True) for group, width in groups.items()] or [1]
        )
        below = max(
            _lines(c.title, c.width, bold=True) - (0 if c.group else top)
            for c in self.columns
        )
        self._height(top)
        self._append(first)
        self._height(max(below, 1))
        self._append(second)

    def _height(self, lines: int, row: int | None = None):
        """Make the next row (or `row`) tall enough for `lines` lines; one
        line needs nothing, so a long list keeps no per-row settings."""
        if lines > 1:
            row = row or self.row_count + 1
            self.sheet.row_dimensions[row].height = lines * LINE_HEIGHT

    def _merge(self, row: int, first: int, last: int, rows: int = 1):
        if last > first or rows > 1:
            self.sheet.merged_cells.add(
                f"{_letter(first)}{row}:{_letter(last)}{row + rows - 1}"
            )

    def _append(self, cells):
        self.sheet.append(cells)
        self.row_count += 1

    def append(self, values: Sequence, *, bold: bool = False, span: int = 1):
        """One row of values in column order. `bold` for subtotal and total
        rows; `span` merges the first `span` columns into the first value's
        cell (a row label over "No." and the name)."""
        values = list(values)[: len(self.columns)]
        cells = [
            self._cell(index, value, bold=bold, framed=True, label=index < span)
            for index, value in enumerate(values)
        ]
        lines = [
            _lines(value, self.columns[index].width)
            for index, value in enumerate(values)
            if index in self.wrap_columns and (span == 1 or index >= span)
        ]
        if span > 1:
            width = sum(column.width for column in self.columns[:span])
            lines.append(_lines(values[0], width) if 0 in self.wrap_columns else 1)
            self._merge(self.row_count + 1, 0, span - 1)
        self._height(max(lines or [1]))
        self._append(cells)

    def note(self, text: str):
        """A line of text under the table, wrapped across its whole width."""
        cell = safe_cell(self.sheet, text)
        cell.alignment = self.styles.wrap
        width = sum(column.width for column in self.columns)
        self._merge(self.row_count + 1, 0, len(self.columns) - 1)
        self._height(_lines(text, width))
        self._append([cell])

    def append_plain(self, values: Sequence):
        """A row with the columns' number and date formats and no other style
        (no border, no wrapping): the fast path, for long lists."""
        self._append(
            [
                self._cell(index, value, bold=False, framed=False)
                for index, value in zip(range(len(self.columns)), values, strict=False)
            ]
        )

    def _cell(self, index: int, value, *, bold: bool, framed: bool, label=False):
        """What to hand openpyxl for one value: the value itself when it needs
        no style, else a cell with the style it needs.

        A styled cell is made once per column and style and reused row after
        row: a write-only sheet writes a row out before `append` returns, and
        a new cell per value would make a long list about twice as slow.
        Risky text always gets a cell of its own (`safe_cell`).
        """
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, Promise):
            value = str(value)
        column = self.columns[index]
        text = isinstance(value, str)
        risky = text and value.startswith(RISKY_PREFIXES)
        if isinstance(value, datetime.date):
            number_format = column.number_format or DATE_FORMAT
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            number_format = column.number_format
        else:
            number_format = None
        alignment = None
        if framed and text and column.number_format and not label:
            alignment = self.styles.right  # "–" for a share with no base
        elif framed and index in self.wrap_columns:
            alignment = self.styles.wrap
        elif framed:
            alignment = self.styles.middle  # beside wrapped text in the row
        border = self.styles.border if framed else None
        if not (number_format or bold or border or alignment):
            return safe_cell(self.sheet, value) if risky else value
        if risky:
            return self._style(
                safe_cell(self.sheet, value), number_format, bold, border, alignment
            )
        key = (index, number_format, bold, border is not None, id(alignment))
        cell = self._reused.get(key)
        if cell is None:
            cell = self._reused[key] = self._style(
                WriteOnlyCell(self.sheet), number_format, bold, border, alignment
            )
        cell.value = value
        return cell

    def _style(self, cell, number_format, bold, border, alignment):
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = self.styles.bold
        if border:
            cell.border = border
        if alignment:
            cell.alignment = alignment
        return cell

    def filter_header(self):
        """Offer Excel's filter buttons on the (last) header row, over every row
        written so far; call it after the last row."""
        self.sheet.auto_filter.ref = (
            f"A{self.header_last}:{_letter(len(self.columns) - 1)}"
            f"{max(self.row_count, self.header_last)}"
        )


def save_workbook(book, out=None) -> bytes | None:
    """Write `book` to the binary file `out`, or return its bytes."""
    if out is not None:
        book.save(out)
        return None
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def new_workbook():
    """An empty write-only workbook, for `SheetWriter`s."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def write_workbook(
    sheets: Iterable[tuple[str, Sequence[Column], Iterable[Sequence]]],
    *,
    title_lines: Sequence[str] = (),
) -> bytes:
    """An xlsx with one sheet per (title, columns, rows): bold frozen header,
    widths and formats; optional title lines above the header."""
    book = new_workbook()
    for sheet_title, columns, rows in sheets:
        writer = SheetWriter(book, sheet_title, columns, title_lines=title_lines)
        for row in rows:
            writer.append_plain(row)
    return save_workbook(book)


@dataclass
class SheetSpec:
    """One sheet of an exported workbook: its title, columns, print setup, and
    either `rows` (plain values, one sequence a row) or `write`, a function that
    fills the sheet's `SheetWriter` itself (a shaped table: totals, notes)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence] = ()
    write: Callable[[SheetWriter], None] | None = None
    title_lines: Sequence[str] = ()
    heading_lines: Sequence[str] = ()
    freeze_columns: int = 0
    landscape: bool = True
    borders: bool = False
    wrap_columns: Sequence[int] = ()


class Exporter:
    """The one contract of every workbook the app writes.

    A subclass says what the file is: `filename()` and `sheets()` (each a
    `SheetSpec`). `export()` writes it with `SheetWriter` in write-only mode
    (formula-safe cells, typed numbers and dates, frozen printed header) and
    returns `(filename, content type, bytes)`, which a view sends with
    `file_response` and a background job stores unchanged. With `out`, a
    binary file, the workbook is written there instead and the bytes are None:
    for workbooks too large to hold in memory.
    """

    def filename(self) -> str:
        raise NotImplementedError

    def sheets(self) -> Iterable[SheetSpec]:
        raise NotImplementedError

    def export(self, out=None) -> tuple[str, str, bytes | None]:
        from trainingcenter.http import XLSX

        book = new_workbook()
        for spec in self.sheets():
            writer = SheetWriter(
                book,
                spec.title,
                spec.columns,
                title_lines=spec.title_lines,
                heading_lines=spec.heading_lines,
                freeze_columns=spec.freeze_columns,
                landscape=spec.landscape,
                borders=spec.borders,
                wrap_columns=spec.wrap_columns,
            )
            if spec.write is not None:
                spec.write(writer)
            else:
                for row in spec.rows:
                    writer.append_plain(row)
        return self.filename(), XLSX, save_workbook(book, out)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def iter_text_rows(sheet: Sheet) -> Iterator[tuple[int, tuple]]:
    """(Excel row number, values) for every row read."""
    yield from enumerate(sheet.rows, start=1)
