"""Benchmark: a trainee list of 5,000 new people imported end to end.

Run on demand: `make bench` (a throwaway PostgreSQL), or
`bash scripts/with-postgres.sh .venv/bin/python bench/import_bench.py`.
Settings are the deployment's (bench/settings.py); the list is built the way
a party cell builds it (bench/lists.py). Each run imports NEW people into a
FRESH centre: the work a user causes, as the views run it without the HTTP
layer and templates: the upload (check and read the file, look for a
remembered column mapping, store the upload), the preview (load it, clean
every row, match the registry), the confirm (load it, clean and match again,
write people and enrolments in one transaction). Then, as a second figure,
the same list is imported again into another class of the same centre
(everyone already registered). The limit is Django's bulk_create writing the
same columns (people with citizen ID and name keys, enrolments with unit and
party status) from rows already cleaned, in a fresh centre. The peer is
django-import-export's default import (per-row save) of the same columns,
people then enrolments, on a sample of BENCH_PEER_ROWS rows, since it runs at
about 50 rows/s. Median and spread (min–max) of BENCH_RUNS runs; the
calibration figure of the machine comes first.

BENCH_ROWS (5000), BENCH_RUNS (5), BENCH_PEER_ROWS (500; 0 skips the peer),
BENCH_INLINE=1 (openpyxl's inline text instead of a shared-strings table).
"""

import contextlib
import datetime
import os
import random
import resource
import statistics
import time

from calibration import calibrate, describe  # noqa: E402
from common import in_test_database, new_center  # noqa: E402  (sets Django up)
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from lists import party_cell_list, people  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "5000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PEER_ROWS = int(os.environ.get("BENCH_PEER_ROWS", "500"))
INLINE = os.environ.get("BENCH_INLINE") == "1"
UNITS = 40


def main() -> None:
    in_test_database(run)


def run() -> None:
    from courses.models import ClassType

    call_command("loaddata", "class_types", verbosity=0)
    programme = ClassType.objects.get(code="dang-vien-moi")
    load_before = os.getloadavg()[0]
    figures = calibrate()
    fresh, again, limit, ratios, stages, queries = [], [], [], [], [], []
    rng = random.Random(5000)
    for attempt in range(1, RUNS + 1):
        place = new_center(f"bench{attempt}", units=UNITS)
        rows = people(
            ROWS, [u.name for u in place[3]], rng, citizen_prefix=f"{attempt:02d}"
        )
        content = party_cell_list(rows, inline=INLINE)
        with counted_queries() as captured:
            took, stage, parsed = import_list(
                content, new_class(place, programme), place
            )
        assert parsed.error_count == 0 and len(parsed.rows) == ROWS, parsed.skipped
        assert all(not row.match_id for row in parsed.rows)  # all new people
        fresh.append(took)
        stages.append(stage)
        queries.append(len(captured))
        again.append(import_list(content, new_class(place, programme), place)[0])
        bare = bulk_limit(parsed, programme, f"limit{attempt}")
        limit.append(bare)
        ratios.append(took / bare)
    figures["load"] = (load_before, os.getloadavg()[0])
    figures["after"] = calibrate()  # the load may change while the runs go on
    queries.append(small_list_queries(programme))
    peer = peer_import(programme) if PEER_ROWS else None
    report(figures, fresh, again, limit, ratios, stages, queries, peer)


def small_list_queries(programme, count: int = 50) -> int:
    """Queries of the same import for a list of `count` people."""
    place = new_center("small", units=UNITS)
    rows = people(
        count, [u.name for u in place[3]], random.Random(1), citizen_prefix="98"
    )
    content = party_cell_list(rows, inline=INLINE)
    with counted_queries() as captured:
        import_list(content, new_class(place, programme), place)
    return len(captured)


@contextlib.contextmanager
def counted_queries():
    """The statements run inside, counted without Django's debug cursor (which
    would keep each statement's text and slow the run it counts)."""
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield statements


def new_class(place, programme):
    from courses.models import TrainingClass

    start = datetime.date.today() + datetime.timedelta(days=30)
    return TrainingClass.objects.create(
        center=place[0],
        class_type=programme,
        start_date=start,
        end_date=start + datetime.timedelta(days=4),
        assessment="essay",
        award="certificate",
    )


def import_list(content: bytes, klass, place):
    """(seconds, (upload, preview, confirm) seconds, the preview) of one import,
    as the upload, preview and confirm views do it."""
    import secrets

    from enrollment import columns, importing
    from enrollment.models import ImportBatch
    from enrollment.services import imports

    center, director, membership, _ = place
    started = time.perf_counter()
    sheet = importing.read_list(content)
    remembered = columns.remembered_mapping(sheet, center)
    token = secrets.token_urlsafe(24)
    ImportBatch.objects.create(
        token=token,
        center=center,
        training_class=klass,
        user=director,
        file_name="danh-sach.xlsx",
        sheet=sheet.to_json(),
        mapping=remembered.mapping if remembered else {},
        mapping_remembered=bool(remembered),
    )
    uploaded = time.perf_counter()
    batch = ImportBatch.objects.get(token=token)
    parsed = importing.parse_batch(batch, klass, sheet=imports.load_batch_sheet(batch))
    previewed = time.perf_counter()
    batch = ImportBatch.objects.get(token=token)
    result = imports.import_trainee_list(batch, by=director, membership=membership)
    done = time.perf_counter()
    assert result.created + result.matched == len(parsed.rows)
    stages = (uploaded - started, previewed - uploaded, done - previewed)
    return done - started, stages, parsed


