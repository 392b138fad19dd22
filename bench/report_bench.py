"""Benchmark: the summary report on a whole country's year.

Run on demand: `make bench` (a throwaway PostgreSQL) or
`DATABASE_URL=postgres://… .venv/bin/python bench/report_bench.py`.

In a throwaway test database it generates the nation's year with
`manage.py generate_data --scale nation --order random` (700 centres, about
76.000 classes, 4,2 million enrolments stored in random class order; in a
subprocess, so that its memory does not count below), then measures, warm
(a warm-up run first, then the median of BENCH_REPEAT runs):

(a) the centre-year report page, GET /c/<slug>/report/?kind=year&year=…, as a
    logged-in director, over BENCH_CENTRES centres: with Django's test client
    (server time: middleware, queries, template) and through gunicorn as
    deployed (deploy/gunicorn.conf.py, the benches' settings, a free loopback
    port; each process warmed on the page first);
(b) counting.build_report over every centre for the year, each of its queries,
    and the limit: Biểu 1 (by programme: classes, enrolments, women, minorities,
    completed, passed, certified, grades, plan) as one hand-written SQL query,
    over the raw enrolments (aggregated per class first) and over the summary
    table; distinct persons and sending units by hand too, over the
    summaries (as build_report reads them) and over the raw enrolments;
(c) the number of queries of the centre page and of the report, small and big;
(d) the Excel workbook (reports.exports.report) of one province and of the
    nation: time, tracemalloc peak and the process's peak RSS.
BENCH_EXPLAIN=1 also prints the plans (EXPLAIN ANALYZE) of the slow queries.
Then, unless BENCH_CLUSTER=0, the enrolments are put in class order (CLUSTER,
as if imported class by class) and (a) and (b) are measured again.
BENCH_SCALE=province runs the same on one province, in two minutes. The year
before is generated first (BENCH_HISTORY=1 years; 0 for none), at
BENCH_HISTORY_SCALE (default: BENCH_SCALE; `make bench` uses province), so
that the previous period and the chart of years read real rows. It prints the
machine's calibration and load at the end.
"""

import datetime
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import server  # noqa: E402
from calibration import calibrate, print_machine, spread  # noqa: E402
from common import ROOT, db_url, in_test_database, member  # noqa: E402  (sets Django up)
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

YEAR = int(os.environ.get("BENCH_YEAR", "2026"))
SCALE = os.environ.get("BENCH_SCALE", "nation")
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
CENTRES = int(os.environ.get("BENCH_CENTRES", "10"))
CLUSTER = os.environ.get("BENCH_CLUSTER", "1") == "1"
HISTORY = int(os.environ.get("BENCH_HISTORY", "1"))
# The years before at this scale (a smaller one saves time at the nation's).
HISTORY_SCALE = os.environ.get("BENCH_HISTORY_SCALE", SCALE)


def main() -> None:
    in_test_database(run)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def timed(action, repeat: int = REPEAT) -> list[float]:
    """Run once to warm up, then `repeat` times (3 when a run takes over 2 s);
    the durations in seconds."""
    started = time.perf_counter()
    action()
    if time.perf_counter() - started > 2:
        repeat = min(repeat, 3)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def median(times) -> float:
    return statistics.median(times)


def run() -> None:
    from server import gunicorn, processes

    loads = [os.getloadavg()[0]]
    before = calibrate()
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    generate()
    sizes()
    layouts = ["random", "clustered"] if CLUSTER else ["random"]
    with tempfile.TemporaryDirectory(prefix="report-bench-") as folder:
        # The deployment's gunicorn on this database, the benches' settings.
        env = {"DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": db_url()}
        with gunicorn(env, Path(folder) / "gunicorn.log") as (port, _web):
            workers, threads = processes()
            print(f"gunicorn (deploy/gunicorn.conf.py): {workers} x {threads} threads")
            for _ in range(2 * workers):  # each process past its first request
                server.get(port, "/accounts/login/")
            for layout in layouts:
                if layout == "clustered":
                    cluster()
                print(f"\n=== enrolments stored in {layout} class order ===")
                centre_page(port)
                nation()
                if layout == "random":
                    query_counts()
                    workbooks()
        connection.close()  # the server's connections are gone with it
    loads.append(os.getloadavg()[0])
    print()
    print_machine(before, calibrate(), tuple(loads))


