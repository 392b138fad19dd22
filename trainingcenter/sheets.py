"""openpyxl's read-only reading of a workbook that `uploads.check_upload` passed,
with the C XML parser.

openpyxl parses through defusedxml when it is installed, and defusedxml's
parser is the pure-Python one: for a 5.000-row list it took about half the
reading time. What it guards against, a DTD or an entity declaration, cannot
be in a workbook that `check_upload` passed: it streamed every XML part's
prolog (where a DTD has to stand) through expat and refused any. So the
shared strings and the rows are read here with ElementTree's C parser,
giving exactly what openpyxl's `load_workbook(read_only=True,
data_only=True, keep_links=False)` and `iter_rows(values_only=True)` give.
Only for uploads that went through `check_upload`; anything else keeps
openpyxl's defaults. openpyxl is pinned: these lean on its reader classes.
"""

import io
from xml.etree.ElementTree import iterparse

from openpyxl.cell.text import Text
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.utils.cell import column_index_from_string
from openpyxl.worksheet._reader import ROW_TAG, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"
TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"


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
        """openpyxl's, with a shortcut for plain inline text (as openpyxl and
        the app's own exports write it) at a reference `_SheetExtent` checked."""
        if element.get("t") == "inlineStr" and len(element) == 1:
            inline = element[0]
            if len(inline) == 1 and inline[0].tag == TEXT_TAG and not len(inline[0]):
                reference = element.get("r")
                column = (
                    column_index_from_string(reference.rstrip("0123456789"))
                    if reference
                    else self.col_counter + 1
                )
                self.col_counter = column
                return {"column": column, "value": inline[0].text or ""}
        return super().parse_cell(element)

    def parse(self):
        """The rows only: what `iter_rows` reads of a read-only sheet."""
        for _, element in iterparse(self.source):
            if element.tag == ROW_TAG:
                row = self.parse_row(element)
                element.clear()
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


def sheet_rows(worksheet, *, max_row: int, max_col: int):
    """`worksheet.iter_rows(max_row=…, max_col=…, values_only=True)` of a
    read-only worksheet: missing rows and cells as None."""
    book, empty = worksheet.parent, (None,) * max_col
    counter = index = 1
    with book._archive.open(worksheet._worksheet_path) as source:
        parser = _CheckedSheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for index, cells in parser.parse():
            if index > max_row:
                break
            for _ in range(counter, index):  # rows the sheet leaves out
                counter += 1
                yield empty
            if counter <= index:
                counter += 1
                yield worksheet._get_row(cells, 1, max_col, values_only=True)
    if max_row < index:
        for _ in range(counter, max_row + 1):
            yield empty