def bulk_limit(parsed, programme, slug: str) -> float:
    """Seconds for bulk_create of the same columns from rows already cleaned
    (name keys computed beforehand), in a fresh centre."""
    from enrollment.models import Enrollment, Trainee
    from trainingcenter.encryption import lookup_hash

    place = new_center(slug)
    klass = new_class(place, programme)
    fields = {f.attname for f in Trainee._meta.concrete_fields}
    cleaned = []
    for row in parsed.rows:
        values = {k: v for k, v in row.values.items() if k in fields}
        values.update(Trainee.name_fields(values["full_name"]))
        # bulk_create skips save(): the keyed hash the import writes, here too.
        values["citizen_id_hash"] = lookup_hash(values.get("citizen_id") or "")
        cleaned.append(values)
    started = time.perf_counter()
    with transaction.atomic():
        trainees = Trainee.objects.bulk_create(
            [Trainee(center=place[0], **values) for values in cleaned],
            batch_size=1000,
        )
        Enrollment.objects.bulk_create(
            [
                Enrollment(
                    training_class=klass,
                    trainee=trainee,
                    unit_id=trainee.unit_id,
                    party_status=trainee.party_status,
                )
                for trainee in trainees
            ],
            batch_size=1000,
        )
    return time.perf_counter() - started


def peer_import(programme) -> float:
    """Rows per second of django-import-export's default import (a per-row
    save, each foreign key looked up per row) of the same columns."""
    import tablib
    from import_export import fields, resources, widgets

    from enrollment.models import Enrollment, Trainee
    from trainingcenter.encryption import lookup_hash
    from trainingcenter.models import Organization

    center, _, _, units = new_center("peer", units=UNITS)
    klass = new_class((center,), programme)
    rows = people(
        PEER_ROWS, [u.code for u in units], random.Random(7), citizen_prefix="99"
    )  # units by code: names repeat between centres
    names = ["full_name", "birth_date", "gender", "ethnicity", "unit", "position",
             "admission_date", "citizen_id", "center", "party_status"]  # fmt: skip
    data = tablib.Dataset(headers=names)
    for row in rows:
        birth = datetime.datetime.strptime(row[2], "%d/%m/%Y").date()
        admitted = datetime.datetime.strptime(row[7], "%d/%m/%Y").date()
        gender = "male" if row[3] == "Nam" else "female"
        data.append([row[1], birth, gender, row[4], row[5], row[6], admitted,
                     row[8], center.pk, "probationary"])  # fmt: skip

    class People(resources.ModelResource):
        unit = fields.Field(
            "unit", "unit", widgets.ForeignKeyWidget(Organization, "code")
        )

        class Meta:
            model = Trainee
            fields = ["id", *names]

    class Enrolments(resources.ModelResource):
        trainee = fields.Field(
            # Citizen IDs are stored encrypted: a person is found by the
            # keyed hash, as the project's import finds them.
            "trainee",
            "trainee",
            widgets.ForeignKeyWidget(Trainee, "citizen_id_hash"),
        )
        unit = fields.Field(
            "unit", "unit", widgets.ForeignKeyWidget(Organization, "code")
        )

        class Meta:
            model = Enrollment
            fields = ["id", "training_class", "trainee", "unit", "party_status"]

    enrolments = tablib.Dataset(headers=Enrolments.Meta.fields[1:])
    for row in rows:
        enrolments.append([klass.pk, lookup_hash(row[8]), row[5], "probationary"])
    started = time.perf_counter()
    first = People().import_data(data, dry_run=False, raise_errors=True)
    second = Enrolments().import_data(enrolments, dry_run=False, raise_errors=True)
    took = time.perf_counter() - started
    assert first.totals["new"] == PEER_ROWS == second.totals["new"]
    return PEER_ROWS / took


def spread(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"median {statistics.median(values):.2f} s ({low:.2f}–{high:.2f})"


def rate(values: list[float]) -> str:
    return f"{ROWS / statistics.median(values):,.0f} rows/s"


def report(figures, fresh, again, limit, ratios, stages, queries, peer) -> None:
    layout = "inline text" if INLINE else "shared strings"
    from django.utils import timezone

    day = timezone.localdate()
    print(f"date: {day:%d/%m/%Y} (Việt Nam); database: {connection.vendor}")
    print(describe(figures) + " before the runs;")
    print(describe(figures["after"]) + " after them")
    before, after = figures["load"]
    print(
        f"machine load (1-minute average) before and after: {before:.1f}, {after:.1f}"
    )
    print(f"rows: {ROWS} new people, a fresh centre each run; file: {layout};")
    print(f"runs: {RUNS}, median and (min–max)")
    print(f"fresh import, end to end: {spread(fresh)} -> {rate(fresh)}")
    for index, name in enumerate(("upload", "preview", "confirm")):
        print(f"  {name}: {spread([stage[index] for stage in stages])}")
    *large, small = queries
    print(f"  queries: {min(large)}–{max(large)}; for a list of 50 people: {small}")
    print(f"re-import of the same list (all registered): {spread(again)}", end=" ")
    print(f"-> {rate(again)}")
    print(f"limit, bulk_create of the same columns: {spread(limit)} -> {rate(limit)}")
    print(
        f"ratio fresh import / bulk_create (same run): median "
        f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}–{max(ratios):.2f})"
    )
    if peer:
        print(
            f"peer, django-import-export default import_data, people then "
            f"enrolments, {PEER_ROWS} rows: {peer:,.0f} rows/s "
            f"({ROWS / statistics.median(fresh) / peer:.0f}x slower)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS) of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