def generate() -> None:
    """The nation's year, in a subprocess writing to this test database."""
    url = db_url()
    connection.close()  # the subprocess commits and vacuums on its own
    # The years before first (BENCH_HISTORY of them), so that the previous
    # period and the chart of years have data, as in a real database.
    for year in range(YEAR - HISTORY, YEAR + 1):
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "generate_data",
                "--scale",
                SCALE if year == YEAR else HISTORY_SCALE,
                "--year",
                str(year),
                "--order",
                "random",
            ],
            check=True,
            env={
                **os.environ,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "bench.settings",
            },
        )
        print(
            f"generate_data --scale {SCALE if year == YEAR else HISTORY_SCALE}"
            f" --year {year}:"
            f" {time.perf_counter() - started:.0f} s"
        )
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")


def sizes() -> None:
    from courses.models import TrainingClass
    from enrollment.models import Enrollment, Trainee
    from trainingcenter.models import Center

    print(
        f"data: {Center.objects.count():,} centres, "
        f"{TrainingClass.objects.count():,} classes, "
        f"{Enrollment.objects.count():,} enrolments, "
        f"{Trainee.objects.count():,} trainees; of them in {YEAR}: "
        f"{TrainingClass.objects.filter(start_date__year=YEAR).count():,} classes, "
        f"{Enrollment.objects.filter(training_class__start_date__year=YEAR).count():,}"
        " enrolments"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT"
                " pg_size_pretty(pg_total_relation_size('enrollment_enrollment')),"
                " pg_size_pretty(pg_total_relation_size('enrollment_trainee')),"
                " pg_size_pretty(pg_database_size(current_database()))"
            )
            enrolments, trainees, total = cursor.fetchone()
        print(
            f"sizes with indexes: enrolments {enrolments}, trainees {trainees}; "
            f"database {total}"
        )


def cluster() -> None:
    from enrollment.models import Enrollment

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"CLUSTER {Enrollment._meta.db_table} "
            "USING enrollment_enrollment_one_per_class"
        )
        cursor.execute(f"ANALYZE {Enrollment._meta.db_table}")
    print(f"\nCLUSTER enrolments by class: {time.perf_counter() - started:.1f} s")


