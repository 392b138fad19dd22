"""A party document's printed HTML written out as a Word file.

Every document the app issues is laid out once, as the HTML the PDF is made
from (templates/print/base.html and a page extending it): the two-column
header, the type and subject, the body paragraphs and tables, the signature
block with Nơi nhận, and the annexes. `write` reads that HTML and sets the
same content out with python-docx as a party document (Hướng dẫn
36-HD/VPTW), so the Word file cannot say anything the PDF does not. The
classes it reads: superior, issuing, doc-number, party, place-date,
draft-mark, doc-type, subject, doc-body (p, h2, h3, table, a figure with
data-chart as Word's own chart, div.closing, div.ending), section.annex
(wide: landscape).
"""

import json
import re

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from lxml import html as lxml_html

from trainingcenter import word as page, word_charts
from trainingcenter.word_tables import PORTRAIT_TEXT_MM, add_table, cell_lines

INDENT = Mm(10)
# The room left for a number written by hand, as the PDF leaves 14 mm:
# non-breaking spaces, a quarter of an em each at 13 pt.
NUMBER_BLANK = "\u00a0" * 12


def write(markup: str) -> bytes:
    """The .docx of a printed document's HTML."""
    tree = lxml_html.fromstring(markup)
    document = docx.Document()
    page.base_style(document)
    page.setup(document.sections[0], landscape=False)
    page.page_numbers(document)
    _draft_mark(document, tree)
    _header(document, tree)
    _title(document, tree)
    for body in tree.xpath('//div[contains(@class, "doc-body")]'):
        _body(document, body)
    for annex in tree.xpath("//section[contains(@class, 'annex')]"):
        _annex(document, annex)
    document.core_properties.title = " ".join(tree.findtext(".//title").split())
    return page.to_bytes(document)


# Runs of white space but the non-breaking space, which a header line keeps.
_BREAKING_SPACE = re.compile(r"[^\S\u00a0]+")


def _text(element) -> str:
    if element is None:
        return ""
    return _BREAKING_SPACE.sub(" ", element.text_content()).strip(" ")


def _number(element) -> str:
    """ "Số 12-KH/TTCT", or before a number is given "Số" and a blank to write
    it in by hand before "-KH/TTCT", as the PDF leaves one."""
    blanks = element.find_class("number-blank") if element is not None else []
    if not blanks:
        return _text(element)
    before, after = (element.text or "").strip(), (blanks[0].tail or "").strip()
    return f"{before} {NUMBER_BLANK}{after}"


def _first(tree, css_class: str):
    found = tree.xpath(f'//*[contains(concat(" ", @class, " "), " {css_class} ")]')
    return found[0] if found else None


def _line(cell, text: str, *, size=None, bold=False, italic=False, first=False):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    page.set_font(run, size or Pt(13), bold=bold, italic=italic)
    return paragraph


def _header(document, tree) -> None:
    """Issuer, star and number on the left; the Party and the date on the right."""
    table = document.add_table(rows=1, cols=2)
    page.borderless(table)
    # 170 mm, centred: 2,5 mm into each margin, so that the issuer's line (13
    # pt capitals) and the place and date (14 pt italic) each keep to one line.
    _columns(table, Mm(78), Mm(92))
    left, right = table.rows[0].cells
    _line(left, _text(_first(tree, "superior")), first=True)
    _line(left, _text(_first(tree, "issuing")), bold=True)
    _line(left, "*")
    _line(left, _number(_first(tree, "doc-number")))
    party = _line(right, _text(_first(tree, "party")), size=Pt(14), bold=True)
    party.runs[0].font.underline = True
    party.paragraph_format.space_after = Pt(8)
    _line(right, _text(_first(tree, "place-date")), size=Pt(14), italic=True)


def _columns(table, *widths) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _title(document, tree) -> None:
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(18)
    title.paragraph_format.space_after = Pt(0)
    page.set_font(title.add_run(_text(_first(tree, "doc-type"))), Pt(16), bold=True)
    subject = document.add_paragraph()
    subject.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, line in enumerate(cell_lines(_first(tree, "subject"))):
        if index:
            subject.runs[-1].add_break()
        page.set_font(subject.add_run(line), Pt(14), bold=True)
    page.short_rule(document, 30, PORTRAIT_TEXT_MM)


