"""Benchmark: certificate PDFs.

Run on demand: `make bench` (a throwaway PostgreSQL) or
`DATABASE_URL=postgres://… .venv/bin/python bench/certificates_bench.py`.

Measures, in a throwaway test database, with the calibration of the machine
(bench/calibration.py) before and after, BENCH_RUNS runs (5) each on a fresh
class, median and (min–max):
- one certificate, warm: numbering it and rendering, splitting and storing its PDF;
- a class of 200: numbering and the whole background batch (chunks rendered as
  one WeasyPrint document each, split per certificate, hashed and stored);
- the limit: WeasyPrint rendering the same 200-page HTML as one document, and
  the peer, one WeasyPrint document per certificate (what a naive loop does);
  both in a process of their own, so that the 200-page document's memory is
  not the bench process's;
- the downloads from the stored files: the class as one PDF, and as a ZIP,
  in a process of their own too (as a web process serves them);
- peak memory (ru_maxrss) of the bench process and of the rendering process.
"""

import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from calibration import calibrate, print_machine, spread  # noqa: E402
from common import db_url, in_test_database, new_center, passed_class  # noqa: E402
from django.core.management import call_command  # noqa: E402

SIZE = int(os.environ.get("BENCH_CLASS", "200"))
RUNS = int(os.environ.get("BENCH_RUNS", os.environ.get("BENCH_REPEAT", "5")))
GOAL_MB = 300


def main() -> None:
    in_test_database(run)


def run() -> None:
    from django.conf import settings

    from enrollment.models import Certificate

    settings.CERTIFICATE_INLINE_MAX = 10**6  # render in this process, timed
    call_command("loaddata", "class_types", verbosity=0)
    loads = [os.getloadavg()[0]]
    before = calibrate()
    issue = issuer()

    singles = []
    for attempt in range(RUNS + 1):  # the first loads fonts and WeasyPrint
        started = time.perf_counter()
        issue(1)  # numbering, then rendering on commit (autocommit here)
        if attempt:
            singles.append(time.perf_counter() - started)

    figures: dict[str, list[float]] = {}
    child_peaks, download_peaks = [], []
    for _attempt in range(RUNS):
        started = time.perf_counter()
        issued = issue(SIZE)
        figures.setdefault("batch", []).append(time.perf_counter() - started)
        stored = list(
            Certificate.objects.filter(pk__in=[c.pk for c in issued]).order_by("number")
        )
        assert all(c.pdf for c in stored) and len(stored) == SIZE
        rendered = render_apart(stored)
        child_peaks.append(rendered.pop("peak_mb"))
        served = child("--downloads", ",".join(str(c.pk) for c in stored))
        download_peaks.append(served.pop("peak_mb"))
        for name, took in {**rendered, **served}.items():
            figures.setdefault(name, []).append(took)
    loads.append(os.getloadavg()[0])
    print_machine(before, calibrate(), tuple(loads))
    report(singles, figures, child_peaks, download_peaks)


