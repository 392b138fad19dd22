"""Charts in Word files as Word's own charts (DrawingML), not pictures.

A chart comes as plain data (`ChartData`: its shape, the category labels and
one or more named series) and goes into the document as a chart part with
its figures cached in it: Word and LibreOffice draw it from those figures,
and whoever finishes the document in Word can restyle it. No spreadsheet is
embedded, so Word shows the chart but does not edit its figures: they are
the app's, and change there.

Numbers print the Vietnamese way whatever the reader's language settings:
the format code writes the thousands separator as a literal dot.
"""

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Mm
from lxml import etree

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = {"c": C, "a": A, "r": R}
COLUMN, BAR, DOUGHNUT = "column", "bar", "doughnut"
# "9.710", "1.234.567": Vietnamese grouping as literal dots, in any locale.
NUMBER_FORMAT = r"[>=1000000]#\.###\.##0;[>=1000]#\.##0;0"
FONT = "Times New Roman"


@dataclass
class ChartData:
    kind: str  # COLUMN, BAR (horizontal) or DOUGHNUT
    categories: list[str]
    series: list[tuple[str, list[int]]]
    colours: list[str] = field(default_factory=list)  # "8B1A1A", …

    @classmethod
    def from_dict(cls, data: dict) -> "ChartData":
        return cls(
            kind=data["kind"],
            categories=[str(c) for c in data["categories"]],
            series=[
                (str(name), [int(v) for v in values]) for name, values in data["series"]
            ],
            colours=[str(c).lstrip("#").upper() for c in data.get("colours", [])],
        )


def _sub(parent, tag: str, val=None, **attributes):
    prefix, _colon, name = tag.partition(":")
    element = etree.SubElement(parent, f"{{{NAMESPACES[prefix]}}}{name}")
    if val is not None:
        element.set("val", str(val))
    for key, value in attributes.items():
        element.set(key, str(value))
    return element


def _fill(parent, colour: str) -> None:
    properties = _sub(parent, "c:spPr")
    _sub(_sub(properties, "a:solidFill"), "a:srgbClr", colour)


def _text_properties(parent, size_pt: float, *, bold=False, colour="222222") -> None:
    """The chart's type: Times New Roman, as the document around it."""
    properties = _sub(parent, "c:txPr")
    _sub(properties, "a:bodyPr")
    _sub(properties, "a:lstStyle")
    paragraph = _sub(properties, "a:p")
    run = _sub(
        _sub(paragraph, "a:pPr"),
        "a:defRPr",
        sz=int(size_pt * 100),
        b=int(bold),
    )
    _sub(_sub(run, "a:solidFill"), "a:srgbClr", colour)
    _sub(run, "a:latin", typeface=FONT)
    _sub(run, "a:cs", typeface=FONT)
    _sub(paragraph, "a:endParaRPr", lang="vi-VN")


def _column(index: int) -> str:
    return chr(ord("B") + index)


def _strings(parent, tag: str, reference: str, values: list[str]) -> None:
    """Text (a series' name, the categories): the cell range it would come
    from in an embedded sheet, and the values themselves."""
    text = _sub(_sub(parent, tag), "c:strRef")
    _sub(text, "c:f").text = reference
    cache = _sub(text, "c:strCache")
    _sub(cache, "c:ptCount", len(values))
    for index, value in enumerate(values):
        _sub(_sub(cache, "c:pt", idx=index), "c:v").text = value


def _numbers(parent, reference: str, values: list[int]) -> None:
    numbers = _sub(_sub(parent, "c:val"), "c:numRef")
    _sub(numbers, "c:f").text = reference
    cache = _sub(numbers, "c:numCache")
    _sub(cache, "c:formatCode").text = NUMBER_FORMAT
    _sub(cache, "c:ptCount", len(values))
    for index, value in enumerate(values):
        _sub(_sub(cache, "c:pt", idx=index), "c:v").text = str(value)


def _labels(parent, *, category=False, percent=False, position=None) -> None:
    """Each value printed on its bar or slice, as the PDF's chart prints it."""
    labels = _sub(parent, "c:dLbls")
    _sub(labels, "c:numFmt", formatCode=NUMBER_FORMAT, sourceLinked=0)
    _sub(labels, "c:spPr")
    if position:
        _text_properties(labels, 9)
    else:  # on the slice itself: white on the colour
        _text_properties(labels, 10, bold=True, colour="FFFFFF")
    if position:
        _sub(labels, "c:dLblPos", position)
    for name, on in (
        ("showLegendKey", False),
        ("showVal", True),
        ("showCatName", category),
        ("showSerName", False),
        ("showPercent", percent),
        ("showBubbleSize", False),
    ):
        _sub(labels, f"c:{name}", int(on))


def _series(plot, chart: ChartData) -> None:
    rows = len(chart.categories)
    for index, (name, values) in enumerate(chart.series):
        series = _sub(plot, "c:ser")
        _sub(series, "c:idx", index)
        _sub(series, "c:order", index)
        column = _column(index)
        _strings(series, "c:tx", f"Sheet1!${column}$1", [name])
        colours = chart.colours or ["8B1A1A"]
        if chart.kind == DOUGHNUT:
            for point in range(rows):
                data_point = _sub(series, "c:dPt")
                _sub(data_point, "c:idx", point)
                _fill(data_point, colours[point % len(colours)])
        else:
            _fill(series, colours[index % len(colours)])
            _sub(series, "c:invertIfNegative", 0)
        _labels(series, position=None if chart.kind == DOUGHNUT else "outEnd")
        _strings(series, "c:cat", f"Sheet1!$A$2:$A${rows + 1}", chart.categories)
        _numbers(series, f"Sheet1!${column}$2:${column}${rows + 1}", values)


