"""The report workbook's last sheet: every class that opens in the period,
streamed from the database so that memory stays flat for a province or the
whole country."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from courses.models import TrainingClass
from reports.counting import of_centers
from reports.exports import number_column, report_titles
from reports.tables import Report
from trainingcenter.xlsx import INTEGER_FORMAT, Column, SheetSpec, SheetWriter

TITLE = "Danh sách lớp"
CHUNK = 2000


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
        TrainingClass.objects.filter(of_centers(centers))
        .opened_between(period.start, period.end)
        .order_by("center__name", "start_date", "pk")
        .values_list(*CLASS_FIELDS)
        .iterator(chunk_size=CHUNK)
    )


def sheet(report: Report, centers: QuerySet) -> SheetSpec:
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
        number_column(_("Enrolments"), width=11),
        number_column(_("Completed")),
        number_column(_("Passed")),
        number_column(_("Certificates"), width=11),
    ]

    def write(sheet: SheetWriter) -> None:
        yes, no = _("Yes"), _("No")
        sums = [0, 0, 0, 0]
        for number, row in enumerate(class_rows(report, centers), start=1):
            center, programme, intake, start, end, venue, in_plan, co_organized = row[
                :8
            ]
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
        sheet.append([_("TOTAL"), *[None] * 8, *sums], bold=True, span=9)

    return SheetSpec(
        TITLE,
        columns,
        write=write,
        **report_titles(report, _("Classes opened in the period")),
        freeze_columns=3,
    )
