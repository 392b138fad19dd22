"""How fast the machine is today, so that figures of different days compare.

Two fixed pieces of work, each the median of five runs after one warm-up:
a PostgreSQL query that only computes (no table: it does not depend on the
data a benchmark made) and a WeasyPrint document of ten fixed pages (fonts,
a table, text with diacritics). A slower machine, or one loaded by other
work, shows in both; compare a benchmark's figures only between runs whose
calibration is close. It also says how WeasyPrint cuts the fonts it embeds:
with HarfBuzz's subsetting library a small PDF takes a fifth of the time it
takes with fontTools, so figures of many small PDFs compare only between
runs that used the same.
"""

import statistics
import time

PG_QUERY = "SELECT sum(length(md5(g::text))) FROM generate_series(1, 300000) AS g"
RUNS = 5


def _median_ms(work) -> float:
    work()  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _document() -> str:
    rows = "".join(
        f"<tr><td>{i}</td><td>Nguyễn Thị Hòa {i}</td><td>12/05/1987</td>"
        f"<td>Chi bộ thôn {i % 9}</td><td>Đảng viên dự bị</td></tr>"
        for i in range(1, 301)
    )
    return (
        "<html><head><style>@page { size: A4; margin: 2cm }"
        "body { font-family: 'DejaVu Serif', serif; font-size: 10pt }"
        "td { border: 1px solid #444; padding: 2px }</style></head><body>"
        "<h1>DANH SÁCH HỌC VIÊN</h1><p>Lớp bồi dưỡng lý luận chính trị cho đảng "
        "viên mới, năm 2026.</p><table><thead><tr><th>STT</th><th>Họ và tên</th>"
        "<th>Ngày sinh</th><th>Đơn vị</th><th>Tình trạng</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></body></html>"
    )


def calibrate() -> dict[str, float]:
    """{"postgresql_ms": …, "weasyprint_ms": …}; the first only on PostgreSQL."""
    from django.db import connection
    from weasyprint import HTML

    figures = {}
    if connection.vendor == "postgresql":

        def query():
            with connection.cursor() as cursor:
                cursor.execute(PG_QUERY)
                cursor.fetchall()

        figures["postgresql_ms"] = _median_ms(query)
    html = _document()
    figures["weasyprint_ms"] = _median_ms(lambda: HTML(string=html).write_pdf())
    return figures


def describe(figures: dict[str, float]) -> str:
    parts = []
    if "postgresql_ms" in figures:
        parts.append(f"fixed PostgreSQL query {figures['postgresql_ms']:.0f} ms")
    parts.append(f"fixed WeasyPrint document {figures['weasyprint_ms']:.0f} ms")
    return (
        "calibration: "
        + ", ".join(parts)
        + f" (median of 5); fonts subset with {font_subsetter()}"
    )


def font_subsetter() -> str:
    """ "HarfBuzz" or "fontTools": what WeasyPrint cuts embedded fonts with, as
    the project's system check finds it."""
    from trainingcenter.checks import harfbuzz_subset_present

    return "fontTools" if harfbuzz_subset_present(None) else "HarfBuzz"


def spread(values: list[float], unit: str = "s", scale: float = 1.0) -> str:
    """'median X unit (min–max)' of a bench's runs."""
    low, mid, high = (
        v * scale for v in (min(values), statistics.median(values), max(values))
    )
    return f"median {mid:,.2f} {unit} ({low:,.2f}–{high:,.2f}, {len(values)} runs)"


def print_machine(before: dict, after: dict, loads: tuple[float, float]) -> None:
    """The date, the calibration before and after the runs and the machine's load."""
    import os

    from django.db import connection
    from django.utils import timezone

    print(
        f"date: {timezone.localdate():%d/%m/%Y} (Việt Nam);"
        f" database: {connection.vendor}"
    )
    print(describe(before) + " before the runs;")
    print(describe(after) + " after them")
    print(
        "machine load (1-minute average) before and after:"
        f" {loads[0]:.1f}, {loads[1]:.1f}"
        f" on {os.cpu_count()} cores"
    )