def _paragraph(document, text: str, *, bold=False, italic=False, indent=True):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = INDENT
    page.set_font(paragraph.add_run(text), bold=bold, italic=italic)
    return paragraph


def _body(document, element, *, together: bool = False) -> None:
    """Headings and paragraphs in order; the signature block at the end.
    Inside the block kept with the signature ("ending"), every paragraph
    keeps with the next, so the signature never stands alone on a page."""
    for child in element:
        classes = (child.get("class") or "").split()
        if child.tag in ("h2", "h3", "p"):
            heading = child.tag != "p" or "centred" in classes
            paragraph = _paragraph(
                document,
                _text(child),
                bold=heading,
                italic="annex-note" in classes,
                indent="centred" not in classes,
            )
            if "centred" in classes:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.keep_with_next = heading or together
        elif child.tag == "table":
            add_table(document, child)
        elif child.tag == "figure" and child.get("data-chart"):
            _figure(document, child)
        elif child.tag == "div" and "closing" in classes:
            _closing(document, child)
        elif child.tag == "div":
            _body(document, child, together=together or "ending" in classes)


def _figure(document, element) -> None:
    """A chart of the PDF as Word's own chart, its caption under it: the
    title, then the same figures in words."""
    chart = word_charts.ChartData.from_dict(json.loads(element.get("data-chart")))
    width, height = word_charts.size_mm(chart, PORTRAIT_TEXT_MM)
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    title = element.find(".//figcaption/span")  # "Hình 1. …", then the figures
    word_charts.add_chart(
        paragraph, chart, width_mm=width, height_mm=height, description=_text(title)
    )
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_after = Pt(8)
    page.set_font(caption.add_run(_text(title)), Pt(11), bold=True)
    caption.add_run().add_break()
    words = _text(element.find("figcaption"))[len(_text(title)) :].strip()
    page.set_font(caption.add_run(words), Pt(11), italic=True)


def _closing(document, element) -> None:
    """Nơi nhận on the left, the signer on the right."""
    table = document.add_table(rows=1, cols=2)
    page.borderless(table)
    _columns(table, Mm(80), Mm(85))
    left, right = table.rows[0].cells
    recipients = element.xpath('.//div[contains(@class, "recipients")]/div')
    for index, line in enumerate(recipients):
        paragraph = left.paragraphs[0] if index == 0 else left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(_text(line))
        if index == 0:
            page.set_font(run, Pt(12), bold=True, italic=True)
            run.font.underline = True
        else:
            page.set_font(run, Pt(11))
    title = _text(_first(element, "signer-title"))
    _line(right, title.upper(), size=Pt(14), bold=True, first=True)
    name = _line(right, _text(_first(element, "signer-name")), size=Pt(14), bold=True)
    name.paragraph_format.space_before = Pt(48)
    page.keep_together(table.rows[0])


def _annex(document, element) -> None:
    """An annex on a new page: landscape when its table is wide."""
    page.new_section(document, landscape="wide" in (element.get("class") or ""))
    for child in element:
        classes = (child.get("class") or "").split()
        if child.tag == "table":
            add_table(document, child)
            continue
        if child.tag != "p":
            continue
        paragraph = document.add_paragraph()
        heading = "annex-number" in classes or "annex-title" in classes
        if heading or "annex-ref" in classes:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if "annex-title" in classes and "sub" in classes:
            paragraph.paragraph_format.space_before = Pt(12)
        # A heading stays with what it heads.
        paragraph.paragraph_format.keep_with_next = heading or "annex-ref" in classes
        text = _text(child)
        run = paragraph.add_run(text.upper() if "annex-number" in classes else text)
        small = "table-note" in classes or "report-note" in classes
        page.set_font(
            run,
            Pt(10) if small else Pt(13),
            bold=heading,
            italic="annex-ref" in classes,
        )


def _draft_mark(document, tree) -> None:
    """A draft says so above its header, as its PDF does."""
    mark = _first(tree, "draft-mark")
    if mark is None:
        return
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(_text(mark))
    page.set_font(run, Pt(14), bold=True)
    run.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
