"""Benchmark: certificate PDFs.

Run on demand: `make bench` (a throwaway PostgreSQL) or
`DATABASE_URL=postgres://… .venv/bin/python bench/certificates_bench.py`.

Measures, in a throwaway test database:
- one certificate, warm: numbering it and rendering, splitting and storing its PDF;
- a class of 200: numbering and the whole background batch (chunks rendered as
  one WeasyPrint document each, split per certificate, hashed and stored);
- the limit: WeasyPrint rendering the same 200-page HTML directly, once;
- the downloads from the stored files: the class as one PDF, and as a ZIP;
- peak memory of the process.
"""

import datetime
import os
import resource
import time

from common import in_test_database, new_center, passed_class  # noqa: E402  (sets Django up)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

SIZE = int(os.environ.get("BENCH_CLASS", "200"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def main() -> None:
    in_test_database(run)


def run() -> None:
    import random

    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    from courses.models import ClassType
    from enrollment.models import Certificate
    from enrollment.services import (
        certificate_files,
        certificates as certificates_service,
    )
    from trainingcenter import pdf

    settings.CERTIFICATE_INLINE_MAX = 10**6  # render in this process, timed
    call_command("loaddata", "class_types", verbosity=0)
    center, director, _, _ = new_center("bench")
    programme = ClassType.objects.get(code="nhan-thuc-ve-dang")
    rng = random.Random(200)

    def closed_class(size):
        return passed_class(
            center,
            size,
            rng,
            grade="Khá",
            class_type=programme,
            start_date="2026-03-02",
            end_date="2026-03-06",
            assessment="essay",
            award="certificate",
            venue="Hội trường Trung tâm Chính trị",
            intake_label="khóa I",
        )

    def issue(klass):
        return certificates_service.issue_certificates(
            klass,
            issued_on=datetime.date(2026, 3, 10),
            signer_title="GIÁM ĐỐC",
            signer_name="Nguyễn Thị Hòa",
            by=director,
        )

    # One certificate, warm: the first render loads fonts and WeasyPrint.
    singles = []
    for attempt in range(REPEAT + 1):
        klass = closed_class(1)
        started = time.perf_counter()
        issue(klass)  # numbering, then rendering on commit (autocommit here)
        if attempt:
            singles.append(time.perf_counter() - started)

    batches, limits, merges, zips, sizes = [], [], [], [], []
    batch_peak_mb = 0.0
    for _attempt in range(REPEAT):
        klass = closed_class(SIZE)
        started = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            with cProfile.Profile() as profile:
                issued = issue(klass)
            profile.dump_stats(os.environ["BENCH_PROFILE"])
        else:
            issued = issue(klass)
        batches.append(time.perf_counter() - started)
        if not batch_peak_mb:  # before the limit's single 200-page document
            batch_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stored = list(
            Certificate.objects.filter(pk__in=[c.pk for c in issued]).order_by("number")
        )
        assert all(c.pdf for c in stored) and len(stored) == SIZE
        # The limit: the same HTML straight through WeasyPrint, as one document.
        with translation.override("vi"):
            html = render_to_string(
                "enrollment/print/certificates.html",
                certificate_files.certificate_pages(stored),
            )
        started = time.perf_counter()
        raw = HTML(
            string=html,
            base_url=f"{pdf.STATIC_ROOT.as_uri()}/",
            url_fetcher=pdf._static_only_fetcher(),
        ).write_pdf()
        limits.append(time.perf_counter() - started)
        started = time.perf_counter()
        merged = certificate_files.merged_pdf(stored)
        merges.append(time.perf_counter() - started)
        started = time.perf_counter()
        archive = certificate_files.zipped_pdfs(stored)
        zips.append(time.perf_counter() - started)
        sizes = [len(raw), len(merged), len(archive)]

    one, batch, limit = min(singles), min(batches), min(limits)
    merge, zipped = min(merges), min(zips)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor}; class of {SIZE}; best of {REPEAT}")
    print(f"one certificate, warm (number, render, split, store): {one:.3f} s")
    print(f"class batch (number {SIZE}, render in chunks, split, store): {batch:.2f} s")
    print(f"limit, WeasyPrint on the same HTML in one go: {limit:.2f} s")
    print(f"ratio batch / limit: {batch / limit:.2f}x")
    print(f"class as one PDF from the stored files: {merge:.2f} s")
    print(f"class as a ZIP of the stored files: {zipped:.2f} s")
    print(
        f"ZIP path (batch + ZIP) / batch: {(batch + zipped) / batch:.2f}x;"
        f" ZIP alone / batch: {zipped / batch:.2f}x"
    )
    kb = [s // 1024 for s in sizes]
    print(f"sizes: raw {kb[0]} KB, merged {kb[1]} KB, ZIP {kb[2]} KB")
    print(f"peak memory (RSS) after the first class batch: {batch_peak_mb:.0f} MB")
    print(f"peak memory (RSS) of the process, all stages: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
