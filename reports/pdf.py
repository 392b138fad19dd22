"""The report as a party document in PDF.

The annex tables are the report page's own includes rendered over the same
`Report`, so the PDF cannot show another figure than the page. The sentences
of the body are written from the same figures here. A report with many table
rows is laid out by a background job (reports/jobs.py) instead of inside the
request: WeasyPrint needs about a quarter of a second per table-heavy page.
"""

import base64
import datetime
import io
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _, ngettext

from reports import charts, counting, scope, wording
from reports.counting import Period
from reports.tables import Report, share
from trainingcenter.pdf import render_pdf
from trainingcenter.templatetags.vn import vn_number, vn_percent
from trainingcenter.text import search_key

# Laid out in the request up to this many table rows (programmes, lecturers,
# sending units); beyond it a background job. WeasyPrint needs about 250 ms
# per table-heavy page (measured by bench/report_bench.py).
INLINE_ROWS = 300


def inline_rows() -> int:
    return getattr(settings, "REPORT_PDF_INLINE_ROWS", INLINE_ROWS)


def row_count(report: Report) -> int:
    """The table rows of the annexes: what the layout time grows with."""
    return len(report.programme_rows) + len(report.lecturers) + len(report.units)


def build(target: scope.Scope, period: Period) -> Report:
    """The report of `target` over `period`, every sending unit included."""
    return counting.build_report(
        target.centers, period, scope_label=target.label, issuer=target.issuer
    )


def filename(target: scope.Scope, period: Period) -> str:
    """ "bao-cao-trung-tam-chinh-tri-da-lat-2026.pdf": ASCII, safe in any header."""
    if period.whole_years and period.start.year == period.end.year:
        when = str(period.start.year)
    elif period.whole_years:
        when = f"{period.start.year}-{period.end.year}"
    else:
        when = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    name = slugify(search_key(target.label))[:80].strip("-")
    return "-".join(part for part in ("bao-cao", name, when) if part) + ".pdf"


# The body: numbered parts of full sentences written from the figures.