def chosen_centres():
    from courses.models import TrainingClass
    from trainingcenter.models import Center

    slugs = list(
        Center.objects.filter(slug__startswith="gen-")
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    step = max(1, len(slugs) // CENTRES)
    centres = list(Center.objects.filter(slug__in=slugs[::step][:CENTRES]))
    sizes = {c.pk: TrainingClass.objects.filter(center=c).count() for c in centres}
    return sorted(centres, key=lambda c: sizes[c.pk]), sizes


_clients: dict[int, object] = {}


def client_for(center):
    from django.test import Client

    from trainingcenter.models import Membership

    if center.pk not in _clients:
        client = Client()
        director = member(
            f"bench-director-{center.slug}",
            center=center,
            role=Membership.Role.DIRECTOR,
        )
        client.force_login(director)
        _clients[center.pk] = client
    return _clients[center.pk]


def report_url(center) -> str:
    from django.urls import reverse

    return reverse("reports:report", args=[center.slug]) + f"?kind=year&year={YEAR}"


def centre_page(port: int) -> None:
    """(a) the centre-year report page over several centres: in process (Django's
    test client: middleware, queries, template) and through gunicorn (HTTP on
    the loopback, timed by the client), and the centre's build_report."""
    from django.conf import settings

    from reports import counting, scope

    centres, sizes = chosen_centres()
    pages, served, builds = [], [], []
    # Each of gunicorn's processes compiles the page's templates on its first
    # report (the cached loader, as deployed): a warm-up for every process.
    for center in centres[:1]:
        cookie = client_for(center).cookies[settings.SESSION_COOKIE_NAME].value
        for _ in range(2 * server.processes()[0]):
            server.get(
                port, report_url(center), f"{settings.SESSION_COOKIE_NAME}={cookie}"
            )
    for center in centres:
        client = client_for(center)
        url = report_url(center)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookie = f"{settings.SESSION_COOKIE_NAME}={cookie}"

        def get(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        def http(url=url, cookie=cookie):
            status, took = server.get(port, url, cookie)
            assert status == 200, status
            return took

        pages += timed(get)
        http()  # warm-up, as for the others
        served += [http() for _ in range(REPEAT)]
        target = scope.for_center(center)
        builds += timed(
            lambda target=target: counting.build_report(
                target.centers,
                counting.Period.year(YEAR),
                scope_label=target.label,
                issuer=target.issuer,
            )
        )
    print(
        f"(a) centre-year report page, {len(centres)} centres "
        f"({min(sizes.values())}–{max(sizes.values())} classes), {REPEAT} runs each"
    )
    for name, times in (("in process", pages), ("through gunicorn", served)):
        print(
            f"    {name}: median {ms(median(times))},"
            f" p90 {ms(statistics.quantiles(times, n=10)[-1])},"
            f" min {ms(min(times))}, max {ms(max(times))}  [goal < 150 ms]"
        )
    print(f"    of which build_report: {spread(builds, 'ms', 1000)}")


def capture():
    """Record the queries of a block (the log starts empty: it keeps only 9.000)."""
    reset_queries()
    return CaptureQueriesContext(connection)


TABLES = {
    "courses_plantotal": "plan totals",
    "courses_lectureractivity": "lecturer activities",
    "enrollment_survey": "surveys",
    "enrollment_feedbacktally": "feedback",
    "trainingcenter_organization": "unit names",
    "courses_trainingclass": "classes (declared, partners…)",
    "courses_coorganizer": "partners",
    "courses_classtype": "programmes",
    "courses_block": "blocks",
    "courses_classsession": "sessions taught",
    "courses_lecturer": "lecturers",
    "trainingcenter_center": "centre count",
    "enrollment_classunitsummary": "sending units",
    "enrollment_classlecturersummary": "sessions taught",
}


def describe(sql: str) -> str:
    """A short name for one of build_report's queries, from its first table."""
    table = re.search(r'FROM "(\w+)"', sql).group(1)
    if table == "enrollment_classsummary":
        if '"class_type_id" AS "class_type"' in sql:
            return "Biểu 1 by programme"  # with distinct persons
        if "GROUP BY" in sql:
            return "by year"
        return "previous period totals"
    if table == "enrollment_enrollment":
        return "distinct persons (rows)"
    if table == "courses_annualplan":
        return "plan targets" if "SUM(" in sql else "plan years"
    return TABLES.get(table, table)


def nation() -> None:
    """(b) build_report over every centre, its queries, and the hand-written limit."""
    from reports import counting
    from trainingcenter.models import Center

    period = counting.Period.year(YEAR)
    issuer = counting.Issuer("", "", "", "", "")

    def build():
        return counting.build_report(
            Center.objects.all(), period, scope_label="Toàn quốc", issuer=issuer
        )

    builds = timed(build)
    per_query: dict[int, list[float]] = {}
    names: dict[int, str] = {}
    sqls: dict[str, str] = {}
    for _ in range(REPEAT):
        with capture() as captured:
            build()
        for i, query in enumerate(captured.captured_queries):
            per_query.setdefault(i, []).append(float(query["time"]))
            names[i] = describe(query["sql"])
            sqls.setdefault(names[i], query["sql"])
    print(
        f"(b) nation-year build_report ({SCALE}): median {ms(median(builds))}, "
        f"runs {', '.join(ms(t) for t in builds)}  [goal < 1 s]"
    )
    for i, times in per_query.items():
        print(f"    query {i + 1:2d} {names[i]:<24} {ms(median(times)):>11}")
    print(f"    all queries: {ms(sum(median(t) for t in per_query.values()))}")

    if os.environ.get("BENCH_EXPLAIN") == "1":
        for name, sql in sqls.items():
            if name in ("distinct persons", "sending units", "Biểu 1 by programme"):
                print(f"    EXPLAIN ANALYZE, build_report's {name}:")
                explain(sql, None)
        queries, args = hand_queries(period)
        for name, sql in queries.items():
            print(f"    EXPLAIN ANALYZE, hand SQL {name}:")
            explain(sql, args)

    report = build()
    hand = hand_sql(period)
    for name, (times, rows) in hand.items():
        print(f"    hand SQL, {name:<44} {ms(median(times)):>11}")
        if "Biểu 1" in name:
            check_programmes(report, rows)
    # The ratios, measured in turns (this machine's load drifts): build_report's
    # own queries for these figures, as it sent them, against the best hand SQL.
    queries, args = hand_queries(period)
    best_table_one = min(
        (n for n in hand if "Biểu 1" in n), key=lambda n: median(hand[n][0])
    )
    for figures, ours_names, best_names in (
        ("Biểu 1", ["Biểu 1 by programme", "plan targets"], [best_table_one]),
        (
            "sending units",
            ["sending units"],
            ["sending units over the summary table"],
        ),
    ):
        ours, best, ratios = turns(
            [sqls[name] for name in ours_names], [queries[n] for n in best_names], args
        )
        print(
            f"    {figures}, the same figures: build_report's queries"
            f" ({', '.join(ours_names)}) {ms(ours)}, hand SQL ({'; '.join(best_names)})"
            f" {ms(best)} (in turns, median of {2 * REPEAT + 1});"
            f" ratio {ours / best:.2f}x (turns {min(ratios):.2f}–{max(ratios):.2f})"
            "  [goal <= 1.5x]"
        )


def turns(ours_sqls, hand_sqls, args) -> tuple[float, float, list[float]]:
    """Medians of our queries and the hand-written ones, run one after the
    other, and the ratio of each turn."""
    times: dict[str, list[float]] = {"ours": [], "hand": []}
    with connection.cursor() as cursor:
        for _ in range(2 * REPEAT + 1):
            for side, sqls, params in (
                ("ours", ours_sqls, None),
                ("hand", hand_sqls, args),
            ):
                started = time.perf_counter()
                for sql in sqls:
                    cursor.execute(sql, params)
                    cursor.fetchall()
                times[side].append(time.perf_counter() - started)
    ratios = [a / b for a, b in zip(times["ours"], times["hand"], strict=True)]
    return median(times["ours"]), median(times["hand"]), ratios


def hand_sql(period) -> dict[str, tuple[list[float], list]]:
    """The limits: the same figures in one hand-written query each, timed."""
    queries, args = hand_queries(period)
    results = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            rows: list = []

            def execute(sql=sql, rows=rows):
                cursor.execute(sql, args)
                names = [column[0] for column in cursor.description]
                rows[:] = [dict(zip(names, row, strict=True)) for row in cursor]

            results[name] = (timed(execute), list(rows))
    return results


def explain(sql: str, args) -> None:
    """EXPLAIN ANALYZE of one query (BENCH_EXPLAIN=1); see docs/performance.md."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, args)
        print("\n".join("      " + row[0] for row in cursor.fetchall()))


def hand_queries(period) -> tuple[dict[str, str], dict]:
    """The hand-written queries and their arguments."""
    from courses.models import AnnualPlan, TrainingClass
    from enrollment.models import (
        Certificate,
        ClassSummary,
        ClassUnitSummary,
        Enrollment,
        Trainee,
    )
    from trainingcenter.models import Organization

    tables = {
        "c": TrainingClass._meta.db_table,
        "s": ClassSummary._meta.db_table,
        "u": ClassUnitSummary._meta.db_table,
        "e": Enrollment._meta.db_table,
        "t": Trainee._meta.db_table,
        "f": Certificate._meta.db_table,
        "p": AnnualPlan._meta.db_table,
        "o": Organization._meta.db_table,
    }
    args = {"start": period.start, "end": period.end, "year": period.start.year}
    plan = (
        "p AS (SELECT class_type_id, SUM(target_classes) AS target_classes,"
        " SUM(target_trainees) AS target_trainees FROM {p}"
        " WHERE year = %(year)s GROUP BY 1)"
    )
    summed = (
        "SELECT c.class_type_id, COUNT(*) AS classes,"
        " SUM(x.enrolled) AS enrolled, SUM(x.women) AS women,"
        " SUM(x.minorities) AS minorities, SUM(x.completed) AS completed,"
        " SUM(x.passed) AS passed, SUM({certified}) AS certified,"
        " SUM(x.excellent) AS excellent, SUM(x.good) AS good,"
        " SUM(x.average) AS average, SUM(x.failed) AS failed,"
        " COUNT(*) FILTER (WHERE c.counted_in_plan) AS plan_classes_done,"
        " SUM(x.enrolled) FILTER (WHERE c.counted_in_plan)"
        " AS plan_enrolled_done{persons}"
    )
    # Every figure build_report reads from a summary row, not only Biểu 1's
    # printed columns: classes at a cluster, co-organised, enrolments with a
    # roster, attendance.
    also = (
        ", SUM(x.first_in_year) AS persons,"
        " COUNT(*) FILTER (WHERE x.at_cluster) AS cluster_classes,"
        " COUNT(*) FILTER (WHERE x.co_organized) AS co_organized_classes,"
        " SUM(x.enrolled) FILTER (WHERE x.listed) AS listed,"
        " SUM(x.passed) FILTER (WHERE x.listed) AS listed_passed,"
        " SUM(x.attended) AS attended,"
        " SUM(x.attendance_records) AS attendance_records"
    )
    over_summary = (
        "WITH "
        + plan
        + ", b AS ("
        # The summary rows carry their class's programme, date and plan flag.
        + summed.format(certified="x.certified", persons=also).replace("c.", "x.")
        + " FROM {s} x"
        " WHERE x.start_date BETWEEN %(start)s AND %(end)s GROUP BY 1)"
        " SELECT * FROM b FULL JOIN p USING (class_type_id)"
    ).format(**tables)
    active = "e.status <> 'withdrawn'"
    # The baselines' "preagg" form: each class's enrolments counted first.
    opened = (
        "JOIN {c} c ON c.id = e.training_class_id"
        " AND c.start_date BETWEEN %(start)s AND %(end)s"
    )
    over_rows = (
        "WITH " + plan + ", x AS (SELECT e.training_class_id,"
        f" COUNT(*) FILTER (WHERE {active}) AS enrolled,"
        f" COUNT(*) FILTER (WHERE {active} AND t.gender = 'female') AS women,"
        f" COUNT(*) FILTER (WHERE {active} AND t.ethnicity <> ''"
        " AND UPPER(t.ethnicity) <> 'KINH') AS minorities,"
        " COUNT(*) FILTER (WHERE e.status IN ('completed', 'failed')) AS completed,"
        " COUNT(*) FILTER (WHERE e.status = 'completed') AS passed,"
        " COUNT(*) FILTER (WHERE e.status = 'completed' AND e.grade = 'Giỏi')"
        " AS excellent,"
        " COUNT(*) FILTER (WHERE e.status = 'completed' AND e.grade = 'Khá') AS good,"
        " COUNT(*) FILTER (WHERE e.status = 'completed' AND e.grade = 'Trung bình')"
        " AS average,"
        " COUNT(*) FILTER (WHERE e.status = 'failed') AS failed"
        " FROM {e} e " + opened + " JOIN {t} t ON t.id = e.trainee_id GROUP BY 1),"
        " k AS (SELECT e.training_class_id, COUNT(DISTINCT f.enrollment_id) AS n"
        " FROM {f} f JOIN {e} e ON e.id = f.enrollment_id " + opened + ""
        " WHERE f.revoked_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM {f} r WHERE r.replaces_id = f.id) GROUP BY 1),"
        " b AS (" + summed.format(certified="COALESCE(k.n, 0)", persons="") + ""
        " FROM {c} c LEFT JOIN x ON x.training_class_id = c.id"
        " LEFT JOIN k ON k.training_class_id = c.id"
        " WHERE c.start_date BETWEEN %(start)s AND %(end)s GROUP BY 1)"
        " SELECT * FROM b FULL JOIN p USING (class_type_id)"
    ).format(**tables)
    opened_rows = (
        "FROM {e} e JOIN {c} c ON c.id = e.training_class_id"
        " WHERE c.start_date BETWEEN %(start)s AND %(end)s"
        " AND e.status <> 'withdrawn'"
    ).format(**tables)
    queries = {
        "Biểu 1 over the summary table": over_summary,
        "sending units over the summary table": (
            "SELECT u.unit_id, SUM(u.enrolled), SUM(u.passed) FROM {u} u"
            " WHERE u.start_date BETWEEN %(start)s AND %(end)s"
            " GROUP BY 1 ORDER BY 2 DESC, 1"
        ).format(**tables),
        "Biểu 1 over the enrolments, per class first": over_rows,
        "distinct persons, COUNT(DISTINCT) (as the ORM)": (
            f"SELECT COUNT(DISTINCT e.trainee_id) {opened_rows}"
        ),
        "distinct persons, COUNT over SELECT DISTINCT": (
            f"SELECT COUNT(*) FROM (SELECT DISTINCT e.trainee_id {opened_rows}) d"
        ),
        "distinct persons, trainees with an enrolment (EXISTS)": (
            f"SELECT COUNT(*) FROM {tables['t']} t"
            f" WHERE EXISTS (SELECT 1 {opened_rows} AND e.trainee_id = t.id)"
        ),
        "sending units, grouped by name (as the ORM)": (
            "SELECT o.name, COUNT(*), COUNT(*) FILTER (WHERE e.status = 'completed')"
            " FROM {e} e JOIN {c} c ON c.id = e.training_class_id"
            " LEFT JOIN {o} o ON o.id = e.unit_id"
            " WHERE c.start_date BETWEEN %(start)s AND %(end)s"
            " AND e.status <> 'withdrawn' GROUP BY o.name ORDER BY 2 DESC, 1"
        ).format(**tables),
        "sending units, per unit id first, then names": (
            "SELECT o.name, SUM(n), SUM(passed) FROM (SELECT e.unit_id, COUNT(*) AS n,"
            " COUNT(*) FILTER (WHERE e.status = 'completed') AS passed"
            f" {opened_rows} GROUP BY 1) u"
            f" LEFT JOIN {tables['o']} o ON o.id = u.unit_id"
            " GROUP BY o.name ORDER BY 2 DESC, 1"
        ),
    }
    return queries, args


def check_programmes(report, rows) -> None:
    """The hand-written query and build_report agree on every programme, on
    every figure the query computes."""
    from courses.models import ClassType
    from reports.tables import Figures

    codes = dict(ClassType.objects.values_list("pk", "code"))
    # A programme has a row in the plan and one outside it when it has both.
    by_code: dict[str, list] = {}
    for row in report.programme_rows:
        by_code.setdefault(row.code, []).append(row.figures)
    persons = 0
    for row in rows:
        figures = by_code[codes[row["class_type_id"]]]
        persons += row.get("persons") or 0
        for name, value in row.items():
            if name in Figures.__dataclass_fields__:
                ours = sum(getattr(f, name) or 0 for f in figures)
                assert ours == (value or 0), (codes[row["class_type_id"]], name)
    assert persons in (0, report.persons), (persons, report.persons)


def query_counts() -> None:
    """(c) the queries of a page do not grow with the data."""
    from django.urls import reverse

    from reports import counting
    from trainingcenter.models import Center, Organization

    centres, sizes = chosen_centres()
    counts = []
    for center in (centres[0], centres[-1]):
        with capture() as captured:
            client_for(center).get(report_url(center))
        counts.append((sizes[center.pk], len(captured.captured_queries)))

    def report_queries(centers) -> int:
        with capture() as captured:
            counting.build_report(
                centers,
                counting.Period.year(YEAR),
                scope_label="",
                issuer=counting.Issuer("", "", "", "", ""),
            )
        return len(captured.captured_queries)

    one = report_queries(Center.objects.filter(pk=centres[0].pk))
    big = report_queries(Center.objects.filter(pk=centres[-1].pk))
    province = Organization.objects.get(code="GEN-P01")
    in_province = report_queries(province_centres())
    every = report_queries(Center.objects.all())
    print(
        "(c) queries: centre page "
        + ", ".join(f"{n} ({classes} classes)" for classes, n in counts)
        + f"; build_report: smallest centre {one}, largest {big},"
        f" province {in_province}, all {Center.objects.count()} centres {every}"
    )
    # The same kind of scope, small against large: a centre of 200 classes
    # against one of 250, one province against every centre.
    flat = len({n for _, n in counts}) == 1 and one == big and in_province == every
    print(
        "    independent of the data's size (the smallest centre against the"
        " largest, a province against all centres): " + ("yes" if flat else "NO")
    )
    superuser = client_for_superuser()
    url = reverse("org_report", args=[province.pk]) + f"?kind=year&year={YEAR}"
    with capture() as captured:
        response = superuser.get(url)
    assert response.status_code == 200
    queries = len(captured.captured_queries)  # now: each request empties the log
    page = timed(lambda: superuser.get(url))
    print(
        f"    province report page (22 centres): {queries} queries,"
        f" median {ms(median(page))}"
    )


def province_centres():
    """The 22 centres of the first generated province."""
    from trainingcenter.models import Center

    return Center.objects.filter(organization__code__startswith="GEN-P01-")


def client_for_superuser():
    from django.test import Client

    client = Client()
    client.force_login(member("bench-superuser", is_superuser=True, is_staff=True))
    return client


def workbooks() -> None:
    """(d) the Excel workbook: time and memory, one province against the nation."""
    from reports import counting
    from reports.exports.report import ReportWorkbook
    from trainingcenter.models import Center

    period = counting.Period.year(YEAR)
    issuer = counting.Issuer("", "", "", "", "")
    for name, centers in [
        ("one province", province_centres()),
        ("all centres", Center.objects.all()),
    ]:
        report = counting.build_report(centers, period, scope_label=name, issuer=issuer)
        ReportWorkbook(report, centers).export()  # warm-up
        started = time.perf_counter()
        _, _, content = ReportWorkbook(report, centers).export()
        elapsed = time.perf_counter() - started
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        tracemalloc.start()
        ReportWorkbook(report, centers).export()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(
            f"(d) Excel, {name} ({report.total.classes:,} classes in the list):"
            f" {elapsed:.2f} s, {len(content) / 2**20:.1f} MB;"
            f" tracemalloc peak {peak:.1f} MB; peak RSS of the process {rss:.0f} MB"
        )


if __name__ == "__main__":
    started = datetime.datetime.now()
    main()
    print(f"total {datetime.datetime.now() - started}")
