"""The report's charts in its Word file: Word's own charts (DrawingML parts)
holding the report's figures, each with the PDF's caption under it."""

import datetime
import io

import docx
import pytest
from django.utils import translation
from django_scopes import scopes_disabled
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from reports import charts, counting, pdf as report_pdf, scope, word
from trainingcenter.models import Center
from trainingcenter.word_charts import NAMESPACES, NUMBER_FORMAT


def _word_report(site):
    with scopes_disabled():
        target = scope.for_center(Center.objects.get(pk=site.center.pk))
        report = report_pdf.build(target, counting.Period.year(2026))
    content = word.render(report, target, today=datetime.date(2026, 12, 20))
    return report, docx.Document(io.BytesIO(content))


def _charts_in_order(document) -> list[etree._Element]:
    """The chart parts, in the order the document shows them."""
    parts = {
        rid: rel.target_part
        for rid, rel in document.part.rels.items()
        if rel.reltype == RT.CHART
    }
    shown = document.element.body.xpath(".//c:chart/@r:id")
    return [etree.fromstring(parts[rid].blob) for rid in shown]


def _cached(chart, path: str) -> list[str]:
    return chart.xpath(f".//{path}//c:pt/c:v/text()", namespaces=NAMESPACES)


def _series(chart) -> list[tuple[str, list[int]]]:
    return [
        (
            "".join(_cached(series, "c:tx")),
            [int(v) for v in _cached(series, "c:val")],
        )
        for series in chart.xpath("//c:ser", namespaces=NAMESPACES)
    ]


@pytest.mark.django_db
def test_the_word_report_draws_the_pdfs_charts_with_the_reports_figures(
    report_site,
):
    report, document = _word_report(report_site)
    by_year, by_block, plan = _charts_in_order(document)

    assert by_year.xpath("//c:barDir/@val", namespaces=NAMESPACES) == ["col"]
    years = _cached(by_year, "c:ser[1]/c:cat")
    assert [label.split()[0] for label in years] == [
        str(year) for year, _c, _e in report.by_year
    ]
    assert _series(by_year) == [
        ("Lượt học viên", [enrolled for _y, _c, enrolled in report.by_year])
    ]

    assert by_block.xpath("//c:doughnutChart", namespaces=NAMESPACES)
    assert _cached(by_block, "c:ser[1]/c:cat") == [
        block for block, _c, _e in report.by_block
    ]
    assert _series(by_block)[0][1] == [enrolled for _b, _c, enrolled in report.by_block]

    planned = [r for r in report.programme_rows if r.figures.target_trainees]
    assert plan.xpath("//c:barDir/@val", namespaces=NAMESPACES) == ["bar"]
    assert _cached(plan, "c:ser[1]/c:cat") == [r.name for r in planned]
    assert [values for _name, values in _series(plan)] == [
        [r.figures.target_trainees for r in planned],
        [r.figures.plan_enrolled_done for r in planned],
    ]
    # Figures print with the Vietnamese thousands dot in any locale.
    labels = by_year.xpath("//c:dLbls/c:numFmt/@formatCode", namespaces=NAMESPACES)
    assert labels == [NUMBER_FORMAT]


@pytest.mark.django_db
def test_each_chart_has_its_caption_under_it(report_site):
    report, document = _word_report(report_site)
    paragraphs = document.paragraphs
    holding = [i for i, p in enumerate(paragraphs) if p._p.xpath(".//c:chart")]
    assert len(holding) == 3
    # The paragraph after each chart: the title, a line break, the figures.
    captions = [paragraphs[i + 1].text.split("\n") for i in holding]
    assert [title for title, _figures in captions] == [
        "Hình 1. Số lớp và lượt học viên theo năm",
        "Hình 2. Lượt học viên theo khối",
        "Hình 3. Học viên: kế hoạch và thực hiện",
    ]
    # Under the title, the same figures in words, as the PDF prints them.
    with translation.override("vi"):
        described = [chart.description for chart in charts.charts(report)]
    assert [figures for _title, figures in captions] == described
    # The chart keeps with its caption on one page.
    assert all(paragraphs[i].paragraph_format.keep_with_next for i in holding)
