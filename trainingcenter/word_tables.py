"""An HTML table of a printed document as a real Word table.

The annex tables are the report page's own includes (the same figures, the
same Vietnamese number formats); this copies their cells, merged cells and
bold or italic rows into Word, so the Word file cannot show another figure
than the PDF.
"""

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from trainingcenter.word import keep_together, repeat_as_header, set_font

# Wide tables (many columns) get a smaller type, as in the PDF.
WIDE_COLUMNS = 12
# A shared column is never narrower than this many characters' worth: a
# figure such as "1.960" or "100,0%" keeps to one line.
MIN_WEIGHT = 6
# …and a long text wraps rather than squeezing the others.
MAX_WEIGHT = 24
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
    fit = "fit-columns" in (element.get("class") or "").split()
    _widths(table, cells, placed, width, len(head), fit=fit)
    for r, c, down, across, cell in placed:
        target = cells[r][c]
        if down > 1 or across > 1:
            target = target.merge(cells[r + down - 1][c + across - 1])
        style = _style_of(rows[r], cell, r < len(head))
        _fill(target, cell_lines(cell), style, size, centred=r < len(head))


def _fill(target, lines: list[str], style: dict, size, *, centred: bool) -> None:
    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = target.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif style["number"]:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for index, line in enumerate(lines):
        if index:
            paragraph = target.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(line)
        set_font(
            run,
            size if index == 0 else Pt(size.pt - 1),
            bold=style["bold"] and index == 0,
            italic=style["italic"] or index > 0,
        )


def _widths(table, cells, placed, width: int, head_rows: int, *, fit: bool) -> None:
    """The column with the longest texts (a programme, a lecturer, a unit)
    takes what narrow figure columns leave; the first, a row number, is
    narrow; the others share the rest equally, or, in a table marked
    "fit-columns" (a list of people), by their longest line (a name wider
    than a score), never narrower than their heading's words."""
    text, numbers = [0] * width, [True] * width
    longest = [MIN_WEIGHT] * width
    for r, c, _down, across, cell in placed:
        if across != 1:
            continue
        lines = cell_lines(cell)
        if r < head_rows:
            words = [len(word) for line in lines for word in line.split()]
            longest[c] = max([longest[c], *words])
            continue
        longest[c] = max([longest[c], *(min(len(line), MAX_WEIGHT) for line in lines)])
        number = "num" in (cell.get("class") or "").split()
        numbers[c] = numbers[c] and number
        if not number:
            text[c] += len(" ".join(lines))
    widest = max(range(width), key=lambda c: text[c])
    total = LANDSCAPE_TEXT_MM if width >= 6 else PORTRAIT_TEXT_MM
    named = min(56, total * 0.45) if width >= WIDE_COLUMNS else total * 0.4
    # "STT" in bold 11 pt and the cell's margins: 12 mm keeps it on one line.
    first = 12 if widest != 0 and numbers[0] else 0
    sharing = [c for c in range(width) if c != widest and not (c == 0 and first)]
    if not fit:  # equal shares
        longest = [MIN_WEIGHT] * width
    weight = sum(longest[c] for c in sharing) or 1
    table.autofit = False
    for c in range(width):
        if c == widest:
            share = named
        elif c == 0 and first:
            share = first
        else:
            share = (total - named - first) * longest[c] / weight
        # The grid (what LibreOffice reads) and each cell (what Word reads).
        table.columns[c].width = Mm(share)
        for row in cells:
            row[c].width = Mm(share)
