"""A paper's PDF and Word file, from one HTML layout.

The text is the centre's wording filled with the class's values
(wording.fill: names in braces only, never a template); its lines become
paragraphs, a line in capitals a centred heading ("QUYẾT ĐỊNH:"), a line
in capitals after a Roman numeral a section heading, and the line
{danh_sach} the place of the paper's list. The HTML
(enrollment/paperwork/print/paper.html, escaped) is laid out by WeasyPrint
for the PDF and read by the app's one HTML-to-Word writer for the .docx.
"""

import datetime
import io
import re
import zipfile

from django.template.loader import render_to_string
from django.utils import translation

from enrollment.paperwork import wording
from enrollment.paperwork.content import Paper
from trainingcenter import documents, pdf, word_html

TEMPLATE = "enrollment/paperwork/print/paper.html"
SECTION = re.compile(r"^[IVXLC]+\.\s")
LIST_LINE = "{" + wording.LIST_FIELD + "}"


def blocks(text: str, *, has_table: bool) -> list[dict]:
    """The filled text as the layout's blocks, the list where {danh_sach} is
    (at the end when the text leaves it out)."""
    found, placed = [], False
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line == LIST_LINE:
            if has_table and not placed:
                found.append({"kind": "table"})
                placed = True
            continue
        shouting = line.upper() == line and any(c.isalpha() for c in line)
        if shouting and SECTION.match(line):
            found.append({"kind": "heading", "text": line})
        elif shouting:
            found.append({"kind": "centred", "text": line})
        else:
            found.append({"kind": "paragraph", "text": line})
    if has_table and not placed:
        found.append({"kind": "table"})
    return found


def body_text(center, paper: Paper) -> str:
    """The centre's wording of the paper's kind, filled with its values. The
    {danh_sach} line stays as it is, for `blocks` to place the list."""
    values = {**paper.values, wording.LIST_FIELD: LIST_LINE}
    return wording.fill(wording.text_of(center, paper.kind), values)


def markup(
    center, paper: Paper, text: str, *, today: datetime.date, number: str = ""
) -> str:
    with translation.override("vi"):
        return render_to_string(
            TEMPLATE,
            {
                "center": center,
                "paper": paper,
                "blocks": blocks(text, has_table=paper.table is not None),
                "number": number,
                "draft": not number,
                "symbol": symbol(center, paper),
                "document_date": today,
                "signer_title": center.director_title,
                "signer_name": center.director_name,
            },
        )


def symbol(center, paper: Paper) -> str:
    """ "KH/TTCT": what follows the number."""
    return documents.number_text(
        center.organization, paper.kind.register_kind, 0
    ).removeprefix("0-")


def files(
    center, paper: Paper, text: str, *, today: datetime.date, number: str = ""
) -> documents.Rendered:
    """The PDF and the .docx of one paper, from one HTML."""
    html = markup(center, paper, text, today=today, number=number)
    return documents.Rendered(pdf=pdf.render_html(html), docx=word_html.write(html))


def merged_pdf(contents: list[bytes]) -> bytes:
    """Several PDFs as one, in order (the papers to every unit)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for content in contents:
        writer.append(io.BytesIO(content))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def zipped(files_by_name: list[tuple[str, bytes]]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files_by_name:
            archive.writestr(name, content)
    return output.getvalue()
