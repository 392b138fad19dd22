"""The committees' rollups as Excel workbooks, in their print format.

Each workbook is laid out like the committee's own tables: the issuing body
and title block, units (or centres, or people) as rows, programmes as
columns under a group header, a bold totals row, A4 landscape fitted to the
page width, header rows repeated, true numbers with Vietnamese formats. Every
cell goes through trainingcenter.xlsx (formula-safe).
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reports import rollups
from reports.counting import Period
from reports.exports import share_cell
from reports.scope import Scope
from trainingcenter.models import Organization
from trainingcenter.text import search_key
from trainingcenter.xlsx import (
    DATE_FORMAT,
    INTEGER_FORMAT,
    PERCENT_FORMAT,
    Column,
    Exporter,
    SheetSpec,
    SheetWriter,
)

GENDERS = {"female": "Nữ", "male": "Nam"}
FILE_PREFIXES = {
    "units": "tong-hop-theo-don-vi",
    "certified": "danh-sach-cap-gcn",
    "centers": "tong-hop-theo-trung-tam",
    "pipeline": "nguon-ket-nap-dang",
}

# Written in the request up to this many rows; beyond it by the background
# worker (reports/jobs.py), followed on a progress page. openpyxl writes about
# 5.000 framed rows a second here: 3.000 rows hold a server process ~0,6 s.
INLINE_ROWS = 3000
# How often a long list reports how far it has got (rows).
PROGRESS_EVERY = 2000


def inline_rows() -> int:
    return getattr(settings, "ROLLUP_XLSX_INLINE_ROWS", INLINE_ROWS)


def file_name(kind: str, target: Scope, period: Period) -> str:
    when = (
        f"{period.start.year}"
        if period.whole_years and period.start.year == period.end.year
        else f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    )
    scope = slugify(search_key(target.label))[:50].strip("-")
    return f"{FILE_PREFIXES[kind]}-{scope}-{when}.xlsx"


def titles(target: Scope, title: str, filters: rollups.Filters) -> dict:
    """The title block: the issuing body, the rollup's name, what it covers."""
    parts = [filters.period.label]
    if filters.programme:
        parts.append(filters.programme.name)
    if filters.unit:
        parts.append(filters.unit.name)
    if filters.by_today:
        parts.append(_("units grouped under today's communes"))
    parts.append(target.label)
    return {
        "title_lines": [
            line for line in (target.issuer.superior, target.issuer.issuing) if line
        ],
        "heading_lines": [title.upper(), " – ".join(parts)],
    }


def _ignore(done: int, total: int) -> None:
    pass


class RollupWorkbook(Exporter):
    """A rollup of `kind` over `target`'s centres. A long list calls
    `progress(done, total)` every PROGRESS_EVERY rows (the background job's
    progress bar); `today` is the day the pipeline is as of."""

    kind = ""

    def __init__(
        self,
        target: Scope,
        filters: rollups.Filters,
        today: datetime.date,
        progress: Callable[[int, int], None] | None = None,
    ):
        self.target = target
        self.filters = filters
        self.today = today
        self.progress = progress or _ignore

    def filename(self) -> str:
        return file_name(self.kind, self.target, self.filters.period)

    def row_count(self) -> int:
        """About how many rows the workbook will have, counted in the
        database: what the time to write it grows with."""
        raise NotImplementedError

    def titles(self, title: str) -> dict:
        return titles(self.target, title, self.filters)


class UnitsWorkbook(RollupWorkbook):
    """Three sheets of units × programmes: trainees sent (with the classes
    attended), passed, certified. One sheet with all three per programme
    would be three dozen columns, unreadable on an A4 page."""

    kind = "units"

    def row_count(self) -> int:
        # At most every unit under the organization, on three sheets.
        return 3 * len(Organization.objects.subtree_ids([self.target.organization_id]))

    def sheets(self) -> Iterable[SheetSpec]:
        rollup = rollups.by_unit(self.target.centers, self.filters, self.target.units)
        yield self._sheet(rollup, _("Trainees sent"), "sent", with_classes=True)
        yield self._sheet(rollup, _("Passed"), "passed")
        yield self._sheet(rollup, _("Certified"), "certified")

    def _sheet(self, rollup, title: str, measure: str, with_classes=False):
        group = _("%(measure)s, by programme") % {"measure": title}
        columns = [Column(_("No."), 6), Column(_("Unit"), 42)]
        if with_classes:
            columns.append(Column(_("Classes attended"), 9, INTEGER_FORMAT))
        columns += [
            Column(p.name, 12, INTEGER_FORMAT, group) for p in rollup.programmes
        ]
        columns.append(Column(_("Total"), 10, INTEGER_FORMAT))

        def values(row):
            cells = [row.total.classes] if with_classes else []
            cells += [getattr(c, measure) for c in row.cells(rollup.programmes)]
            return [*cells, getattr(row.total, measure)]

        def write(sheet: SheetWriter) -> None:
            for number, row in enumerate(rollup.rows, start=1):
                name = row.name or _("(no unit recorded)")
                sheet.append([number, name, *values(row)])
            sheet.append([_("Total"), "", *values(rollup.total)], bold=True, span=2)
            if rollup.without_roster_note:
                sheet.note(rollup.without_roster_note)

        heading = _("Training results by sending unit: %(measure)s") % {
            "measure": title.lower()
        }
        return SheetSpec(
            title,
            columns,
            write=write,
            **self.titles(heading),
            freeze_columns=2,
            borders=True,
            wrap_columns=(1,),
        )


