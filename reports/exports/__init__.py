"""The reports' workbooks, each an exporter on trainingcenter.xlsx's contract:
the report (report.py, with its list of classes in classes.py) and the
committees' rollups (rollups.py). Below, what their sheets share."""

from django.utils.translation import gettext as _, ngettext

from reports.tables import Report
from trainingcenter.templatetags.vn import vn_number
from trainingcenter.xlsx import INTEGER_FORMAT, PERCENT_FORMAT, Column

NO_SHARE = "–"  # a share with nothing to divide by, as the page shows it


def share_cell(value):
    """A share as the number Excel formats as a percent, or "–" without one."""
    return NO_SHARE if value is None else float(value)


def number_column(title: str, group: str = "", width: int = 10) -> Column:
    return Column(title, width, INTEGER_FORMAT, group)


def percent_column(title: str, group: str = "", width: int = 9) -> Column:
    return Column(title, width, PERCENT_FORMAT, group)


def report_titles(report: Report, heading: str) -> dict:
    """The title block of every sheet: issuing body, report name and period,
    the table's name and, for several centres, how many."""
    lines = [
        _("REPORT ON THE RESULTS OF POLITICAL THEORY EDUCATION %(period)s")
        % {"period": report.period.label.upper()},
        heading,
    ]
    if report.center_count > 1:
        lines.append(
            ngettext(
                "%(label)s: %(counter)s centre",
                "%(label)s: %(counter)s centres",
                report.center_count,
            )
            % {"label": report.scope_label, "counter": vn_number(report.center_count)}
        )
    return {
        "title_lines": [
            line for line in (report.issuer.superior, report.issuer.issuing) if line
        ],
        "heading_lines": lines,
    }
