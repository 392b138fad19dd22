"""An HTML table of a printed document as a real Word table.

The annex tables are the report page's own includes (the same figures, the
same Vietnamese number formats); this copies their cells, merged cells and
bold or italic rows into Word, so the Word file cannot show another figure
than the PDF.
"""

import functools

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from trainingcenter.word import keep_together, repeat_as_header, set_font

# Wide tables (many columns) get a smaller type, as in the PDF.
WIDE_COLUMNS = 12
# A shared column is never narrower than this many characters' worth: a
# figure such as "1.960" or "100,0%" keeps to one line.
MIN_WEIGHT = 6
# …and a long text wraps rather than squeezing the others.
MAX_WEIGHT = 24
# A table of at most this many rows is kept on one page.
KEEP_WHOLE_ROWS = 20
# Cell margins, left and right: Word's default, and a wide table's.
WORD_MARGIN_MM, NARROW_MARGIN_MM = 1.9, 0.8
# The text width of a landscape annex page and of a portrait one, in mm.
LANDSCAPE_TEXT_MM = 262
PORTRAIT_TEXT_MM = 165


def cell_lines(element) -> list[str]:
    """The cell's text, a line per block inside it (a programme's partners)."""
    lines, current = [], []
    for node in element.iter():
        if node is not element and node.tag in ("div", "br", "p"):
            lines.append(" ".join(current))
            current = []
        if node.text and node.tag not in ("script", "style"):
            current.append(node.text)
        if node is not element and node.tail:
            current.append(node.tail)
    lines.append(" ".join(current))
    return [" ".join(line.split()) for line in lines if line.split()]


def _grid(rows) -> tuple[list[tuple], int]:
    """Each cell's place in the grid: (row, column, rows, columns, element)."""
    taken: set[tuple[int, int]] = set()
    placed = []
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in [child for child in row if child.tag in ("th", "td")]:
            while (r, c) in taken:
                c += 1
            down = int(cell.get("rowspan", 1) or 1)
            across = int(cell.get("colspan", 1) or 1)
            for i in range(down):
                for j in range(across):
                    taken.add((r + i, c + j))
            placed.append((r, c, down, across, cell))
            c += across
            width = max(width, c)
    return placed, width


def _style_of(row, cell, in_head: bool) -> dict:
    classes = (row.get("class") or "").split()
    bold = in_head or cell.tag == "th" or "row-section" in classes
    bold = bold or "row-total" in classes or "row-group" in classes
    italic = "row-group" in classes
    number = "num" in (cell.get("class") or "").split()
    return {"bold": bold, "italic": italic, "number": number}


def add_table(document, element) -> None:
    """Copy the HTML <table> `element` into `document` as a Word table."""
    head = element.findall("./thead/tr")
    body = element.findall("./tbody/tr") or element.findall("./tr")
    rows = head + body
    placed, width = _grid(rows)
    if not rows or not width:
        return
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = Pt(8) if width >= WIDE_COLUMNS else Pt(11)
    for index in range(len(head)):
        repeat_as_header(table.rows[index])
    for row in table.rows:
        keep_together(row)
    # Each row's cells once, before any merge (python-docx works a cell out
    # from the whole table on every `table.cell`); a merge keeps the
    # top-left cell, and no cell starts inside another's span.
    cells = [row.cells for row in table.rows]
    _widths(table, cells, placed, width, len(head), size)
    for r, c, down, across, cell in placed:
        target = cells[r][c]
        if down > 1 or across > 1:
            target = target.merge(cells[r + down - 1][c + across - 1])
        style = _style_of(rows[r], cell, r < len(head))
        _fill(target, cell_lines(cell), style, size, centred=r < len(head))
    _keep_on_a_page(cells, len(head))


def _keep_on_a_page(cells, head_rows: int) -> None:
    """A short table on one page; a long one never leaves its first row alone
    under its heading, nor its last row (a total) alone on the next page.
    Word keeps a row with the next when its paragraphs keep with the next."""
    rows = cells[:-1] if len(cells) <= KEEP_WHOLE_ROWS else cells[: head_rows + 1]
    if len(cells) > KEEP_WHOLE_ROWS:
        rows.append(cells[-2])
    for row in rows:
        for cell in row:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _fill(target, lines: list[str], style: dict, size, *, centred: bool) -> None:
    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    alignment = None
    if centred:
        alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif style["number"]:
        alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for index, line in enumerate(lines):
        paragraph = target.paragraphs[0] if index == 0 else target.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.0
        # Every line of a number's cell, its share under it too.
        paragraph.alignment = alignment
        run = paragraph.add_run(line)
        set_font(
            run,
            size if index == 0 else Pt(size.pt - 1),
            bold=style["bold"] and index == 0,
            italic=style["italic"] or index > 0,
        )


