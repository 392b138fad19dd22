"""The summary report as an Excel workbook (issue 6, item 6).

One sheet per annex table of the page, with the page's columns and the same
numbers: they all come from one `counting.Report`, and shares are written as
the very Decimal fractions the page shows ("66,7%" is 0.667 with a percent
format), never as text. A last sheet lists every class of the period, streamed
from the database so that memory stays flat for a province or the whole
country. Sheet names are Vietnamese data, not msgids: they are the same in
every interface language, like the annex numbers ("Biểu 1").
"""

from collections.abc import Iterable
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _, ngettext

from courses.models import TrainingClass
from reports.tables import Figures, Report
from trainingcenter.templatetags.vn import vn_number
from trainingcenter.text import search_key
from trainingcenter.xlsx import (
    INTEGER_FORMAT,
    PERCENT_FORMAT,
    Column,
    SheetWriter,
    new_workbook,
    save_workbook,
)

SHEETS = ("Biểu 1", "Chất lượng", "Biểu 2", "Biểu 3", "Đơn vị cử", "Danh sách lớp")
NO_SHARE = "–"  # a share with nothing to divide by, as the page shows it
CHUNK = 2000


def report_workbook(report: Report, centers: QuerySet) -> bytes:
    """The workbook of `report`, as bytes.

    `centers` is the queryset the report was built from
    (`counting.build_report(centers, period, ...)`); the class list covers the
    classes of those centres that open in `report.period`. Call it where those
    classes may be read (inside the centre's scope, or `scopes_disabled()`).
    """
    return save_workbook(_build(report, centers))


def write_report_workbook(report: Report, centers: QuerySet, out: BinaryIO) -> None:
    """The same workbook written to the binary file `out` (no copy in memory)."""
    save_workbook(_build(report, centers), out)


def file_name(report: Report) -> str:
    """ "bao-cao-trung-tam-chinh-tri-x-2026.xlsx": ASCII, safe in any header."""
    period = report.period
    if period.whole_years and period.start.year == period.end.year:
        when = f"{period.start.year}"
    elif period.whole_years:
        when = f"{period.start.year}-{period.end.year}"
    else:
        when = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    scope = slugify(search_key(report.scope_label))[:60].strip("-")
    return "-".join(part for part in ("bao-cao", scope, when) if part) + ".xlsx"


def _build(report: Report, centers: QuerySet):
    book = new_workbook()
    _programmes(book, report)
    _quality(book, report)
    _lecturers(book, report)
    _feedback(book, report)
    _units(book, report)
    _classes(book, report, centers)
    return book


def _titles(report: Report, heading: str) -> dict:
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


def _share(value):
    return NO_SHARE if value is None else float(value)


def _number(title: str, group: str = "", width: int = 10) -> Column:
    return Column(title, width, INTEGER_FORMAT, group)


def _percent(title: str, group: str = "", width: int = 9) -> Column:
    return Column(title, width, PERCENT_FORMAT, group)


# Biểu 1 -----------------------------------------------------------------------


def _figure_columns() -> list[Column]:
    """figures_cells.html, column for column."""
    plan, actual, share = _("Plan"), _("Actual"), _("Percent of plan")
    of_which, outcome, grades = _("Of which"), _("Outcome"), _("Grades")
    return [
        _number(_("Classes"), plan),
        _number(_("Trainees"), plan),
        _number(_("Classes"), actual),
        _number(_("Enrolments"), actual, 11),
        _percent(_("Classes"), share),
        _percent(_("Trainees"), share),
        _number(_("Women"), of_which),
        _number(_("Ethnic minorities"), of_which),
        _number(_("At commune clusters (classes)"), of_which, 12),
        _number(_("Co-organised (classes)"), of_which, 12),
        _number(_("Completed"), outcome),
        _number(_("Passed"), outcome),
        _number(_("Certificates"), outcome, 11),
        _number(_("Excellent"), grades),
        _number(_("Good"), grades),
        _number(_("Average"), grades),
        _number(_("Not passed"), grades),
    ]


def _figure_values(f: Figures) -> list:
    return [
        f.target_classes,
        f.target_trainees,
        f.classes,
        f.enrolled,
        _share(f.plan_classes_share),
        _share(f.plan_trainees_share),
        f.women,
        f.minorities,
        f.cluster_classes,
        f.co_organized_classes,
        f.completed,
        f.passed,
        f.certified,
        f.excellent,
        f.good,
        f.average,
        f.failed,
    ]


