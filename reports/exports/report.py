"""The report as an Excel workbook: an exporter on trainingcenter.xlsx.

One sheet per annex table of the page, with the page's columns and the same
numbers: they all come from one `tables.Report`, and shares are written as
the very Decimal fractions the page shows ("66,7%" is 0.667 with a percent
format), never as text. A last sheet lists every class of the period
(classes.py). Sheet names are Vietnamese data, not msgids: they are the same in
every interface language, like the annex numbers ("Biểu 1").
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _, ngettext

from reports.exports import (
    classes,
    number_column,
    percent_column,
    report_titles,
    share_cell,
)
from reports.tables import GRADES, Figures, Report
from trainingcenter.templatetags.vn import vn_number
from trainingcenter.text import search_key
from trainingcenter.xlsx import Column, Exporter, SheetSpec, SheetWriter

SHEETS = ("Biểu 1", "Chất lượng", "Biểu 2", "Biểu 3", "Đơn vị cử", classes.TITLE)
# After Biểu 1, for a period of several years (a term review).
YEARS_SHEET = "Theo năm"


class ReportWorkbook(Exporter):
    """The workbook of `report`.

    `centers` is the queryset the report was built from
    (`counting.build_report(centers, period, ...)`); the class list covers the
    classes of those centres that open in `report.period`. Export it where
    those classes may be read (inside the centre's scope, or across the
    centres of an organization: reports.scope.across_centers).
    """

    def __init__(self, report: Report, centers: QuerySet):
        self.report = report
        self.centers = centers

    def filename(self) -> str:
        """ "bao-cao-trung-tam-chinh-tri-x-2026.xlsx": ASCII, safe in any header."""
        period = self.report.period
        if period.whole_years and period.start.year == period.end.year:
            when = f"{period.start.year}"
        elif period.whole_years:
            when = f"{period.start.year}-{period.end.year}"
        else:
            when = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
        scope = slugify(search_key(self.report.scope_label))[:60].strip("-")
        return "-".join(part for part in ("bao-cao", scope, when) if part) + ".xlsx"

    def sheets(self) -> Iterable[SheetSpec]:
        report = self.report
        yield _programmes(report)
        if report.years:
            yield _years(report)
        yield _quality(report)
        yield _lecturers(report)
        yield _feedback(report)
        yield _units(report)
        yield classes.sheet(report, self.centers)


# Biểu 1 -----------------------------------------------------------------------


def _figure_columns() -> list[Column]:
    """figures_cells.html, column for column; each grade's share, printed in
    the grade's cell on the page, is a column of its own here."""
    plan, actual, share = _("Plan"), _("Actual"), _("Percent of plan")
    of_which, outcome, grades = _("Of which"), _("Outcome"), _("Grades")
    return [
        number_column(_("Classes"), plan),
        number_column(_("Trainees"), plan),
        number_column(_("Classes"), actual),
        number_column(_("Enrolments"), actual, 11),
        percent_column(_("Classes"), share),
        percent_column(_("Trainees"), share),
        number_column(_("Women"), of_which),
        number_column(_("Ethnic minorities"), of_which),
        number_column(_("At commune clusters (classes)"), of_which, 12),
        number_column(_("Co-organised (classes)"), of_which, 12),
        number_column(_("Completed"), outcome),
        number_column(_("Passed"), outcome),
        number_column(_("Certificates"), outcome, 11),
        *(
            column
            for title in (_("Excellent"), _("Good"), _("Average"), _("Not passed"))
            for column in (
                number_column(title, grades),
                percent_column(f"{title} (%)", grades),
            )
        ),
    ]


def _figure_values(f: Figures) -> list:
    return [
        f.target_classes,
        f.target_trainees,
        f.classes,
        f.enrolled,
        share_cell(f.plan_classes_share),
        share_cell(f.plan_trainees_share),
        *((None, None) if f.without_list and not f.listed else (f.women, f.minorities)),
        f.cluster_classes,
        f.co_organized_classes,
        f.completed,
        f.passed,
        f.certified,
        *(
            value
            for name in GRADES
            for value in (getattr(f, name), share_cell(f.grade_share(name)))
        ),
    ]


def _programmes(report: Report) -> SheetSpec:
    """Biểu 1 as bieu1.html: sections, block subtotals, programmes, TOTAL;
    the partners a programme's classes were co-organised with in a last column."""
    columns = [
        Column(_("No."), 6),
        Column(_("Programme"), 42),
        *_figure_columns(),
        Column(_("Co-organised with"), 30),
    ]

    def write(sheet: SheetWriter) -> None:
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
        sheet.append([])
        for rule in (report.grade_rule, report.unlisted_rule, report.plan_rule):
            if rule:
                sheet.note(rule)
        sheet.note(report.block_rule)
        if report.outside.classes:
            _outside(sheet, report)

    return SheetSpec(
        SHEETS[0],
        columns,
        write=write,
        **report_titles(report, _("Annex 1 – Classes opened")),
        freeze_columns=2,
        borders=True,
        wrap_columns=(1, len(columns) - 1),
    )


def _outside(sheet: SheetWriter, report: Report) -> None:
    """outside.html under Biểu 1: the classes outside the plan with those
    called and those who attended, in the columns of classes, enrolments and
    the first % of plan (so the rate keeps its percent format)."""
    sheet.append([])
    sheet.append(
        [
            None,
            _("Classes outside the plan: called and attended"),
            _("Classes"),
            _("Enrolments"),
            _("Called"),
            _("Attended"),
            _("Attendance rate"),
            _("Co-organised with"),
        ],
        bold=True,
    )
    rows = [r for s in report.sections if s.outside for g in s.groups for r in g.rows]
    for name, f, partners, bold in [
        *((r.name, r.figures, ", ".join(r.partners), False) for r in rows),
        (_("TOTAL"), report.outside, "", True),
    ]:
        known = [f.called, f.called_attended, share_cell(f.called_share)]
        if not f.called_classes:
            known = [_("not known")] * 3
        sheet.append([None, name, f.classes, f.enrolled, *known, partners], bold=bold)