def _widths(table, cells, placed, width: int, head_rows: int, size) -> None:
    """Each column as wide as its cells need, as a browser lays out the PDF's
    table. A figure ("663 (57,1%)", "1.960") keeps to one line, and so does
    every word, of a heading or a text, and every cell marked `nowrap` (a
    date, a grade, a certificate's number); the column with the longest texts (a
    programme, a lecturer, a unit) would take a set width. When the page is
    too narrow for all that, the texts wrap: each column keeps what its
    longest word needs, and the room left goes to the texts in proportion to
    what more they would take. When it is wider, every column grows alike."""
    mm = functools.partial(_text_mm, size_pt=size.pt)
    least, need = [0.0] * width, [0.0] * width
    text, numbers = [0] * width, [True] * width
    for r, c, _down, across, cell in placed:
        if across != 1:
            continue
        lines = cell_lines(cell)
        words = [word for line in lines for word in line.split()]
        if r < head_rows:
            least[c] = max([least[c], *(mm(w, bold=True) for w in words)])
            continue
        classes = (cell.get("class") or "").split()
        number = "num" in classes
        whole = number or "nowrap" in classes  # a date, a grade, a number
        numbers[c] = numbers[c] and whole
        if whole:  # as if bold: the total rows are, with the widest figures
            least[c] = max([least[c], *(mm(line, bold=True) for line in lines)])
        else:
            text[c] += len(" ".join(lines))
            least[c] = max([least[c], *(mm(w) for w in words)])
            longest = mm("n" * MAX_WEIGHT)
            need[c] = max([need[c], *(min(mm(line), longest) for line in lines)])
    margin = 2 * (NARROW_MARGIN_MM if width >= WIDE_COLUMNS else WORD_MARGIN_MM)
    least = [max(n, mm("0" * MIN_WEIGHT)) + margin for n in least]
    need = [max(n + margin, low) for n, low in zip(need, least, strict=True)]
    widest = max(range(width), key=lambda c: text[c])
    total = LANDSCAPE_TEXT_MM if width >= 6 else PORTRAIT_TEXT_MM
    if not numbers[widest]:
        named = min(56, total * 0.45) if width >= WIDE_COLUMNS else total * 0.4
        need[widest] = max(need[widest], named)
    if sum(need) <= total:
        shares = [n * total / sum(need) for n in need]
    elif sum(least) >= total:
        shares = [n * total / sum(least) for n in least]
    else:
        more = [n - low for n, low in zip(need, least, strict=True)]
        room = (total - sum(least)) / sum(more)
        shares = [low + extra * room for low, extra in zip(least, more, strict=True)]
    table.autofit = False
    if width >= WIDE_COLUMNS:
        _cell_margins(table, NARROW_MARGIN_MM)
    for c, share in enumerate(shares):
        # The grid (what LibreOffice reads) and each cell (what Word reads).
        table.columns[c].width = Mm(share)
        for row in cells:
            row[c].width = Mm(share)


def _text_mm(text: str, *, size_pt: float, bold: bool = False) -> float:
    """About how wide `text` sets in Times New Roman: advance widths in ems
    (figures half an em, a space or a comma a quarter, capitals wider)."""
    ems = 0.0
    for ch in text:
        if ch.isdigit():
            ems += 0.5
        elif ch in " .,:;":
            ems += 0.25
        elif ch in "()[]/-'’":
            ems += 0.333
        elif ch == "%":
            ems += 0.833
        elif ch.isupper():
            ems += 0.68
        else:
            ems += 0.46
    return ems * size_pt * (1.06 if bold else 1.0) * 25.4 / 72


def _cell_margins(table, mm: float) -> None:
    """Left and right cell margins of the whole table (Word's default, 1,9 mm,
    leaves a wide annex table no room for its figures)."""
    properties = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(round(mm * 1440 / 25.4)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.append(margins)
