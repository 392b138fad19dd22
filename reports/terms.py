"""Term reviews (nhiệm kỳ of five years, 18-year reviews): Biểu 1's parts,
blocks and programmes with a column per year and the total, classes and
enrolments ("lượt") in each, as term reviews present them.

One query whatever the number of classes or years: the summary rows of the
period grouped by programme, plan flag and year.
"""

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear

from reports.counting import Period, summaries
from reports.tables import Section


@dataclass
class YearRow:
    label: str
    level: str  # "section", "group", "row" or "total"
    # (classes, enrolments) for each year of the table, then the total.
    cells: list[tuple[int, int]]


@dataclass
class YearTable:
    years: list[int]
    rows: list[YearRow]


def year_columns(
    centers: QuerySet, period: Period, sections: list[Section]
) -> YearTable | None:
    """The table, for a period over more than one calendar year; else None."""
    if period.start.year == period.end.year:
        return None
    years = list(range(period.start.year, period.end.year + 1))
    counts: dict[tuple[str, bool], dict[int, tuple[int, int]]] = {}
    for row in (
        summaries(centers, period)
        .order_by()
        .annotate(year=ExtractYear("start_date"))
        .values("class_type__code", "counted_in_plan", "year")
        .annotate(classes=Count("pk"), enrolled=Coalesce(Sum("enrolled"), 0))
    ):
        key = (row["class_type__code"], row["counted_in_plan"])
        counts.setdefault(key, {})[row["year"]] = (row["classes"], row["enrolled"])

    def cells(keys: list[tuple[str, bool]]) -> list[tuple[int, int]]:
        per_year = [
            (
                sum(counts.get(k, {}).get(y, (0, 0))[0] for k in keys),
                sum(counts.get(k, {}).get(y, (0, 0))[1] for k in keys),
            )
            for y in years
        ]
        return [
            *per_year,
            (sum(c for c, _e in per_year), sum(e for _c, e in per_year)),
        ]

    rows: list[YearRow] = []
    every: list[tuple[str, bool]] = []
    for section in sections:
        in_section = [
            (row.code, not section.outside) for g in section.groups for row in g.rows
        ]
        every += in_section
        rows.append(YearRow(section.label, "section", cells(in_section)))
        for group in section.groups:
            keys = [(row.code, not section.outside) for row in group.rows]
            if group.label:
                rows.append(YearRow(group.label, "group", cells(keys)))
            for row in group.rows:
                keys = [(row.code, not section.outside)]
                rows.append(YearRow(f"{row.number}. {row.name}", "row", cells(keys)))
    rows.append(YearRow("", "total", cells(every)))
    return YearTable(years, rows)
