"""The committees' rollups as Excel workbooks, in their print format (issue 7).

Each workbook has one sheet laid out like the committee's own tables: the
issuing body and title block, units (or centres, or people) as rows,
programmes as columns under a group header, a bold totals row, A4 landscape
fitted to the page width, header rows repeated, true numbers with Vietnamese
formats. Every cell goes through trainingcenter.xlsx (formula-safe, R26).
"""

from django.conf import settings
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reports import rollups
from reports.counting import Period
from reports.scope import Scope
from trainingcenter.models import Organization
from trainingcenter.text import search_key
from trainingcenter.xlsx import (
    DATE_FORMAT,
    INTEGER_FORMAT,
    PERCENT_FORMAT,
    Column,
    SheetWriter,
    new_workbook,
    save_workbook,
)

NO_SHARE = "–"
GENDERS = {"female": "Nữ", "male": "Nam"}


def titles(target: Scope, title: str, filters: rollups.Filters) -> dict:
    lines = [title.upper(), _filters_line(target, filters)]
    return {
        "title_lines": [
            line for line in (target.issuer.superior, target.issuer.issuing) if line
        ],
        "heading_lines": lines,
    }


def _filters_line(target: Scope, filters: rollups.Filters) -> str:
    parts = [filters.period.label]
    if filters.programme:
        parts.append(filters.programme.name)
    if filters.unit:
        parts.append(filters.unit.name)
    if filters.by_today:
        parts.append(_("units grouped under today's communes"))
    parts.append(target.label)
    return " – ".join(parts)


def file_name(kind: str, target: Scope, period: Period) -> str:
    when = (
        f"{period.start.year}"
        if period.whole_years and period.start.year == period.end.year
        else f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    )
    scope = slugify(search_key(target.label))[:50].strip("-")
    return f"{FILE_PREFIXES[kind]}-{scope}-{when}.xlsx"


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


def row_count(kind: str, target: Scope, filters: rollups.Filters, today) -> int:
    """About how many rows the workbook will have, counted in the database:
    what the time to write it grows with."""
    if kind == "certified":
        return rollups.certified(target.centers, filters).count()
    if kind == "pipeline":
        result = rollups.pipeline(target.centers, filters, today, limit=0)
        return result.candidate_count + result.probationer_count
    if kind == "centers":
        return target.centers.count()
    # By unit: at most every unit under the organization, on three sheets.
    return 3 * len(Organization.objects.subtree_ids([target.organization_id]))


def workbook(
    kind: str, target: Scope, filters: rollups.Filters, today, progress=None
) -> bytes:
    """The rollup `kind` as a workbook. A long list calls `progress(done,
    total)` every PROGRESS_EVERY rows (the background job's progress bar)."""
    book = new_workbook()
    {
        "units": _units,
        "certified": _certified,
        "centers": _centers,
        "pipeline": _pipeline,
    }[kind](book, target, filters, today, progress or _ignore)
    return save_workbook(book)


def _ignore(done: int, total: int) -> None:
    pass


def _share(value):
    return NO_SHARE if value is None else float(value)


def _units(book, target, filters, today, progress) -> None:
    """Three sheets of units × programmes: trainees sent (with the classes
    attended), passed, certified. One sheet with all three per programme
    would be three dozen columns, unreadable on an A4 page."""
    rollup = rollups.by_unit(target.centers, filters)
    sheets = [
        (_("Trainees sent"), "sent", True),
        (_("Passed"), "passed", False),
        (_("Certified"), "certified", False),
    ]
    for title, measure, with_classes in sheets:
        group = _("%(measure)s, by programme") % {"measure": title}
        columns = [Column(_("No."), 6), Column(_("Unit"), 42)]
        if with_classes:
            columns.append(Column(_("Classes attended"), 9, INTEGER_FORMAT))
        columns += [
            Column(p.name, 12, INTEGER_FORMAT, group) for p in rollup.programmes
        ]
        columns.append(Column(_("Total"), 10, INTEGER_FORMAT))
        sheet = SheetWriter(
            book,
            title,
            columns,
            **titles(
                target,
                _("Training results by sending unit: %(measure)s")
                % {"measure": title.lower()},
                filters,
            ),
            freeze_columns=2,
            borders=True,
            wrap_columns=(1,),
        )

        def values(row, measure=measure, with_classes=with_classes):
            cells = [row.total.classes] if with_classes else []
            cells += [getattr(c, measure) for c in row.cells(rollup.programmes)]
            return [*cells, getattr(row.total, measure)]

        for number, row in enumerate(rollup.rows, start=1):
            sheet.append([number, row.name or _("(no unit recorded)"), *values(row)])
        sheet.append([_("Total"), "", *values(rollup.total)], bold=True, span=2)


