"""The report as a Word file, for the office that finishes or files it there.

It is written from the very HTML the PDF is laid out from
(reports/print/report.html over reports.document.context): the same
sentences, the director's parts, the annex tables with the same Vietnamese
number formats, so no figure is computed here. python-docx sets it out as a
party document (Hướng dẫn 36-HD/VPTW): the two-column header, Times New
Roman, A4 with its margins, BÁO CÁO and the subject, the signature block and
Nơi nhận, the charts as Word's own charts with their captions
(trainingcenter/word_charts.py), and the annexes as Word tables on landscape
sections.
The writer is the one every party document of the app uses
(trainingcenter/word_html.py).
"""

import datetime

from django.template.loader import render_to_string
from django.utils import translation

from reports import scope
from reports.tables import Report
from trainingcenter import word as page, word_html as page_html

DOCX = page.DOCX


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
    return page_html.write(markup)
