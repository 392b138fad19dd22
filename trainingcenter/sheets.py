"""openpyxl's read-only reading of a workbook that `uploads.check_upload` passed,
with the C XML parser.

openpyxl parses through defusedxml when it is installed, and defusedxml's
parser is the pure-Python one: for a 5.000-row list it took about half the
reading time. What it guards against, a DTD or an entity declaration, cannot
be in a workbook that `check_upload` passed: it streamed every XML part's
prolog (where a DTD has to stand) through expat and refused any. So the
shared strings and the rows are read here with ElementTree's C parser, each
cell's value exactly as openpyxl's `load_workbook(read_only=True,
data_only=True, keep_links=False)` gives it. Only for uploads that went
through `check_upload`; anything else keeps openpyxl's defaults. openpyxl is
pinned: these lean on its reader classes.
"""

import io
import re
from xml.etree.ElementTree import iterparse

from openpyxl.cell.text import Text
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.utils.cell import column_index_from_string
from openpyxl.worksheet._reader import ROW_TAG, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from trainingcenter.uploads import EXCEL_ROWS

STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"
TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
FORMULA_TAG = f"{{{SHEET_MAIN_NS}}}f"
DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
# A cell's reference as Excel writes it: "B3", never "$B$3" or "b3", which
# openpyxl would also take, nor a row beyond Excel's grid.
CELL_REFERENCE = re.compile(r"[A-Z]{1,3}([0-9]{1,9})")


class _CheckedReader(ExcelReader):
    def read_strings(self):
        """openpyxl's read_string_table, a plain text taken as it is."""
        found = self.package.find(SHARED_STRINGS)
        if found is None:
            return
        strings = []
        with self.archive.open(found.PartName[1:]) as source:
            for _, node in iterparse(source):
                if node.tag == STRING_TAG:
                    if len(node) == 1 and node[0].tag == TEXT_TAG and not len(node[0]):
                        text = node[0].text or ""
                    else:  # rich text runs, phonetic hints: openpyxl's way
                        text = Text.from_tree(node).content
                    strings.append(text.replace("x005F_", ""))
                    node.clear()
        self.shared_strings = strings


class _CheckedSheetParser(WorkSheetParser):
    def parse_cell(self, element):
        """openpyxl's, with the reference checked, a cell holding a formula
        marked ("formula": its cached value, if any, is the value), and a
        shortcut for plain inline text (as openpyxl and the app's own exports
        write it)."""
        reference = element.get("r")
        if reference is not None:
            match = CELL_REFERENCE.fullmatch(reference)
            if match is None or int(match[1]) > EXCEL_ROWS:
                raise ValueError(f"{reference!r} is not a cell reference")
        if element.get("t") == "inlineStr" and len(element) == 1:
            inline = element[0]
            if len(inline) == 1 and inline[0].tag == TEXT_TAG and not len(inline[0]):
                column = (
                    column_index_from_string(reference.rstrip("0123456789"))
                    if reference
                    else self.col_counter + 1
                )
                self.col_counter = column
                return {"column": column, "value": inline[0].text or ""}
        cell = super().parse_cell(element)
        if element.find(FORMULA_TAG) is not None:
            cell["formula"] = True
        return cell

    def parse_row(self, row):
        """openpyxl's, without keeping each styled row's height and format
        (a read-only sheet has no use for them, and formatting carried far
        down the sheet would leave one for every row)."""
        number = row.get("r")
        if number is None:
            self.row_counter += 1
        else:
            try:
                self.row_counter = int(number)
            except ValueError:
                as_float = float(number)  # openpyxl accepts "7.0"
                if not as_float.is_integer():
                    raise ValueError(f"{number} is not a valid row number") from None
                self.row_counter = int(as_float)
        self.col_counter = 0
        return self.row_counter, [self.parse_cell(cell) for cell in row]

    def parse(self):
        """The rows only: what `iter_rows` reads of a read-only sheet. Each row
        is dropped from the tree once read, so that formatting carried down
        thousands of rows is never held at once."""
        rows = None  # the element the rows are in
        for event, element in iterparse(self.source, events=("start", "end")):
            if event == "start":
                if rows is None and element.tag == DATA_TAG:
                    rows = element
            elif element.tag == ROW_TAG:
                row = self.parse_row(element)
                element.clear()
                if rows is not None:
                    rows.clear()
                yield row


def open_checked_workbook(content: bytes):
    """`load_workbook(read_only=True, data_only=True, keep_links=False)`."""
    reader = _CheckedReader(
        io.BytesIO(content),
        read_only=True,
        keep_vba=False,
        data_only=True,
        keep_links=False,
        rich_text=False,
    )
    reader.read()
    return reader.wb


def sheet_cells(worksheet):
    """(row number, cells) of each row the worksheet's XML holds, in its order,
    as openpyxl's reader parses them: each cell a dict with its "column" and
    "value" (None when it holds none, as a styled empty cell), and "formula"
    when it holds one. A malformed reference raises ValueError."""
    book = worksheet.parent
    with book._archive.open(worksheet._worksheet_path) as source:
        parser = _CheckedSheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        yield from parser.parse()