@dataclass
class Part:
    """A numbered heading of the body and its paragraphs."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    # Lines set as a list under the first paragraph ("a) Đào tạo: …").
    items: list[str] = field(default_factory=list)
    charts: list = field(default_factory=list)


def _n(value) -> str:
    return vn_number(value)


def _classes(count: int) -> str:
    return ngettext("%(counter)s class", "%(counter)s classes", count) % {
        "counter": _n(count)
    }


def _when(period: Period) -> str:
    if period.whole_years:
        return _("In %(period)s") % {"period": period.label}
    return _("In the period %(period)s") % {"period": period.label}


def _part_name(label: str) -> str:
    """ "II. BỒI DƯỠNG" -> "Bồi dưỡng"; "A. Khối Đảng" -> "Khối Đảng"."""
    name = label.split(". ", 1)[-1]
    return name.capitalize() if name.isupper() else name


def _change(count: int, more: str, fewer: str, same: str) -> str:
    if count > 0:
        return more % {"count": _n(count)}
    if count < 0:
        return fewer % {"count": _n(-count)}
    return same


def _opening(report: Report) -> str:
    """The classes of the plan against it, those outside it, and in all."""
    text = wording.in_plan(report, _when(report.period))
    apart = wording.outside(report)
    if apart:
        text += " " + apart
    return f"{text} {wording.in_all(report)}"


def _comparison(report: Report) -> str:
    before = report.previous_total
    if not (before.classes or before.enrolled):
        return wording.no_previous(report)
    classes = _change(
        report.change_classes,
        _("%(count)s more classes"),
        _("%(count)s fewer classes"),
        _("the same number of classes"),
    )
    enrolled = _change(
        report.change_enrolled,
        _("%(count)s more enrolments"),
        _("%(count)s fewer enrolments"),
        _("the same number of enrolments"),
    )
    if report.change_enrolled:
        rate = vn_percent(share(abs(report.change_enrolled), before.enrolled))
        way = _("up %(share)s") if report.change_enrolled > 0 else _("down %(share)s")
        enrolled += f" ({way % {'share': rate}})"
    return _(
        "Compared with %(previous)s (%(classes)s classes, %(enrolled)s "
        "enrolments): %(class_change)s, %(enrolled_change)s."
    ) % {
        "previous": report.previous_label,
        "classes": _n(before.classes),
        "enrolled": _n(before.enrolled),
        "class_change": classes,
        "enrolled_change": enrolled,
    }


def _figures_line(name: str, figures) -> str:
    return _("%(name)s: %(classes)s classes, %(enrolled)s enrolments") % {
        "name": name,
        "classes": _n(figures.classes),
        "enrolled": _n(figures.enrolled),
    }


def _line(name: str, figures, rows) -> str:
    """ "Khối Đảng: 19 lớp, 1.610 lượt học viên, gồm: …; …" (one line of 1.)."""
    head = _figures_line(name, figures)
    if len(rows) == 1 and rows[0].figures.classes:
        if search_key(rows[0].name) == search_key(name):
            return f"{head}."  # the part is its one programme: no need to repeat
        return f"{head} ({rows[0].name})."
    programmes = "; ".join(
        _figures_line(row.name, row.figures)
        if row.figures.classes
        else _("%(programme)s: no class yet (plan: %(target)s classes)")
        % {"programme": row.name, "target": _n(row.figures.target_classes)}
        for row in rows
    )
    return head + ", " + _("namely: %(programmes)s") % {"programmes": programmes} + "."


def _kinds(report: Report) -> list[str]:
    """One line per part of Biểu 1 (đào tạo, bồi dưỡng by block, nghị quyết)."""
    items = []
    for letter, section in zip("abcdefgh", report.sections, strict=False):
        name = _part_name(section.label)
        groups = [g for g in section.groups if g.rows]
        if len(groups) == 1 and not groups[0].label:
            items.append(f"{letter}) {_line(name, section.figures, groups[0].rows)}")
            continue
        items.append(
            f"{letter}) {_figures_line(name, section.figures)}, " + _("of which:")
        )
        for group in groups:
            items.append(
                f"– {_line(_part_name(group.label), group.figures, group.rows)}"
            )
    return items


def _who(report: Report) -> list[str]:
    """Women and minorities, clusters and partners, sending units."""
    total = report.total
    paragraphs = []
    if total.listed:
        among = (
            _(
                "Among the %(listed)s enrolments of classes with a list of "
                "trainees, %(women)s were women (%(women_share)s) and "
                "%(minorities)s were from ethnic minorities (%(minorities_share)s)."
            )
            if total.without_list
            else _(
                "Among the enrolments, %(women)s were women (%(women_share)s) and "
                "%(minorities)s were from ethnic minorities (%(minorities_share)s)."
            )
        )
        paragraphs.append(
            among
            % {
                "listed": _n(total.listed),
                "women": _n(total.women),
                "women_share": vn_percent(total.women_share),
                "minorities": _n(total.minorities),
                "minorities_share": vn_percent(total.minorities_share),
            }
        )
    held = []
    if total.cluster_classes:
        held.append(
            _("%(count)s classes were held at commune clusters")
            % {"count": _n(total.cluster_classes)}
        )
    if report.partners:
        partners = "; ".join(
            f"{name} ({_classes(count)})" for name, count in report.partners
        )
        held.append(
            _("%(count)s classes were co-organised with: %(partners)s")
            % {"count": _n(total.co_organized_classes), "partners": partners}
        )
    if held:
        paragraphs.append("; ".join(held) + ".")
    named = [unit for unit in report.units if unit.name]
    if named:
        sent = (
            _(
                "The %(listed)s enrolments of classes with a list of trainees "
                "were sent by %(count)s units; the most by %(top)s."
            )
            if total.without_list
            else _("The trainees were sent by %(count)s units; the most by %(top)s.")
        )
        paragraphs.append(
            sent
            % {
                "listed": _n(total.listed),
                "count": _n(len(named)),
                "top": "; ".join(
                    _("%(unit)s (%(count)s enrolments)")
                    % {"unit": unit.name, "count": _n(unit.enrolled)}
                    for unit in named[:3]
                ),
            }
        )
    return paragraphs


def _quality(report: Report) -> list[str]:
    total = report.total
    paragraphs = []
    if total.completed:
        paragraphs.append(
            _(
                "%(completed)s enrolments completed the programme and %(passed)s "
                "passed (%(share)s of those who completed)."
            )
            % {
                "completed": _n(total.completed),
                "passed": _n(total.passed),
                "share": vn_percent(share(total.passed, total.completed)),
            }
        )
    else:
        paragraphs.append(_("No class of the period has results yet."))
    if total.graded:
        paragraphs.append(
            _(
                "Of the %(graded)s assessed enrolments, %(excellent)s were excellent "
                "(%(excellent_share)s), %(good)s good (%(good_share)s), %(average)s "
                "average (%(average_share)s) and %(failed)s did not pass "
                "(%(failed_share)s); excellent and good together: %(top_share)s."
            )
            % {
                "graded": _n(total.assessed),
                **{
                    name: _n(getattr(total, name))
                    for name in ("excellent", "good", "average", "failed")
                },
                **{
                    f"{name}_share": vn_percent(total.grade_share(name))
                    for name in ("excellent", "good", "average", "failed")
                },
                "top_share": vn_percent(
                    share(total.excellent + total.good, total.assessed)
                ),
            }
        )
    if total.graded and total.ungraded:
        # Without it the grades above would not add up to those assessed.
        paragraphs[-1] += " " + _(
            "The other %(ungraded)s (%(ungraded_share)s) passed programmes "
            "assessed only as pass or fail, without a grade."
        ) % {
            "ungraded": _n(total.ungraded),
            "ungraded_share": vn_percent(share(total.ungraded, total.assessed)),
        }
    if total.attendance_records:
        paragraphs.append(
            _(
                "Attendance: trainees were present at %(attended)s of "
                "%(records)s recorded places in sessions, %(share)s."
            )
            % {
                "attended": _n(total.attended),
                "records": _n(total.attendance_records),
                "share": vn_percent(total.attendance_share),
            }
        )
    return paragraphs


def _lecturers(report: Report) -> list[str]:
    if not report.lecturers:
        return [_("No lecturer is recorded.")]
    kinds = "; ".join(
        _("%(kind)s %(count)s, who taught %(periods)s periods")
        % {
            "kind": kind.label.lower(),
            "count": _n(kind.count),
            "periods": _n(kind.periods),
        }
        for kind in report.lecturer_kinds
    )
    taught = _(
        "The lecturers number %(count)s: %(kinds)s. In all they taught "
        "%(sessions)s sessions, %(periods)s periods."
    ) % {
        "count": _n(len(report.lecturers)),
        "kinds": kinds,
        "sessions": _n(sum(r.sessions for r in report.lecturers)),
        "periods": _n(sum(r.periods for r in report.lecturers)),
    }
    if not any(r.sessions for r in report.lecturers):
        taught = _(
            "The lecturers number %(count)s: %(kinds)s. No session of this "
            "period records who taught it."
        ) % {
            "count": _n(len(report.lecturers)),
            "kinds": ", ".join(
                f"{kind.label.lower()} {_n(kind.count)}"
                for kind in report.lecturer_kinds
            ),
        }
    peer_teaching = sum(r.peer_teaching for r in report.lecturers)
    observations = sum(r.observations for r in report.lecturers)
    contests = sum(len(r.awards) for r in report.lecturers)
    if not (peer_teaching or observations or contests):
        return [
            taught,
            _("No peer teaching, class observation or contest is recorded."),
        ]
    return [
        taught,
        # The annex's "thao giảng, dự giờ" and "Hội thi giảng viên".
        _(
            "In the period there were %(peer_teaching)s peer-teaching lessons and "
            "%(observations)s class observations; lecturers won %(prizes)s prizes "
            "at lecturer contests."
        )
        % {
            "peer_teaching": _n(peer_teaching),
            "observations": _n(observations),
            "prizes": _n(sum(r.prizes for r in report.lecturers)),
        },
    ]


def _certificates(report: Report) -> list[str]:
    total = report.total
    if not total.certified:
        return [_("No certificate has been issued yet for the classes of the period.")]
    return [
        _(
            "%(certified)s certificates and diplomas were issued (%(share)s of "
            "the enrolments that passed)."
        )
        % {
            "certified": _n(total.certified),
            "share": vn_percent(share(total.certified, total.passed)),
        }
    ]


def _feedback(report: Report) -> list[str]:
    table = report.feedback
    if table is None or not table.total.received:
        return []
    total = table.total
    return [
        _(
            "Learner feedback forms: %(received)s received of %(given)s given out "
            "(%(share)s). Satisfied or very satisfied: %(criteria)s."
        )
        % {
            "received": _n(total.received),
            "given": _n(total.given),
            "share": vn_percent(total.received_share),
            "criteria": ", ".join(
                f"{label.lower()} {vn_percent(shares.pleased_share)}"
                for label, shares in total.cells
            ),
        }
    ]


def body(report: Report, report_charts: list) -> list[Part]:
    """Section I of the report, "Kết quả thực hiện", in four numbered parts."""
    opened = Part(
        _("1. Classes opened"),
        [_opening(report) + " " + _comparison(report)],
        _kinds(report),
        report_charts,
    )
    opened.paragraphs += _who(report)
    return [
        opened,
        Part(
            _("2. Quality of teaching and learning"),
            _quality(report) + _feedback(report),
        ),
        Part(_("3. Lecturers"), _lecturers(report)),
        Part(_("4. Certificates"), _certificates(report)),
    ]


# Rendering


@dataclass
class PrintedChart:
    """A chart of the page (reports/charts.py) and its print width: "full"
    (the text width, as high as it needs) or "small" (the pie)."""

    chart: charts.Chart
    shape: str


def _printed(chart: charts.Chart) -> PrintedChart:
    # pygal writes the SVG's own size on its root element (explicit_size).
    svg = base64.b64decode(chart.uri.partition(",")[2])[:2000].decode(errors="ignore")
    size = re.search(r'width="(\d+)"', svg)
    small = size is not None and int(size.group(1)) < 700
    return PrintedChart(chart, "small" if small else "full")


def context(report: Report, target: scope.Scope, *, today: datetime.date) -> dict:
    """What reports/print/report.html prints, in the active language."""
    report_charts = charts.charts(report)
    return {
        "report": report,
        "scope": target,
        "parts": body(report, [_printed(chart) for chart in report_charts]),
        # print/base.html prints the header from a centre's fields; the
        # report's issuer may be an organization, so it lends them.
        "center": SimpleNamespace(
            superior_body_line=report.issuer.superior,
            issuing_body_name=report.issuer.issuing,
            place_name=report.issuer.place,
        ),
        "document_date": today,
        "symbol": "BC/TTCT" if target.center_id else "BC",
        "units": report.units,
    }


def render(
    report: Report, target: scope.Scope, *, today: datetime.date, **text
) -> bytes:
    """The PDF of `report`, with the director's parts and the issued number
    when given (reports/document.py); the document is always Vietnamese."""
    from reports import document

    with translation.override("vi"):
        printed = document.context(report, target, today=today, **text)
        return render_pdf("reports/print/report.html", printed)


def page_count(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)