def _certified(book, target, filters, today, progress) -> None:
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
    sheet = SheetWriter(
        book,
        _("Certified trainees"),
        columns,
        **titles(target, _("Certified trainees by unit"), filters),
        freeze_columns=3,
    )
    rows = rollups.certified(target.centers, filters)
    names = _names_for(rows, filters)
    total = rows.count()
    for number, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        if number % PROGRESS_EVERY == 0:
            progress(number, total)
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


def _names_for(rows: QuerySet, filters) -> dict:
    units = rows.order_by().values_list("enrollment__unit_id", flat=True).distinct()
    return rollups.unit_names(set(units), filters.by_today)


def _centers(book, target, filters, today, progress) -> None:
    rollup = rollups.by_center(target.centers, filters)
    group = _("Enrolments by programme")
    columns = [
        Column(_("No."), 6),
        Column(_("Centre"), 34),
        Column(_("Classes"), 9, INTEGER_FORMAT),
        Column(_("Enrolments"), 10, INTEGER_FORMAT),
        Column(_("Percent of plan"), 9, PERCENT_FORMAT),
    ] + [Column(p.name, 12, INTEGER_FORMAT, group) for p in rollup.programmes]
    sheet = SheetWriter(
        book,
        "Biểu 4",
        columns,
        **titles(target, _("Training results by centre"), filters),
        freeze_columns=2,
        borders=True,
        wrap_columns=(1,),
    )

    def values(row):
        return [
            row.classes,
            row.enrolled,
            _share(row.plan_share),
            *row.cells(rollup.programmes),
        ]

    for number, row in enumerate(rollup.rows, start=1):
        sheet.append([number, row.name, *values(row)])
    sheet.append([_("Total"), "", *values(rollup.total)], bold=True, span=2)


def _pipeline(book, target, filters, today, progress) -> None:
    """Two lists, framed and wrapped for print. A list too long to print (a
    province's probationers: tens of thousands) is written plain, as the
    certified list always is: styling each cell would more than double the
    worker's time, and such a list is filtered in Excel, not printed."""
    result = rollups.pipeline(target.centers, filters, today)
    total = result.candidate_count + result.probationer_count
    framed = total <= inline_rows()
    style = {"borders": framed, "wrap_columns": (2, 3) if framed else ()}

    def heading(title):
        as_of = _("As of %(date)s") % {"date": f"{today:%d/%m/%Y}"}
        lines = titles(target, title, filters)
        lines["heading_lines"][1] = " – ".join(
            [as_of, *([filters.unit.name] if filters.unit else []), target.label]
        )
        return lines

    sheet = SheetWriter(
        book,
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
        **heading(_("Non-members with a certificate for admission")),
        freeze_columns=2,
        **style,
    )
    append = sheet.append if framed else sheet.append_plain
    for number, row in enumerate(result.candidates, start=1):
        if number % PROGRESS_EVERY == 0:
            progress(number, total)
        append(
            [
                number,
                row.name,
                row.unit,
                row.center,
                row.number,
                row.issued_on,
                row.valid_until,
                "x" if row.expires_soon else "",
            ]
        )
    sheet = SheetWriter(
        book,
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
        **heading(_("Probationary members and the new-member course")),
        freeze_columns=2,
        **style,
    )
    append = sheet.append if framed else sheet.append_plain
    for number, row in enumerate(result.probationers, start=1):
        if number % PROGRESS_EVERY == 0:
            progress(result.candidate_count + number, total)
        append(
            [
                number,
                row.name,
                row.unit,
                row.center,
                row.admission_date,
                row.probation_ends,
                row.finished_on or "",
                "x" if row.flagged else "",
            ]
        )
