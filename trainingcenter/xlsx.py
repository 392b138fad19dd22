"""The one Excel writer: every workbook the app makes is an `Exporter`.

Write-only mode; text starting with = + - @ (or a tab, CR, NUL) is stored as
text, never as a formula; numbers and dates keep their types. Reading uploaded
workbooks is `trainingcenter.uploads`.
"""

import datetime
import io
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from django.utils.functional import Promise

RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")

DATE_FORMAT = "dd/mm/yyyy"
INTEGER_FORMAT = "#,##0"
# A share stored as a fraction (0.962); Excel shows "96,2%" with Vietnamese
# separators, as "#,##0" shows "168.151".
PERCENT_FORMAT = "0.0%"


@dataclass
class Column:
    """A column: header, width, number format and the optional group header it
    sits under (consecutive columns of one group share a merged cell)."""

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
    """How many lines `text` takes wrapped in a column `width` digits wide: an
    estimate, since neither Excel nor LibreOffice grows a row to fit wrapped
    text that a program wrote. A Vietnamese letter in Calibri is about 0.8 of
    a digit (measured on the demo's programme names in LibreOffice), bold 0.88."""
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
        centred = {"horizontal": "center", "vertical": "center"}
        self.header_alignment = Alignment(**centred, wrap_text=True)
        self.center = Alignment(**centred)
        self.middle = Alignment(vertical="center")
        self.right = Alignment(horizontal="right", vertical="center")
        self.wrap = Alignment(vertical="center", wrap_text=True)


class SheetWriter:
    """One write-only sheet laid out to read and print like an annex table.

    Top to bottom: `title_lines` (bold, left: the issuing body), `heading_lines`
    (centred: the report's name, period), one blank row, then the header: one
    row, or two when some columns have a `group` (a column without one spans
    both). The header rows are frozen (with the first `freeze_columns` columns)
    and repeat on every printed page: A4, landscape unless `landscape=False`,
    one page wide, numbered in the footer. Cells are formula-safe (`safe_cell`)
    and typed with the column's format. What openpyxl writes before the first
    row (widths, frozen panes) is all set here, before any row is appended.
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
        setup = sheet.page_setup
        setup.orientation = "landscape" if landscape else "portrait"
        setup.paperSize, setup.fitToWidth, setup.fitToHeight = "9", 1, 0  # A4
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
        # Heights: a group's name over its columns; a lone title over both rows.
        groups = Counter()
        for column in (c for c in self.columns if c.group):
            groups[column.group] += column.width
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

    def _height(self, lines: int):
        """Make the next row tall enough for `lines` lines; one line needs
        nothing, so a long list keeps no per-row settings."""
        if lines > 1:
            self.sheet.row_dimensions[self.row_count + 1].height = lines * LINE_HEIGHT

    def _merge(self, row: int, first: int, last: int, rows: int = 1):
        if last > first or rows > 1:
            end = f"{_letter(last)}{row + rows - 1}"
            self.sheet.merged_cells.add(f"{_letter(first)}{row}:{end}")

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
        pairs = zip(range(len(self.columns)), values, strict=False)
        self._append([self._cell(i, v, bold=False, framed=False) for i, v in pairs])

    def _cell(self, index: int, value, *, bold: bool, framed: bool, label=False):
        """What to hand openpyxl for one value: the value itself when it needs
        no style, else a styled cell, made once per column and style and reused
        row after row (a write-only sheet writes a row out before `append`
        returns; a new cell per value makes a long list twice as slow). Risky
        text always gets a cell of its own (`safe_cell`)."""
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
    buffer = io.BytesIO() if out is None else out
    book.save(buffer)
    return buffer.getvalue() if out is None else None


def new_workbook():
    """An empty write-only workbook, for `SheetWriter`s."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


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

    def layout(self) -> dict:
        """The `SheetWriter` options: every field but title, columns and content."""
        content = {"title", "columns", "rows", "write"}
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.name not in content
        }


class Exporter:
    """The one contract of every workbook the app writes.

    A subclass gives `filename()` and `sheets()` (`SheetSpec`s, written in
    write-only mode). `export()` returns `(filename, content type, bytes)` for a
    view's `file_response` or a job to store; with `out`, a binary file, the
    bytes go there instead (None is returned). A workbook write-only mode cannot
    make (drop-downs, comments, cells changed after writing) overrides
    `workbook()` instead of `sheets()` and says why."""

    def filename(self) -> str:
        raise NotImplementedError

    def sheets(self) -> Iterable[SheetSpec]:
        raise NotImplementedError

    def workbook(self):
        """The openpyxl workbook, written sheet by sheet from `sheets()`."""
        book = new_workbook()
        for spec in self.sheets():
            writer = SheetWriter(book, spec.title, spec.columns, **spec.layout())
            if spec.write is not None:
                spec.write(writer)
            else:
                for row in spec.rows:
                    writer.append_plain(row)
        return book

    def export(self, out=None) -> tuple[str, str, bytes | None]:
        from trainingcenter.http import XLSX

        content = save_workbook(self.workbook(), out)
        return self.filename(), XLSX, content


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