def _programmes(book, report: Report) -> None:
    """Biểu 1 as bieu1.html: sections, block subtotals, programmes, TOTAL;
    the partners a programme's classes were co-organised with in a last column."""
    columns = [
        Column(_("No."), 6),
        Column(_("Programme"), 42),
        *_figure_columns(),
        Column(_("Co-organised with"), 30),
    ]
    sheet = SheetWriter(
        book,
        SHEETS[0],
        columns,
        **_titles(report, _("Annex 1 – Classes opened")),
        freeze_columns=2,
        borders=True,
        wrap_columns=(1, len(columns) - 1),
    )
    for section in report.sections:
        sheet.append(
            [section.label, None, *_figure_values(section.figures), None],
            bold=True,
            span=2,
        )
        for group in section.groups:
            if group.label:
                sheet.append(
                    [group.label, None, *_figure_values(group.figures), None],
                    bold=True,
                    span=2,
                )
            for row in group.rows:
                sheet.append(
                    [
                        row.number,
                        row.name,
                        *_figure_values(row.figures),
                        ", ".join(row.partners),
                    ]
                )
    sheet.append(
        [_("TOTAL"), None, *_figure_values(report.total), None], bold=True, span=2
    )
    if report.partners:
        sheet.append([])
        partners = "; ".join(
            "{} ({})".format(
                name,
                ngettext("%(counter)s class", "%(counter)s classes", count)
                % {"counter": vn_number(count)},
            )
            for name, count in report.partners
        )
        sheet.note(f"{_('Co-organised with')}: {partners}")


# Learning results and attendance ----------------------------------------------


def _quality(book, report: Report) -> None:
    """quality.html: per section and in total; each grade and the attendance
    as a count and its share (the page shows "1 (33,3%)" in one cell)."""
    number, share = _("Number"), "%"
    columns = [
        Column(_("Part"), 34),
        _number(_("Enrolments"), width=11),
        _number(_("Completed")),
        _number(_("Passed")),
        _number(_("Certificates"), width=11),
    ]
    for grade in (_("Excellent"), _("Good"), _("Average"), _("Not passed")):
        columns += [_number(number, grade, 9), _percent(share, grade)]
    attendance = _("Attendance")
    columns += [
        _number(_("Present"), attendance),
        _number(_("Attendance records"), attendance, 11),
        _percent(share, attendance),
    ]
    sheet = SheetWriter(
        book,
        SHEETS[1],
        columns,
        **_titles(report, _("Learning results and attendance")),
        freeze_columns=1,
        borders=True,
        wrap_columns=(0,),
    )

    def values(label, f: Figures) -> list:
        row = [label, f.enrolled, f.completed, f.passed, f.certified]
        for name in ("excellent", "good", "average", "failed"):
            row += [getattr(f, name), _share(f.grade_share(name))]
        return row + [f.attended, f.attendance_records, _share(f.attendance_share)]

    for section in report.sections:
        sheet.append(values(section.label, section.figures))
    sheet.append(values(_("TOTAL"), report.total), bold=True)


# Biểu 2 -----------------------------------------------------------------------


def _lecturers(book, report: Report) -> None:
    """bieu2.html: every lecturer, then the totals by kind (full-time, concurrent).

    Peer teaching and observations, one cell on the page ("2 / 3"), are two
    number columns here; the contests are text, one line per contest.
    """
    several = report.center_count > 1
    activities = _("Peer teaching / observations")
    columns = [
        Column(_("No."), 6),
        Column(_("Full name"), 28),
        *([Column(_("Centre"), 28)] if several else []),
        Column(_("Position, unit"), 36),
        Column(_("Full-time / concurrent"), 16),
        Column(_("Qualifications"), 30),
        _number(_("Sessions")),
        _number(_("Periods taught"), width=11),
        _number(_("Peer teaching"), activities, 11),
        _number(_("Class observation"), activities, 11),
        Column(_("Contests (prize)"), 40),
    ]
    label_span = len(columns) - 5
    sheet = SheetWriter(
        book,
        SHEETS[2],
        columns,
        **_titles(report, _("Annex 2 – Lecturers")),
        freeze_columns=2,
        borders=True,
        wrap_columns=(*range(1, label_span), len(columns) - 1),
    )
    for number, lecturer in enumerate(report.lecturers, start=1):
        sheet.append(
            [
                number,
                lecturer.name,
                *([lecturer.center] if several else []),
                lecturer.position,
                lecturer.kind_label,
                lecturer.qualifications,
                lecturer.sessions,
                lecturer.periods,
                lecturer.peer_teaching,
                lecturer.observations,
                "\n".join(lecturer.awards) or None,
            ]
        )
    for kind in report.lecturer_kinds:
        sheet.append(
            [
                f"{kind.label}: {vn_number(kind.count)} {_('lecturers')}",
                *[None] * (label_span - 1),
                None,
                kind.periods,
                kind.peer_teaching,
                kind.observations,
                ngettext("%(prizes)s prize", "%(prizes)s prizes", kind.prizes)
                % {"prizes": vn_number(kind.prizes)}
                if kind.prizes
                else None,
            ],
            bold=True,
            span=label_span,
        )


# Biểu 3 -----------------------------------------------------------------------