def issuer():
    """issue(size): a closed class of `size` who passed, its certificates issued."""
    import random

    from courses.models import ClassType
    from enrollment.services import certificates as certificates_service

    center, director, _, _ = new_center("bench")
    programme = ClassType.objects.get(code="nhan-thuc-ve-dang")
    rng = random.Random(200)

    def issue(size):
        klass = passed_class(
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
        return certificates_service.issue_certificates(
            klass,
            issued_on=datetime.date(2026, 3, 10),
            signer_title="GIÁM ĐỐC",
            signer_name="Nguyễn Thị Hòa",
            by=director,
        )

    return issue


def render_apart(stored) -> dict[str, float]:
    """The same certificates' HTML, rendered by WeasyPrint in a child process:
    as one document (the limit) and as one document per certificate (the peer)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from enrollment.services import certificate_files

    def html(certificates):
        return render_to_string(
            "enrollment/print/certificates.html",
            certificate_files.certificate_pages(certificates),
        )

    with tempfile.TemporaryDirectory(prefix="certificates-bench-") as name:
        folder = Path(name)
        with translation.override("vi"):
            (folder / "all.html").write_text(html(stored), encoding="utf-8")
            for i, certificate in enumerate(stored):
                (folder / f"one-{i:04d}.html").write_text(
                    html([certificate]), encoding="utf-8"
                )
        return child("--render", str(folder))


def child(*args: str) -> dict:
    """Run this script in a process of its own on this database; its figures."""
    done = subprocess.run(
        [sys.executable, __file__, *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": db_url()},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def downloads_child(ids: list[int]) -> None:
    """In a child, as a web process serves them: the class as one PDF, as a ZIP."""
    from django_scopes import scopes_disabled

    from enrollment.models import Certificate
    from enrollment.services import certificate_files

    with scopes_disabled():
        started = time.perf_counter()
        stored = list(Certificate.objects.filter(pk__in=ids).order_by("number"))
        certificate_files.merged_pdf(stored)
        merged = time.perf_counter()
        stored = list(Certificate.objects.filter(pk__in=ids).order_by("number"))
        certificate_files.zipped_pdfs(stored)
        zipped = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps({"merge": merged - started, "zip": zipped - merged, "peak_mb": peak})
    )


def render_child(folder: Path) -> None:
    """In the child: time the one document, then the documents one by one."""
    from weasyprint import HTML

    from trainingcenter import pdf

    def write(path: Path) -> int:
        return len(
            HTML(
                string=path.read_text(encoding="utf-8"),
                base_url=f"{pdf.STATIC_ROOT.as_uri()}/",
                url_fetcher=pdf._static_only_fetcher(),
            ).write_pdf()
        )

    write(sorted(folder.glob("one-*.html"))[0])  # fonts and WeasyPrint loaded
    started = time.perf_counter()
    write(folder / "all.html")
    limit = time.perf_counter() - started
    started = time.perf_counter()
    for path in sorted(folder.glob("one-*.html")):
        write(path)
    peer = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"limit": limit, "peer": peer, "peak_mb": peak}))


def report(singles, figures, child_peaks, download_peaks) -> None:
    batch, limit, peer = (figures[k] for k in ("batch", "limit", "peer"))
    ratios = [b / lim for b, lim in zip(batch, limit, strict=True)]
    peers = [p / b for b, p in zip(batch, peer, strict=True)]
    print(f"class of {SIZE}; {RUNS} runs, each on a fresh class: median (min–max)")
    print(f"one certificate, warm (number, render, split, store): {spread(singles)}")
    print(
        f"class batch (number {SIZE}, render in chunks, split, store): {spread(batch)}"
    )
    print(f"limit, WeasyPrint on the same HTML as one document: {spread(limit)}")
    print(
        f"ratio batch / limit (same run): median {statistics.median(ratios):.2f}x"
        f" ({min(ratios):.2f}–{max(ratios):.2f})  [goal <= 1.5x]"
    )
    print(
        f"peer, one WeasyPrint document per certificate: {spread(peer)};"
        f" {statistics.median(peers):.2f}x the batch"
        f" ({min(peers):.2f}–{max(peers):.2f})"
    )
    print(f"class as one PDF from the stored files: {spread(figures['merge'])}")
    print(f"class as a ZIP of the stored files: {spread(figures['zip'])}")
    print(
        "peak memory of a process serving those two downloads (its own, as a"
        f" web process would): {min(download_peaks):.0f}–{max(download_peaks):.0f} MB"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "peak memory (ru_maxrss) of the bench process (numbering and the batches,"
        f" as the worker renders them): {peak:.0f} MB"
        f"  [goal < {GOAL_MB} MB: {'met' if peak < GOAL_MB else 'NOT met'}]"
    )
    print(
        f"peak memory of the rendering process (one {SIZE}-page document, then"
        f" {SIZE} documents): {min(child_peaks):.0f}–{max(child_peaks):.0f} MB"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--render"]:
        render_child(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["--downloads"]:
        downloads_child([int(pk) for pk in sys.argv[2].split(",")])
    else:
        main()
