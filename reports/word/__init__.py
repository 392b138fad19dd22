"""The report as a Word file, for the office that finishes or files it there.

It is written from the very HTML the PDF is laid out from
(reports/print/report.html over reports.document.context): the same
sentences, the director's parts, the annex tables with the same Vietnamese
number formats, so no figure is computed here. python-docx sets it out as a
party document (Hướng dẫn 36-HD/VPTW): the two-column header, Times New
Roman, A4 with its margins, BÁO CÁO and the subject, the signature block and
Nơi nhận, and the annexes as Word tables on landscape sections. The charts
are pictures of the PDF only; the sentences around them carry their figures.
"""

import datetime

import docx
from django.template.loader import render_to_string
from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from lxml import html as lxml_html

from reports import scope
from reports.tables import Report
from reports.word.tables import add_table, cell_lines
from trainingcenter import word as page

DOCX = page.DOCX
INDENT = Mm(10)


def render(
    report: Report,
    target: scope.Scope,
    *,
    today: datetime.date,
    texts: dict | None = None,
    number: str = "",
) -> bytes:
    """The .docx of `report`; the document is always Vietnamese."""
    from reports import document as report_document

    with translation.override("vi"):
        context = report_document.context(
            report, target, today=today, texts=texts, number=number
        )
        markup = render_to_string("reports/print/report.html", context)
    tree = lxml_html.fromstring(markup)
    document = docx.Document()
    page.base_style(document)
    page.setup(document.sections[0], landscape=False)
    page.page_numbers(document)
    _header(document, tree)
    _title(document, tree)
    for body in tree.xpath('//div[contains(@class, "doc-body")]'):
        _body(document, body)
    for annex in tree.xpath("//section[contains(@class, 'annex')]"):
        _annex(document, annex)
    document.core_properties.title = " ".join(tree.findtext(".//title").split())
    return page.to_bytes(document)


def _text(element) -> str:
    return " ".join(element.text_content().split()) if element is not None else ""


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
    _columns(table, Mm(82), Mm(83))
    left, right = table.rows[0].cells
    _line(left, _text(_first(tree, "superior")), first=True)
    _line(left, _text(_first(tree, "issuing")), bold=True)
    _line(left, "*")
    _line(left, _text(_first(tree, "doc-number")))
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
    rule = document.add_paragraph("-" * 5)
    rule.alignment = WD_ALIGN_PARAGRAPH.CENTER


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
            heading = child.tag != "p"
            paragraph = _paragraph(
                document, _text(child), bold=heading, italic="annex-note" in classes
            )
            paragraph.paragraph_format.keep_with_next = heading or together
        elif child.tag == "div" and "closing" in classes:
            _closing(document, child)
        elif child.tag == "div":
            _body(document, child, together=together or "ending" in classes)


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
        text = _text(child)
        run = paragraph.add_run(text.upper() if "annex-number" in classes else text)
        small = "table-note" in classes or "report-note" in classes
        page.set_font(
            run,
            Pt(10) if small else Pt(13),
            bold=heading,
            italic="annex-ref" in classes,
        )