def _feedback(book, report: Report) -> None:
    """bieu3.html: forms given out and received, and per criterion the answers
    on each box with the share satisfied or very satisfied; then per lecturer."""
    table = report.feedback
    criteria = [
        column
        for label, _shares in table.total.cells
        for column in (
            _number(_("Very satisfied"), label),
            _number(_("Satisfied"), label),
            _number(_("Not satisfied"), label),
            _percent(_("Satisfied or very satisfied"), label, 12),
        )
    ]

    def cells(row):
        return [
            value
            for _label, shares in row.cells
            for value in (
                shares.very_satisfied,
                shares.satisfied,
                shares.not_satisfied,
                _share(shares.pleased_share),
            )
        ]

    columns = [
        Column(_("No."), 6),
        Column(_("Centre") if table.by_center else _("Class"), 44),
        _number(_("Forms given out")),
        _number(_("Forms received")),
        *criteria,
    ]
    sheet = SheetWriter(
        book,
        SHEETS[3],
        columns,
        **_titles(report, _("Annex 3 – Learner feedback")),
        freeze_columns=2,
        borders=True,
        wrap_columns=(1,),
    )
    for number, row in enumerate(table.rows, start=1):
        sheet.append([number, row.label, row.given, row.received, *cells(row)])
    total = table.total
    sheet.append(
        [_("TOTAL"), None, total.given, total.received, *cells(total)],
        bold=True,
        span=2,
    )
    if table.lecturers:
        sheet.append([])
        sheet.append([_("By lecturer")], bold=True)
        for number, row in enumerate(table.lecturers, start=1):
            sheet.append([number, row.label, None, row.received, *cells(row)])


# Sending units ----------------------------------------------------------------


def _units(book, report: Report) -> None:
    """units.html with every unit (the page shows the first 30)."""
    columns = [
        Column(_("No."), 6),
        Column(_("Sending unit"), 56),
        _number(_("Enrolments"), width=12),
        _number(_("Passed"), width=12),
    ]
    sheet = SheetWriter(
        book,
        SHEETS[4],
        columns,
        **_titles(report, _("Enrolments by sending unit")),
        freeze_columns=2,
        landscape=False,
        borders=True,
        wrap_columns=(1,),
    )
    for number, unit in enumerate(report.units, start=1):
        sheet.append(
            [number, unit.name or _("(no unit recorded)"), unit.enrolled, unit.passed]
        )


# Classes ----------------------------------------------------------------------

CLASS_FIELDS = (
    "center__name",
    "class_type__name",
    "intake_label",
    "start_date",
    "end_date",
    "venue",
    "counted_in_plan",
    "summary__co_organized",
    "summary__enrolled",
    "summary__completed",
    "summary__passed",
    "summary__certified",
)


def class_rows(report: Report, centers: QuerySet) -> Iterable[tuple]:
    """The classes of `centers` that open in the report's period, by centre
    and start date, as plain values, streamed in chunks (CLASS_FIELDS order)."""
    period = report.period
    return (
        TrainingClass.objects.filter(center__in=centers)
        .opened_between(period.start, period.end)
        .order_by("center__name", "start_date", "pk")
        .values_list(*CLASS_FIELDS)
        .iterator(chunk_size=CHUNK)
    )


def _classes(book, report: Report, centers: QuerySet) -> None:
    """One row per class, with its summary counts; a TOTAL row that equals
    Biểu 1's (both sum the same ClassSummary rows)."""

    def field(name):
        return capfirst(TrainingClass._meta.get_field(name).verbose_name)

    columns = [
        Column(_("No."), 7, INTEGER_FORMAT),
        Column(_("Centre"), 26),
        Column(_("Programme"), 46),
        Column(field("intake_label"), 12),
        Column(field("start_date"), 12),
        Column(field("end_date"), 12),
        Column(field("venue"), 34),
        Column(field("counted_in_plan"), 11),
        Column(_("Co-organised"), 11),
        _number(_("Enrolments"), width=11),
        _number(_("Completed")),
        _number(_("Passed")),
        _number(_("Certificates"), width=11),
    ]
    sheet = SheetWriter(
        book,
        SHEETS[5],
        columns,
        **_titles(report, _("Classes opened in the period")),
        freeze_columns=3,
    )
    yes, no = _("Yes"), _("No")
    sums = [0, 0, 0, 0]
    number = 0
    for number, row in enumerate(class_rows(report, centers), start=1):
        (center, programme, intake, start, end, venue, in_plan, co_organized) = row[:8]
        counts = [value or 0 for value in row[8:]]
        sums = [a + b for a, b in zip(sums, counts, strict=True)]
        sheet.append_plain(
            [
                number,
                center,
                programme,
                intake,
                start,
                end,
                venue,
                yes if in_plan else no,
                yes if co_organized else no,
                *counts,
            ]
        )
    sheet.filter_header()
    sheet.append(
        [
            _("TOTAL"),
            *[None] * 8,
            *sums,
        ],
        bold=True,
        span=9,
    )
