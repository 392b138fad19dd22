"""Writing Word files (python-docx): the pages and type of a party document
(Hướng dẫn 36-HD/VPTW): A4, Times New Roman, margins top and bottom 20 mm,
left 30 mm, right 15 mm, the page number at the top centre from the second
page on; wide tables on landscape sections. Every .docx the app makes is
set up and written out here, as every workbook is in trainingcenter/xlsx.py.
"""

import io

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
A4 = (Mm(210), Mm(297))
PORTRAIT_MARGINS = {"top": 20, "bottom": 20, "left": 30, "right": 15}
LANDSCAPE_MARGINS = {"top": 20, "bottom": 15, "left": 20, "right": 15}


def set_font(run_or_style, size=None, *, bold=None, italic=None) -> None:
    """Times New Roman for every script, Vietnamese included (eastAsia too)."""
    font = run_or_style.font
    font.name = FONT
    element = run_or_style.element
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


def base_style(document) -> None:
    style = document.styles["Normal"]
    set_font(style, BODY_SIZE)
    style.paragraph_format.space_after = Pt(3)
    style.paragraph_format.line_spacing = 1.15


def setup(section, *, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (height, width) if landscape else (width, height)
    )
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    for side, millimetres in margins.items():
        setattr(section, f"{side}_margin", Mm(millimetres))
    section.header_distance = Mm(10)


def page_numbers(document) -> None:
    """The page number at the top centre, none on the first page (36-HD)."""
    first = document.sections[0]
    first.different_first_page_header_footer = True
    paragraph = first.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    set_font(run, Pt(13))
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def new_section(document, *, landscape: bool):
    section = document.add_section(WD_SECTION.NEW_PAGE)
    setup(section, landscape=landscape)
    # The break is an empty paragraph ending the section before: made 1 pt
    # high, so that after a full page it does not spill onto a blank one.
    ending = document.element.body.xpath("./w:p[w:pPr/w:sectPr]")[-1]
    properties = ending.get_or_add_pPr()
    spacing = OxmlElement("w:spacing")
    for name, value in (("w:before", "0"), ("w:after", "0"), ("w:line", "20")):
        spacing.set(qn(name), value)
    spacing.set(qn("w:lineRule"), "exact")
    properties.insert(0, spacing)
    return section


def borderless(table) -> None:
    """A layout table (the header, the signature block): no lines."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER


def short_rule(document, width_mm: float, text_mm: float):
    """The short line under a document's subject: an empty paragraph
    `width_mm` wide, centred by its indents, with a bottom border (a row of
    dashes would print as dashes)."""
    paragraph = document.add_paragraph()
    indent = Mm((text_mm - width_mm) / 2)
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.line_spacing = Pt(6)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1")):
        bottom.set(qn(name), value)
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def repeat_as_header(row) -> None:
    """A table's heading row printed again on every page it runs over."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def keep_together(row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def to_bytes(document) -> bytes:
    """The finished file."""
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