class CertifiedWorkbook(RollupWorkbook):
    """The certified trainees of each unit, one plain row per certificate."""

    kind = "certified"

    def row_count(self) -> int:
        return rollups.certified(
            self.target.centers, self.filters, self.target.units
        ).count()

    def sheets(self) -> Iterable[SheetSpec]:
        columns = [
            Column(_("No."), 6),
            Column(_("Unit"), 32),
            Column(_("Full name"), 26),
            Column(_("Gender"), 7),
            Column(_("Programme"), 34),
            Column(_("Class"), 14),
            Column(_("Opened on"), 11, DATE_FORMAT),
            Column(_("Certificate number"), 16),
            Column(_("Issued on"), 11, DATE_FORMAT),
            Column(_("Valid until"), 11, DATE_FORMAT),
        ]
        yield SheetSpec(
            _("Certified trainees"),
            columns,
            write=self._write,
            **self.titles(_("Certified trainees by unit")),
            freeze_columns=3,
        )

    def _write(self, sheet: SheetWriter) -> None:
        rows = rollups.certified(self.target.centers, self.filters, self.target.units)
        units = rows.order_by().values_list("enrollment__unit_id", flat=True)
        names = rollups.unit_names(set(units.distinct()), self.filters.by_today)
        total = rows.count()
        for number, row in enumerate(rows.iterator(chunk_size=2000), start=1):
            if number % PROGRESS_EVERY == 0:
                self.progress(number, total)
            unit, name, gender, programme, intake, opened, code, issued, valid = row
            sheet.append_plain(
                [
                    number,
                    names.get(unit, (None, ""))[1],
                    name,
                    GENDERS.get(gender, ""),
                    programme,
                    intake,
                    opened,
                    code,
                    issued,
                    valid,
                ]
            )


class CentersWorkbook(RollupWorkbook):
    """Biểu 4: classes, enrolments and % of plan by centre, enrolments by
    programme."""

    kind = "centers"

    def row_count(self) -> int:
        return self.target.centers.count()

    def sheets(self) -> Iterable[SheetSpec]:
        rollup = rollups.by_center(self.target.centers, self.filters)
        group = _("Enrolments by programme")
        columns = [
            Column(_("No."), 6),
            Column(_("Centre"), 34),
            Column(_("Classes"), 9, INTEGER_FORMAT),
            Column(_("Enrolments"), 10, INTEGER_FORMAT),
            Column(_("Classes"), 9, PERCENT_FORMAT, _("Percent of plan")),
            Column(_("Trainees"), 9, PERCENT_FORMAT, _("Percent of plan")),
        ] + [Column(p.name, 12, INTEGER_FORMAT, group) for p in rollup.programmes]

        def values(row):
            return [
                row.classes,
                row.enrolled,
                share_cell(row.plan_classes_share),
                share_cell(row.plan_share),
                *row.cells(rollup.programmes),
            ]

        def write(sheet: SheetWriter) -> None:
            for number, row in enumerate(rollup.rows, start=1):
                sheet.append([number, row.name, *values(row)])
            sheet.append([_("Total"), "", *values(rollup.total)], bold=True, span=2)

        yield SheetSpec(
            "Biểu 4",
            columns,
            write=write,
            # Biểu 4 counts whole centres: a chosen unit is not in its title.
            **titles(
                self.target,
                _("Training results by centre"),
                dataclasses.replace(self.filters, unit=None),
            ),
            freeze_columns=2,
            borders=True,
            wrap_columns=(1,),
        )