def _years(report: Report) -> SheetSpec:
    """years.html: a column of classes and one of enrolments per year, then
    the total, for Biểu 1's parts, blocks and programmes."""
    table = report.years
    columns = [Column(_("Programme"), 46)]
    for year in [*table.years, _("Total")]:
        columns += [
            number_column(_("Classes"), str(year), 8),
            number_column(_("Enrolments"), str(year), 10),
        ]

    def write(sheet: SheetWriter) -> None:
        for row in table.rows:
            label = _("TOTAL") if row.level == "total" else row.label
            values = [value for cell in row.cells for value in cell]
            sheet.append([label, *values], bold=row.level != "row")

    return SheetSpec(
        YEARS_SHEET,
        columns,
        write=write,
        **report_titles(report, _("Classes and enrolments per year")),
        freeze_columns=1,
        borders=True,
        wrap_columns=(0,),
    )


# Learning results and attendance ----------------------------------------------


def _quality(report: Report) -> SheetSpec:
    """quality.html: per section and in total; each grade and the attendance
    as a count and its share (the page shows "1 (33,3%)" in one cell)."""
    number, share = _("Number"), "%"
    columns = [
        Column(_("Part"), 34),
        number_column(_("Enrolments"), width=11),
        number_column(_("Completed")),
        number_column(_("Passed")),
        number_column(_("Certificates"), width=11),
    ]
    for grade in (_("Excellent"), _("Good"), _("Average"), _("Not passed")):
        columns += [number_column(number, grade, 9), percent_column(share, grade)]
    attendance = _("Attendance")
    columns += [
        number_column(_("Present"), attendance),
        number_column(_("Attendance records"), attendance, 11),
        percent_column(share, attendance),
    ]

    def values(label, f: Figures) -> list:
        row = [label, f.enrolled, f.completed, f.passed, f.certified]
        for name in ("excellent", "good", "average", "failed"):
            row += [getattr(f, name), share_cell(f.grade_share(name))]
        return row + [f.attended, f.attendance_records, share_cell(f.attendance_share)]

    def write(sheet: SheetWriter) -> None:
        for section in report.sections:
            sheet.append(values(section.label, section.figures))
        sheet.append(values(_("TOTAL"), report.total), bold=True)

    return SheetSpec(
        SHEETS[1],
        columns,
        write=write,
        **report_titles(report, _("Learning results and attendance")),
        freeze_columns=1,
        borders=True,
        wrap_columns=(0,),
    )


# Biểu 2 -----------------------------------------------------------------------


def _lecturers(report: Report) -> SheetSpec:
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
        number_column(_("Sessions")),
        number_column(_("Periods taught"), width=11),
        number_column(_("Peer teaching"), activities, 11),
        number_column(_("Class observation"), activities, 11),
        Column(_("Contests (prize)"), 40),
    ]
    label_span = len(columns) - 5

    def write(sheet: SheetWriter) -> None:
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

    return SheetSpec(
        SHEETS[2],
        columns,
        write=write,
        **report_titles(report, _("Annex 2 – Lecturers")),
        freeze_columns=2,
        borders=True,
        wrap_columns=(*range(1, label_span), len(columns) - 1),
    )


# Biểu 3 -----------------------------------------------------------------------


def _feedback(report: Report) -> SheetSpec:
    """bieu3.html: forms given out and received, and per criterion the answers
    on each box with the share satisfied or very satisfied; then per lecturer."""
    table = report.feedback
    criteria = [
        column
        for label, _shares in table.total.cells
        for column in (
            number_column(_("Very satisfied"), label),
            number_column(_("Satisfied"), label),
            number_column(_("Not satisfied"), label),
            percent_column(_("Satisfied or very satisfied"), label, 12),
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
                share_cell(shares.pleased_share),
            )
        ]

    columns = [
        Column(_("No."), 6),
        Column(_("Centre") if table.by_center else _("Class"), 44),
        number_column(_("Forms given out")),
        number_column(_("Forms received")),
        *criteria,
    ]

    def write(sheet: SheetWriter) -> None:
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

    return SheetSpec(
        SHEETS[3],
        columns,
        write=write,
        **report_titles(report, _("Annex 3 – Learner feedback")),
        freeze_columns=2,
        borders=True,
        wrap_columns=(1,),
    )


# Sending units ----------------------------------------------------------------


def _units(report: Report) -> SheetSpec:
    """units.html with every unit (the page shows the first 30)."""
    columns = [
        Column(_("No."), 6),
        Column(_("Sending unit"), 56),
        number_column(_("Enrolments"), width=12),
        number_column(_("Passed"), width=12),
    ]

    def write(sheet: SheetWriter) -> None:
        for number, unit in enumerate(report.units, start=1):
            sheet.append(
                [
                    number,
                    unit.name or _("(no unit recorded)"),
                    unit.enrolled,
                    unit.passed,
                ]
            )

    return SheetSpec(
        SHEETS[4],
        columns,
        write=write,
        **report_titles(report, _("Enrolments by sending unit")),
        freeze_columns=2,
        landscape=False,
        borders=True,
        wrap_columns=(1,),
    )
