"""Benchmark: import 5,000 trainee rows end to end.

Run on demand: `make bench` (a throwaway PostgreSQL) or
`DATABASE_URL=postgres://… .venv/bin/python bench/import_bench.py`.
Measures the whole path a user takes: check and read the upload, build the
preview (clean, match the registry), then confirm (clean and match again,
write). The file is written as Excel and LibreOffice write theirs, text in a
shared-strings table; BENCH_INLINE=1 uses openpyxl's own inline text instead,
which openpyxl reads about twice as slowly.
peak memory of the process. Works in a throwaway test database.
"""

import os
import resource
import time

from common import in_test_database, list_rows  # noqa: E402  (sets Django up)
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "5000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def main() -> None:
    in_test_database(run)


def run() -> None:
    from courses.models import ClassType, TrainingClass
    from enrollment import importing
    from enrollment.models import Enrollment, ImportBatch, Trainee
    from enrollment.services import imports
    from tests.enrollment.excel import with_shared_strings, workbook
    from tests.factories import make_center, make_member, make_organization
    from trainingcenter.models import Membership

    call_command("loaddata", "class_types", verbosity=0)
    center = make_center(slug="bench", name="Trung tâm Chính trị Thử")
    user = make_member(center, Membership.Role.DIRECTOR)
    membership = Membership.objects.get(user=user)
    units = [
        make_organization(
            parent=center.organization.parent, name=f"Chi bộ số {i}", code=f"CB{i}"
        )
        for i in range(40)
    ]
    import random

    rng = random.Random(5000)
    rows = list_rows(ROWS, [unit.name for unit in units], rng)
    content = workbook(rows)
    if os.environ.get("BENCH_INLINE") != "1":
        content = with_shared_strings(content)
    programme = ClassType.objects.get(code="nhan-thuc-ve-dang")
    timings, bulk_timings, stages = [], [], []
    for attempt in range(REPEAT):
        klass = TrainingClass.objects.create(
            center=center,
            class_type=programme,
            start_date="2026-03-02",
            end_date="2026-03-06",
            assessment="essay",
            award="certificate",
        )
        started = time.perf_counter()
        sheet = importing.read_list(content)  # the upload check
        read_at = time.perf_counter()
        batch = ImportBatch.objects.create(
            token=f"bench{attempt}",
            center=center,
            training_class=klass,
            user=user,
            file_name="bench.xlsx",
            sheet=sheet.to_json(),
        )
        preview = importing.parse_batch(batch, klass, sheet=sheet)  # the preview page
        preview_at = time.perf_counter()
        assert preview.error_count == 0, [r.errors for r in preview.rows if r.errors][
            :3
        ]
        result = imports.import_trainee_list(batch, by=user, membership=membership)
        elapsed = time.perf_counter() - started
        stages.append(
            (read_at - started, preview_at - read_at, started + elapsed - preview_at)
        )
        assert result.created + result.matched == ROWS
        timings.append(elapsed)
        # The limit: the same rows, already cleaned, written with bare bulk_create.
        bare_class = TrainingClass.objects.create(
            center=center,
            class_type=programme,
            start_date="2026-03-02",
            end_date="2026-03-06",
            assessment="essay",
            award="certificate",
        )
        people = []
        for row in preview.rows:
            person = Trainee(
                center=center,
                **{k: v for k, v in row.values.items() if k not in ("citizen_id",)},
            )
            person.fill_keys()
            people.append(person)
        started = time.perf_counter()
        with transaction.atomic():
            Trainee.objects.bulk_create(people, batch_size=1000)
            Enrollment.objects.bulk_create(
                [Enrollment(training_class=bare_class, trainee=p) for p in people],
                batch_size=1000,
            )
        bulk_timings.append(time.perf_counter() - started)
    best, bare = min(timings), min(bulk_timings)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    vendor = connection.vendor
    layout = (
        "inline text" if os.environ.get("BENCH_INLINE") == "1" else "shared strings"
    )
    print(f"database: {vendor}; rows: {ROWS}; file: {layout}; best of {REPEAT}")
    print(
        f"end to end (upload check, preview, confirm): {best:.2f} s"
        f" -> {ROWS / best:,.0f} rows/s"
    )
    print(
        f"bare bulk_create of the same rows: {bare:.2f} s -> {ROWS / bare:,.0f} rows/s"
    )
    print(f"ratio end to end / bulk_create: {best / bare:.1f}x")
    read, preview, confirm = stages[timings.index(best)]
    print(f"  of which: read {read:.2f} s, preview {preview:.2f} s,", end=" ")
    print(f"confirm {confirm:.2f} s")
    print(f"peak memory (RSS) of the process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