def _axes(plot_area, horizontal: bool) -> None:
    categories = _sub(plot_area, "c:catAx")
    _sub(categories, "c:axId", 1)
    # A horizontal chart lists its first category at the top, as the PDF.
    _sub(
        _sub(categories, "c:scaling"),
        "c:orientation",
        "maxMin" if horizontal else "minMax",
    )
    _sub(categories, "c:delete", 0)
    _sub(categories, "c:axPos", "l" if horizontal else "b")
    _sub(categories, "c:numFmt", formatCode="General", sourceLinked=0)
    _sub(categories, "c:majorTickMark", "none")
    _sub(categories, "c:minorTickMark", "none")
    _sub(categories, "c:tickLblPos", "nextTo")
    _text_properties(categories, 9)
    _sub(categories, "c:crossAx", 2)
    _sub(categories, "c:crosses", "autoZero")
    _sub(categories, "c:auto", 1)
    _sub(categories, "c:lblAlgn", "ctr")
    _sub(categories, "c:lblOffset", 100)
    _sub(categories, "c:noMultiLvlLbl", 0)
    values = _sub(plot_area, "c:valAx")
    _sub(values, "c:axId", 2)
    _sub(_sub(values, "c:scaling"), "c:orientation", "minMax")
    _sub(values, "c:delete", 0)
    _sub(values, "c:axPos", "b" if horizontal else "l")
    _sub(values, "c:majorGridlines")
    _sub(values, "c:numFmt", formatCode=NUMBER_FORMAT, sourceLinked=0)
    _sub(values, "c:majorTickMark", "none")
    _sub(values, "c:minorTickMark", "none")
    _sub(values, "c:tickLblPos", "nextTo")
    _text_properties(values, 9)
    _sub(values, "c:crossAx", 1)
    _sub(values, "c:crosses", "max" if horizontal else "autoZero")
    _sub(values, "c:crossBetween", "between")


def chart_xml(chart: ChartData) -> bytes:
    """The chart part: a chartSpace with the figures cached in it."""
    space = etree.Element(f"{{{C}}}chartSpace", nsmap=NAMESPACES)
    _sub(space, "c:lang", "vi-VN")
    _sub(space, "c:roundedCorners", 0)
    body = _sub(space, "c:chart")
    _sub(body, "c:autoTitleDeleted", 1)  # the caption under it is the title
    plot_area = _sub(body, "c:plotArea")
    _sub(plot_area, "c:layout")
    if chart.kind == DOUGHNUT:
        plot = _sub(plot_area, "c:doughnutChart")
        _sub(plot, "c:varyColors", 1)
        _series(plot, chart)
        _sub(plot, "c:firstSliceAng", 0)
        _sub(plot, "c:holeSize", 45)
    else:
        plot = _sub(plot_area, "c:barChart")
        _sub(plot, "c:barDir", "bar" if chart.kind == BAR else "col")
        _sub(plot, "c:grouping", "clustered")
        _sub(plot, "c:varyColors", 0)
        _series(plot, chart)
        _sub(plot, "c:gapWidth", 60)
        _sub(plot, "c:axId", 1)
        _sub(plot, "c:axId", 2)
        _axes(plot_area, horizontal=chart.kind == BAR)
    if chart.kind == DOUGHNUT or len(chart.series) > 1:
        legend = _sub(body, "c:legend")
        _sub(legend, "c:legendPos", "b")
        _sub(legend, "c:overlay", 0)
        _text_properties(legend, 10)
    _sub(body, "c:plotVisOnly", 1)
    _sub(body, "c:dispBlanksAs", "gap")
    _text_properties(space, 10)
    return etree.tostring(
        space, xml_declaration=True, encoding="UTF-8", standalone=True
    )


def size_mm(chart: ChartData, text_width_mm: float) -> tuple[float, float]:
    """Width and height on the page: a doughnut two thirds of the text's
    width, a horizontal bar chart as tall as its rows need."""
    if chart.kind == DOUGHNUT:
        return text_width_mm * 2 / 3, 80
    if chart.kind == BAR:
        bars = len(chart.categories) * max(len(chart.series), 1)
        return text_width_mm, min(30 + 7 * bars, 200)
    return text_width_mm, 80


_INLINE = (
    '<wp:inline distT="0" distB="0" distL="0" distR="0" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    f'xmlns:a="{A}" xmlns:c="{C}" xmlns:r="{R}">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="{id}" name="Chart {id}" descr="{description}"/>'
    "<wp:cNvGraphicFramePr/>"
    f'<a:graphic><a:graphicData uri="{C}"><c:chart r:id="{{rid}}"/>'
    "</a:graphicData></a:graphic></wp:inline>"
)


def add_chart(
    paragraph, chart: ChartData, *, width_mm: float, height_mm: float, description=""
):
    """The chart, inline in `paragraph` (which the caller aligns)."""
    document_part = paragraph.part
    package = document_part.package
    part = Part(
        package.next_partname("/word/charts/chart%d.xml"),
        CT.DML_CHART,
        chart_xml(chart),
        package,
    )
    rid = document_part.relate_to(part, RT.CHART)
    drawings = document_part.element.xpath("//wp:docPr")
    number = 1 + max((int(d.get("id")) for d in drawings), default=0)
    inline = parse_xml(
        _INLINE.format(
            cx=Mm(width_mm).emu,
            cy=Mm(height_mm).emu,
            id=number,
            rid=rid,
            description=escape(description, {'"': "&quot;"}),
        )
    )
    drawing = etree.SubElement(paragraph.add_run()._r, f"{{{W}}}drawing")
    drawing.append(inline)
    return part
