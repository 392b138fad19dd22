"""The report's charts, drawn on the server as SVG by pygal.

Each chart is returned as a data: URI for an <img>: the page needs no
JavaScript and no inline style (the CSP stays strict), the SVG inside an
<img> can run nothing and fetch nothing, and WeasyPrint takes the same URI
for the PDF (trainingcenter/pdf.py lets data:image/svg+xml through).
"""

import base64
import functools
import json
from dataclasses import asdict, dataclass, field

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from reports.tables import Report
from trainingcenter.templatetags.vn import vn_number
from trainingcenter.word_charts import BAR, COLUMN, DOUGHNUT, ChartData

STYLE = Style(
    font_family="'Liberation Serif', 'Times New Roman', serif",
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#111",
    foreground_subtle="#666",
    colors=("#8b1a1a", "#c9a227", "#2f5d8a", "#4f7f4f", "#7a4f8a", "#a0522d"),
    title_font_size=18,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
    tooltip_font_size=12,
)
COMMON = {
    "style": STYLE,
    "js": [],  # no script from anywhere: the chart is a picture
    "disable_xml_declaration": True,
    "explicit_size": True,
    "print_values": True,
    "value_formatter": vn_number,
    "legend_at_bottom": True,
    "truncate_legend": -1,
    "truncate_label": -1,
}


@dataclass
class Chart:
    title: str
    uri: str
    # The same figures as text, for screen readers and for anyone checking.
    description: str
    wide: bool = False
    # The figures drawn, for the Word file's own chart (trainingcenter/word_charts).
    data: ChartData | None = field(default=None, repr=False)

    @property
    def data_json(self) -> str:
        return json.dumps(asdict(self.data), ensure_ascii=False) if self.data else ""


@functools.lru_cache(maxsize=64)
def _uri(kind: str, options: tuple, x_labels: tuple | None, series: tuple) -> str:
    """The chart drawn as a data: URI. Drawing is most of a report page's
    time in pygal, and the same figures draw the same picture: a centre's
    page opened again draws nothing until its figures change."""
    chart = getattr(pygal, kind)(**{**COMMON, **dict(options)})
    if x_labels is not None:
        chart.x_labels = list(x_labels)
    for title, values in series:
        chart.add(title, list(values) if isinstance(values, tuple) else values)
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def by_year(report: Report) -> Chart | None:
    if not report.by_year:
        return None
    title = _("Classes and enrolments per year")
    # Classes are tens, enrolments thousands: one axis, classes in the labels.
    end = report.period.end

    def year_label(year: int) -> str:
        """The year, and where the period stops inside it: a half-year's bar
        is not a whole year's."""
        if year == end.year and (end.month, end.day) != (12, 31):
            return _("%(year)s (to %(day)s)") % {"year": year, "day": f"{end:%d/%m}"}
        return str(year)

    x_labels = tuple(
        _("%(year)s (%(classes)s classes)")
        % {"year": year_label(year), "classes": vn_number(classes)}
        for year, classes, _e in report.by_year
    )
    enrolments = tuple(e for _y, _c, e in report.by_year)
    options = (
        ("title", title),
        ("width", 800),
        ("height", 380),
        ("show_legend", False),
    )
    uri = _uri("Bar", options, x_labels, ((_("Enrolments"), enrolments),))
    description = "; ".join(
        f"{year_label(year)}: {vn_number(c)} {_('classes')}, "
        f"{vn_number(e)} {_('enrolments')}"
        for year, c, e in report.by_year
    )
    data = ChartData(
        COLUMN, list(x_labels), [(_("Enrolments"), list(enrolments))], _colours()
    )
    return Chart(title, uri, description, data=data)


def by_block(report: Report) -> Chart | None:
    if not any(e for _b, _c, e in report.by_block):
        return None
    title = _("Enrolments by block")
    options = (
        ("title", title),
        ("width", 520),
        ("height", 380),
        ("inner_radius", 0.45),
    )
    series = tuple((block, enrolled) for block, _c, enrolled in report.by_block)
    uri = _uri("Pie", options, None, series)
    description = "; ".join(
        f"{block}: {vn_number(e)}" for block, _c, e in report.by_block
    )
    data = ChartData(
        DOUGHNUT,
        [block for block, _c, _e in report.by_block],
        [(_("Enrolments"), [e for _b, _c, e in report.by_block])],
        _colours(),
    )
    # The chart says what it counts: Biểu 1's block rows, nothing else.
    return Chart(title, uri, f"{description}. {report.block_rule}", data=data)


def plan_against_actual(report: Report) -> Chart | None:
    rows = [r for r in report.programme_rows if r.figures.target_trainees]
    if not rows:
        return None
    title = _("Trainees: plan and actual")
    options = (
        ("title", title),
        ("width", 1100),
        ("height", 140 + 44 * len(rows)),
        ("truncate_label", 55),
    )
    series = (
        (_("Plan"), tuple(r.figures.target_trainees for r in rows)),
        (
            _("Actual (counted in the plan)"),
            tuple(r.figures.plan_enrolled_done for r in rows),
        ),
    )
    uri = _uri("HorizontalBar", options, tuple(r.name for r in rows), series)
    description = "; ".join(
        f"{r.name}: {vn_number(r.figures.plan_enrolled_done)}/"
        f"{vn_number(r.figures.target_trainees)}"
        for r in rows
    )
    data = ChartData(
        BAR,
        [r.name for r in rows],
        [
            (_("Plan"), [r.figures.target_trainees for r in rows]),
            (
                _("Actual (counted in the plan)"),
                [r.figures.plan_enrolled_done for r in rows],
            ),
        ],
        _colours(),
    )
    return Chart(title, uri, description, wide=True, data=data)


def _colours() -> list[str]:
    return [colour.lstrip("#") for colour in STYLE.colors]


def charts(report: Report) -> list[Chart]:
    return [
        c
        for c in (by_year(report), by_block(report), plan_against_actual(report))
        if c is not None
    ]