class PipelineWorkbook(RollupWorkbook):
    """Two lists, framed and wrapped for print. A list too long to print (a
    province's probationers: tens of thousands) is written plain, as the
    certified list always is: styling each cell would more than double the
    worker's time, and such a list is filtered in Excel, not printed."""

    kind = "pipeline"

    def row_count(self) -> int:
        result = rollups.pipeline(
            self.target.centers,
            self.filters,
            self.today,
            limit=0,
            units=self.target.units,
        )
        return result.candidate_count + result.probationer_count

    def sheets(self) -> Iterable[SheetSpec]:
        result = rollups.pipeline(
            self.target.centers, self.filters, self.today, units=self.target.units
        )
        total = result.candidate_count + result.probationer_count
        framed = total <= inline_rows()
        style = {"borders": framed, "wrap_columns": (2, 3) if framed else ()}

        def write(rows, cells, done_before):
            def write_rows(sheet: SheetWriter) -> None:
                append = sheet.append if framed else sheet.append_plain
                for number, row in enumerate(rows, start=1):
                    if number % PROGRESS_EVERY == 0:
                        self.progress(done_before + number, total)
                    append([number, *cells(row)])

            return write_rows

        yield SheetSpec(
            _("Admission candidates"),
            [
                Column(_("No."), 6),
                Column(_("Full name"), 26),
                Column(_("Unit"), 32),
                Column(_("Centre"), 26),
                Column(_("Certificate number"), 16),
                Column(_("Issued on"), 11, DATE_FORMAT),
                Column(_("Valid until"), 11, DATE_FORMAT),
                Column(_("Expires within 60 days"), 11),
            ],
            write=_then_note(
                write(result.candidates, _candidate_cells, 0), result.awaiting_note
            ),
            **self._heading(_("Non-members with a certificate for admission")),
            freeze_columns=2,
            **style,
        )
        yield SheetSpec(
            _("Probationary members"),
            [
                Column(_("No."), 6),
                Column(_("Full name"), 26),
                Column(_("Unit"), 32),
                Column(_("Centre"), 26),
                Column(_("Admitted on"), 11, DATE_FORMAT),
                Column(_("Probation ends"), 11, DATE_FORMAT),
                Column(_("New-member course finished"), 12, DATE_FORMAT),
                Column(_("Needs the course"), 11),
            ],
            write=write(
                result.probationers, _probationer_cells, result.candidate_count
            ),
            **self._heading(_("Probationary members and the new-member course")),
            freeze_columns=2,
            **style,
        )

    def _heading(self, title: str) -> dict:
        """The title block, with the day the lists are as of for the filters."""
        lines = self.titles(title)
        as_of = _("As of %(date)s") % {"date": f"{self.today:%d/%m/%Y}"}
        unit = [self.filters.unit.name] if self.filters.unit else []
        lines["heading_lines"][1] = " – ".join([as_of, *unit, self.target.label])
        return lines


def _then_note(write_rows, note: str):
    """The rows, then a line under them saying who is left out and why."""

    def write(sheet: SheetWriter) -> None:
        write_rows(sheet)
        if note:
            sheet.note(note)

    return write


def _candidate_cells(row: rollups.Candidate) -> list:
    return [
        row.name,
        row.unit,
        row.center,
        row.number,
        row.issued_on,
        row.valid_until,
        "x" if row.expires_soon else "",
    ]


def _probationer_cells(row: rollups.Probationer) -> list:
    return [
        row.name,
        row.unit,
        row.center,
        row.admission_date,
        row.probation_ends,
        row.finished_on or "",
        "x" if row.flagged else "",
    ]


WORKBOOKS: dict[str, type[RollupWorkbook]] = {
    workbook.kind: workbook
    for workbook in (
        UnitsWorkbook,
        CertifiedWorkbook,
        CentersWorkbook,
        PipelineWorkbook,
    )
}


def exporter(
    kind: str,
    target: Scope,
    filters: rollups.Filters,
    today: datetime.date,
    progress: Callable[[int, int], None] | None = None,
) -> RollupWorkbook:
    """The exporter of the rollup `kind` (a RollupForm's choice)."""
    return WORKBOOKS[kind](target, filters, today, progress)


def workbook(
    kind: str,
    target: Scope,
    filters: rollups.Filters,
    today: datetime.date,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The rollup `kind`'s workbook as bytes, as the background job stores it."""
    return exporter(kind, target, filters, today, progress).export()[2]
