"""Benchmark: the site under load, a province at work.

Run on demand: `make bench` (a throwaway PostgreSQL), or on its own:
`bash scripts/with-postgres.sh .venv/bin/python bench/load_bench.py`
(needs requirements-bench.txt: locust).

In a throwaway test database it generates a province's year with
`manage.py generate_data --scale province` (22 centres, about 2.400 classes
and 130.000 enrolments a year; BENCH_HISTORY=1 year before it too, so that
class lists page through two years), then adds the accounts: a clerk (staff)
and a director in each of the 22 centres, and a committee member of the
province's party committee, with PBKDF2 passwords as production checks them.
One recent graded class per simulated clerk is put "in progress", so that
each clerk enters the results of a class of their own.

It then serves that database as deployed: collectstatic into a temporary
folder, gunicorn with deploy/gunicorn.conf.py (GUNICORN_WORKERS and
GUNICORN_THREADS from the environment, else its defaults: 2 processes per
core, 4 threads each) and the production settings (DEBUG off, HTTPS behind
the proxy), on a free port of 127.0.0.1; and runs locust headless against it
(bench/locustfile.py): BENCH_USERS simulated users (50) started at
BENCH_SPAWN_RATE a second (5), for BENCH_DURATION (10m: a soak, not a
sprint), with a think time of 1 to 5 s: 80% clerks (class list, its pages and
search, rosters, results entered and saved: a real write), 14% directors
(dashboard, centre year report), 6% committee members (rollup pages, rollup
Excel files; of the kinds in BENCH_ROLLUPS, all four by default). Each logs
in once. One of them, a director, does the work behind the load, 30 s in: a
list of 5.000 people imported from Excel into a new class (upload, preview,
confirm) and a batch of 200 certificates, which the worker prints. Locust,
gunicorn, the worker and PostgreSQL share the machine's cores.

It prints locust's figures per request (count, failures, median, p95, p99,
max, in ms) and overall; the p95 of the pages (HTML), of the form posts (the
login, PBKDF2 by design, and the results saved) and of the downloads (the
Excel rollup) apart; requests per second; the pages' p95 per 10 s (the
logins of the ramp-up against the steady state). Then the server's own time
per request from gunicorn's access log (the rest of what locust saw is
waiting for a worker), the CPU used, and each request alone on an idle server
(Django's test client): its queries, its time and its share of the load's
work. It exits 1 on any failed request, on work behind the load left
unfinished or on a pages' p95 of 500 ms or more: the goal on a 2-core
machine. BENCH_SCALE=centre makes a quick trial run.
"""

import contextlib
import csv
import datetime
import http.client
import json
import logging
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from calibration import calibrate, print_machine  # noqa: E402
from common import (  # noqa: E402  (sets Django up)
    ROOT,
    db_url,
    in_test_database,
    passed_class,
)
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lists import party_cell_list, people  # noqa: E402

YEAR = int(os.environ.get("BENCH_YEAR", "2026"))
SCALE = os.environ.get("BENCH_SCALE", "province")
HISTORY = int(os.environ.get("BENCH_HISTORY", "1"))
USERS = int(os.environ.get("BENCH_USERS", "50"))
SPAWN_RATE = os.environ.get("BENCH_SPAWN_RATE", "5")
# Ten minutes, so that the 50 logins of the ramp-up (PBKDF2, a
# quarter of a second of CPU each) weigh as one login in 200 requests, not 20.
DURATION = os.environ.get("BENCH_DURATION", "10m")
# The work behind the load, by one of the directors (bench/locustfile.py).
BACKGROUND_ROWS = 5000
BACKGROUND_CERTIFICATES = 200
GOAL_MS = 500
PASSWORD = "một câu mật khẩu thật dài 2026"
PROVINCE = "GEN-P01"
ROLLUPS = ("units", "centers", "certified", "pipeline")
# The ones the committee opens under load (bench/locustfile.py reads it too).
OPENED = os.environ.get("BENCH_ROLLUPS", ",".join(ROLLUPS)).split(",")
# The requests in three kinds, each with its p95: HTML pages (the goal), the
# form posts (answered by a redirect: the login, costly by design, and the
# results saved) and the downloads (the Excel rollup).
KINDS = ("pages", "form posts", "downloads")


def kind_of(name: str) -> str:
    if name in ("rollup xlsx", "rollup job file"):
        return "downloads"
    return "form posts" if "(POST)" in name else "pages"


# The order of the table: a working day, from logging in to the rollups.
ORDER = [
    "login form",
    "login (POST)",
    "home (after login)",
    "class list",
    "class list, page n",
    "class list, search",
    "class roster",
    "results form",
    "results save (POST)",
    "dashboard",
    "centre year report",
    "rollup page",
    "rollup xlsx",
    "rollup job page",
    "rollup job file",
    "import form",
    "import upload (POST)",
    "import preview",
    "import confirm (POST), asked to confirm",
    "import confirm (POST)",
    "certificates page",
    "certificates issue (POST), asked to confirm",
    "certificates issue (POST)",
    "certificate batch page",
]

outcome = {"ok": False}


def main() -> None:
    started = datetime.datetime.now()
    in_test_database(run)
    print(f"total {datetime.datetime.now() - started}")
    sys.exit(0 if outcome["ok"] else 1)


def run() -> None:
    loads = [os.getloadavg()[0]]
    before = calibrate()
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    generate()
    with tempfile.TemporaryDirectory(prefix="load-bench-") as name:
        folder = Path(name)
        plan = prepare(folder)
        with served(folder) as (port, web, log):
            log_start = log.stat().st_size
            cpu = CpuMeter(web.pid)
            load(port, folder)
            cpu.stop()
        failures, pages_p95, counts = results(folder)
        server_side(log, log_start)
        cpu.show()
        behind = background_done(plan["background"])
        met = not failures and pages_p95 < GOAL_MS and behind
        print(
            f"\ngoal: no failure, the work behind done and pages' p95 < {GOAL_MS} ms"
            f" with {USERS} users: {'met' if met else 'NOT met'}"
        )
        outcome["ok"] = met
    alone(plan, counts)
    loads.append(os.getloadavg()[0])
    print()
    print_machine(before, calibrate(), tuple(loads))


def generate() -> None:
    """The province's year (and BENCH_HISTORY years before), in a subprocess."""
    url = db_url()
    connection.close()  # the subprocess commits and vacuums on its own
    for year in range(YEAR - HISTORY, YEAR + 1):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "generate_data"]
            + ["--scale", SCALE, "--year", str(year)],
            check=True,
            stdout=subprocess.DEVNULL,
            env={
                **os.environ,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "bench.settings",
            },
        )
        print(
            f"generate_data --scale {SCALE} --year {year}:"
            f" {time.perf_counter() - started:.0f} s"
        )


def prepare(folder: Path) -> dict:
    """The accounts and the clerks' classes; the plan the locustfile reads."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
    from django.db.models import Exists, OuterRef

    from courses.models import ClassType, TrainingClass
    from enrollment.models import Certificate, Enrollment
    from trainingcenter.models import Center, Membership, Organization

    User = get_user_model()
    # Production checks passwords with PBKDF2; the test settings hash fast.
    hashed = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    province = Organization.objects.get(code=PROVINCE)
    centres = list(
        Center.objects.filter(organization__code__startswith=f"{PROVINCE}-").order_by(
            "slug"
        )
    )
    certified = Certificate.objects.filter(enrollment__training_class=OuterRef("pk"))
    per_centre = math.ceil(USERS / len(centres))
    entries, own = [], []
    for i, centre in enumerate(centres):
        accounts = {}
        for role in (Membership.Role.STAFF, Membership.Role.DIRECTOR):
            user = User.objects.create(
                username=f"load-{role}-{i + 1:02d}", password=hashed
            )
            Membership.objects.create(user=user, role=role, center=centre)
            accounts[role] = user.username
        classes = TrainingClass.objects.filter(center=centre)
        # The clerks' own classes: this year's latest graded ones, without
        # certificates first (a trial centre has them in every class), now in
        # progress: results can be entered until a class is closed.
        running = list(
            classes.filter(start_date__year=YEAR)
            .exclude(assessment=ClassType.Assessment.NONE)
            .annotate(certified=Exists(certified))
            .order_by("certified", "-start_date", "-pk")
            .values_list("pk", flat=True)[:per_centre]
        )
        TrainingClass.objects.filter(pk__in=running).update(
            status=TrainingClass.Status.IN_PROGRESS
        )
        own.append(running)
        entries.append(
            {
                "slug": centre.slug,
                "staff": accounts[Membership.Role.STAFF],
                "director": accounts[Membership.Role.DIRECTOR],
                "classes": list(classes.values_list("pk", flat=True)),
            }
        )
    committee = User.objects.create(username="load-committee", password=hashed)
    Membership.objects.create(
        user=committee, role=Membership.Role.COMMITTEE, organization=province
    )
    plan = {
        "background": background(centres[0], hashed, folder),
        "password": PASSWORD,
        "year": YEAR,
        "organization": province.pk,
        "committee": committee.username,
        "centres": entries,
        # Clerk k takes class k: round the centres first, one class each.
        "own_classes": [
            {"centre": c, "class": classes[k]}
            for k in range(per_centre)
            for c, classes in enumerate(own)
            if k < len(classes)
        ],
    }
    sizes = [
        Enrollment.objects.filter(training_class_id=entry["class"])
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .count()
        for entry in plan["own_classes"]
    ]
    print(
        f"accounts: {len(centres)} clerks, {len(centres)} directors, 1 committee;"
        f" {len(sizes)} classes in progress for the clerks"
        f" ({min(sizes)}–{max(sizes)} trainees, median {statistics.median(sizes):.0f})"
    )
    (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    return plan


def background(centre, hashed: str, folder: Path) -> dict:
    """The work behind the load, for one director of `centre`: a
    list of 5.000 people in Excel for a new class (upload, preview, confirm: in
    the request) and a closed class of 200 who passed, whose certificates the
    worker prints."""
    import random

    from django.contrib.auth import get_user_model

    from courses.models import ClassType, TrainingClass
    from trainingcenter.models import Membership, Organization

    user = get_user_model().objects.create(username="load-background", password=hashed)
    Membership.objects.create(user=user, role=Membership.Role.DIRECTOR, center=centre)
    like = (
        TrainingClass.objects.filter(center=centre, award=ClassType.Award.CERTIFICATE)
        .exclude(assessment=ClassType.Assessment.NONE)
        .latest("start_date")
    )

    programme = {
        "class_type_id": like.class_type_id,
        "assessment": like.assessment,
        "award": like.award,
    }
    rng = random.Random(38)
    units = list(
        Organization.objects.units_of(centre)
        .order_by("pk")
        .values_list("name", flat=True)[:40]
    )
    rows = people(BACKGROUND_ROWS, units, rng, citizen_prefix="0999")
    listed = folder / "danh-sach-5000.xlsx"
    listed.write_bytes(party_cell_list(rows))
    # The list is of new party members (bench/lists.py): their own course.
    target = TrainingClass.objects.create(
        center=centre,
        start_date=datetime.date(YEAR, 12, 7),
        end_date=datetime.date(YEAR, 12, 11),
        intake_label="danh sách 5.000 người",
        class_type=ClassType.objects.get(code="dang-vien-moi"),
        assessment="essay",
        award="certificate",
    )
    closed = passed_class(
        centre,
        BACKGROUND_CERTIFICATES,
        rng,
        start_date=datetime.date(YEAR, 6, 1),
        end_date=datetime.date(YEAR, 6, 5),
        intake_label="200 chứng chỉ",
        **programme,
    )
    passed = closed.enrollments.order_by("pk")
    return {
        "slug": centre.slug,
        "director": user.username,
        "import_class": target.pk,
        "import_file": str(listed),
        "rows": BACKGROUND_ROWS,
        "certificate_class": closed.pk,
        "enrollments": list(passed.values_list("pk", flat=True)),
        "report": str(folder / "background.json"),
    }


def background_done(work: dict) -> bool:
    """Print what the work behind the load took; True when all of it is done:
    every row of the list enrolled, every certificate printed."""
    from courses.models import TrainingClass
    from enrollment.models import Certificate

    report = Path(work["report"])
    times = json.loads(report.read_text()) if report.exists() else {}
    enrolled = TrainingClass.objects.get(pk=work["import_class"]).enrollments.count()
    printed = Certificate.objects.filter(
        enrollment__training_class_id=work["certificate_class"], pdf__isnull=False
    ).count()

    def took(stage):
        start, end = times.get(f"{stage}_started"), times.get(f"{stage}_ended")
        return f"{end - start:.1f} s" if start and end else "not finished"

    def vn(number):
        return f"{number:,}".replace(",", ".")

    print(
        f"\nbehind the load, one director: a list of"
        f" {vn(work['rows'])} people imported (upload, preview, confirm) in"
        f" {took('import')}, {vn(enrolled)} enrolled;"
        f" {vn(len(work['enrollments']))} certificates numbered and printed by"
        f" the worker in {took('batch')}, {vn(printed)} with their PDF"
    )
    return enrolled == work["rows"] and printed == len(work["enrollments"])


def database() -> str:
    """The server and the settings that weigh on the figures (JIT: heavy
    queries spend more compiling than running)."""
    if connection.vendor != "postgresql":
        return "SQLite"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), current_setting('jit'),"
            " current_setting('max_parallel_workers_per_gather')"
        )
        version, jit, parallel = cursor.fetchone()
    return f"PostgreSQL {version} (jit {jit}, parallel workers per query {parallel})"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> int:
    """The status of GET `path` through "the proxy"."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.request(
            "GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        )
        response = client.getresponse()
        response.read()
        return response.status
    finally:
        client.close()


@contextlib.contextmanager
def served(folder: Path):
    """gunicorn as deployed, serving this database; stopped on the way out."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trainingcenter.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_SECRET_KEY": "load-bench-" + "k" * 50,
        # The citizen-ID keys: the benches' own (bench/settings.py), under which
        # generate_data encrypted the data and this process made the list.
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DATABASE_URL": db_url(),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",  # the access log written as it happens
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    log = folder / "gunicorn.log"
    with log.open("w") as out, (folder / "worker.log").open("w") as worker_out:
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn"]
            + ["--config", str(ROOT / "deploy" / "gunicorn.conf.py")]
            + ["trainingcenter.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        # The background worker, as its unit runs it (its Nice= too): long
        # rollup workbooks are written there (reports/jobs.py).
        unit = (
            ROOT / "deploy" / "systemd" / "trainingcenter-worker.service"
        ).read_text()
        nice = int(re.search(r"^Nice=(-?\d+)$", unit, re.M)[1])
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "1"]
            + ["--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=worker_out,
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: os.nice(nice),
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if web.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if get(port, "/accounts/login/") == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn does not answer:\n{log.read_text()}")
            time.sleep(0.2)
        for _ in range(20):  # every worker past its first request
            get(port, "/accounts/login/")
        workers = os.environ.get("GUNICORN_WORKERS", f"{2 * os.cpu_count()}")
        threads = os.environ.get("GUNICORN_THREADS", "4")
        print(
            f"gunicorn on 127.0.0.1:{port}: {workers} processes x {threads} threads,"
            f" production settings; {database()}; {os.cpu_count()} cores"
        )
        yield port, web, log
    finally:
        for process in (web, worker):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        # The workers' connections must be gone before the database is dropped.
        connection.close()


def load(port: int, folder: Path) -> None:
    """locust headless against gunicorn; its CSV files land in `folder`."""
    command = [
        sys.executable, "-m", "locust",
        "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless", "--only-summary",
        "-u", str(USERS), "-r", SPAWN_RATE, "-t", DURATION,
        "--stop-timeout", "10",
        "--host", f"http://127.0.0.1:{port}",
        "--csv", str(folder / "stats"),
        "--loglevel", "WARNING",
    ]  # fmt: skip
    print(
        f"locust: {USERS} users (+{SPAWN_RATE}/s), {DURATION}, think time 1–5 s …",
        flush=True,
    )
    with (folder / "locust.log").open("w") as out:
        locust = subprocess.run(
            command,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "BENCH_LOAD_PLAN": str(folder / "plan.json"),
                "BENCH_LOAD_SAMPLES": str(folder / "samples.tsv"),
            },
        )
    if not (folder / "stats_stats.csv").exists():
        print((folder / "locust.log").read_text())
        raise RuntimeError(f"locust ended with {locust.returncode} and no figures")
    text = (folder / "locust.log").read_text()
    errors = [line for line in text.splitlines() if "Traceback" in line]
    if errors:
        print(f"locust printed {len(errors)} traceback(s):\n{text[-3000:]}")


def percentile(values: list[float], share: float) -> float:
    """Nearest rank, as locust counts its percentiles."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def ranked(names) -> list[str]:
    return sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else 99, n))


def results(folder: Path) -> tuple[int, float, dict[str, int]]:
    """Print locust's table and the pages' and downloads' p95; return the
    failures, the pages' p95 (ms) and the count of each request."""
    with (folder / "stats_stats.csv").open(encoding="utf-8") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    total = rows.pop("Aggregated")
    header = (
        f"{'request':<24}{'count':>7}{'fail':>6}{'median':>8}{'p95':>8}"
        f"{'p99':>8}{'max':>8}{'req/s':>7}"
    )
    print(f"\nlocust, per request (ms):\n{header}\n{'-' * len(header)}")
    for name in [*ranked(rows), "Aggregated"]:
        row = total if name == "Aggregated" else rows[name]
        if name == "Aggregated":
            print("-" * len(header))
        print(
            f"{name:<24}{int(row['Request Count']):>7}{int(row['Failure Count']):>6}"
            f"{float(row['50%']):>8.0f}{float(row['95%']):>8.0f}"
            f"{float(row['99%']):>8.0f}{float(row['Max Response Time']):>8.0f}"
            f"{float(row['Requests/s']):>7.1f}"
        )
    samples: dict[str, list[float]] = {kind: [] for kind in KINDS}
    timeline = []  # (end time, name, ms)
    with (folder / "samples.tsv").open(encoding="utf-8") as f:
        for line in f:
            ended, name, ms, _failed = line.rstrip("\n").split("\t")
            samples[kind_of(name)].append(float(ms))
            timeline.append((float(ended), name, float(ms)))
    everything = [ms for values in samples.values() for ms in values]
    print(
        "p95: "
        + "; ".join(
            f"{kind} ({len(samples[kind])}) {percentile(samples[kind], 0.95):.0f} ms"
            + (f" [goal < {GOAL_MS} ms]" if kind == "pages" else "")
            for kind in KINDS
        )
        + f"; all requests ({len(everything)}) {percentile(everything, 0.95):.0f} ms"
        f" (locust's own rounding: {float(total['95%']):.0f} ms);"
        f" {float(total['Requests/s']):.1f} requests/s"
    )
    with (folder / "stats_failures.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            print(f"  failed: {row['Name']}: {row['Error']} ({row['Occurrences']}x)")
    over_time(timeline)
    counts = {name: int(row["Request Count"]) for name, row in rows.items()}
    return int(total["Failure Count"]), percentile(samples["pages"], 0.95), counts


def over_time(timeline, step: int = 10) -> None:
    """The pages' p95 per `step` seconds: the logins of the ramp-up against
    the steady state."""
    if not timeline:
        return
    first = min(t for t, _, _ in timeline)
    windows: dict[int, list] = {}
    for ended, name, ms in timeline:
        windows.setdefault(int((ended - first) // step), []).append((name, ms))
    print(f"pages per {step} s (requests ended in the window):")
    for index in sorted(windows):
        rows = windows[index]
        pages = [ms for name, ms in rows if kind_of(name) == "pages"]
        logins = sum(name == "login (POST)" for name, _ in rows)
        print(
            f"  {index * step:>4}–{(index + 1) * step:<4}s {len(rows):>5} requests,"
            f" {logins:>3} logins; pages median {percentile(pages, 0.5):>6.0f} ms,"
            f" p95 {percentile(pages, 0.95):>6.0f} ms"
        )


# gunicorn's access log (deploy/gunicorn.conf.py): path without query, status,
# bytes, time in the worker (from the parsed request to the last byte sent).
ACCESS = re.compile(r'"(\w+) (\S+)" (\d{3}) \S+ (\d+)ms$')
ROUTES = [
    ("GET", r"/accounts/login/", "login form"),
    ("POST", r"/accounts/login/", "login (POST)"),
    ("GET", r"/", "home (after login)"),
    ("GET", r"/centers/", "home (after login)"),
    ("GET", r"/c/[\w-]+/", "dashboard"),
    ("GET", r"/c/[\w-]+/classes/", "class list (all)"),
    ("GET", r"/c/[\w-]+/classes/\d+/", "class roster"),
    ("GET", r"/c/[\w-]+/classes/\d+/results/", "results form"),
    ("POST", r"/c/[\w-]+/classes/\d+/results/", "results save (POST)"),
    ("GET", r"/c/[\w-]+/report/", "centre year report"),
    ("GET", r"/o/\d+/rollups/", "rollup page"),
    ("GET", r"/o/\d+/rollups/xlsx/", "rollup xlsx"),
    ("POST", r"/o/\d+/rollups/xlsx/", "rollup xlsx"),
    ("GET", r"/report-jobs/\d+/", "rollup job page"),
    ("GET", r"/report-jobs/\d+/file/", "rollup job file"),
    ("GET", r"/c/[\w-]+/classes/\d+/import/", "import form"),
    ("POST", r"/c/[\w-]+/classes/\d+/import/", "import upload (POST)"),
    ("GET", r"/c/[\w-]+/classes/\d+/import/[\w-]+/", "import preview"),
    ("POST", r"/c/[\w-]+/classes/\d+/import/[\w-]+/confirm/", "import confirm (POST)"),
    ("GET", r"/c/[\w-]+/classes/\d+/certificates/", "certificates page"),
    ("POST", r"/c/[\w-]+/classes/\d+/certificates/issue/", "certificates issue (POST)"),
    ("GET", r"/c/[\w-]+/certificates/batches/\d+/", "certificate batch page"),
]


def route(method: str, path: str) -> str:
    for verb, pattern, name in ROUTES:
        if verb == method and re.fullmatch(pattern, path):
            return name
    return f"{method} {path}"


def server_side(log: Path, start: int) -> None:
    """Time in the worker per request, from gunicorn's access log."""
    times: dict[str, list[int]] = {}
    statuses: dict[str, int] = {}
    with log.open(encoding="utf-8", errors="replace") as f:
        f.seek(start)
        lines = f.read().splitlines()
    for line in lines:
        match = ACCESS.search(line)
        if match:
            method, path, status, ms = match.groups()
            name = route(method, path)
            times.setdefault(name, []).append(int(ms))
            if int(status) >= 400:
                statuses[name] = statuses.get(name, 0) + 1
    header = (
        f"{'request':<24}{'count':>7}{'median':>8}{'p95':>8}{'max':>8}{'4xx/5xx':>9}"
    )
    print(
        "\ngunicorn's own time per request (ms; what locust saw beyond it is"
        f" waiting for a worker or the CPU):\n{header}\n{'-' * len(header)}"
    )
    for name in ranked(times):
        values = times[name]
        print(
            f"{name:<24}{len(values):>7}{statistics.median(values):>8.0f}"
            f"{percentile(values, 0.95):>8.0f}{max(values):>8.0f}"
            f"{statuses.get(name, 0):>9}"
        )
    problems = [
        line
        for line in lines
        if not ACCESS.search(line) and re.search(r"ERROR|Traceback|CRITICAL", line)
    ]
    if problems:
        print(f"gunicorn logged {len(problems)} error line(s), first ones:")
        print("\n".join(problems[:10]))


class CpuMeter:
    """The machine's CPU over the load, and who used it: gunicorn, the worker,
    PostgreSQL, locust. A thread samples every process each second and keeps
    the last CPU time it saw of each, so that a gunicorn worker replaced after
    its max_requests still counts (summing the living processes at the end
    would forget them)."""

    KINDS = ("gunicorn", "worker", "PostgreSQL", "locust")

    def __init__(self, gunicorn_pid: int):
        import threading

        self.started = time.monotonic()
        self.machine = self._machine()
        self.gunicorn_pid = gunicorn_pid
        self.first, self.last = {}, {}
        self._sample()
        self.first = dict(self.last)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _machine() -> tuple[int, int] | None:
        """(busy, total) jiffies of all cores, from /proc/stat (Linux)."""
        try:
            fields = [int(v) for v in Path("/proc/stat").read_text().split()[1:9]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + fields[4]
        return sum(fields) - idle, sum(fields)

    def _kind(self, process) -> str | None:
        import psutil

        try:
            line = " ".join(process.cmdline())
            if "db_worker" in line:
                return "worker"
            if "locust" in line:
                return "locust"
            if process.name().startswith("postgres"):
                return "PostgreSQL"
            if process.pid == self.gunicorn_pid or process.ppid() == self.gunicorn_pid:
                return "gunicorn"
        except psutil.Error:  # it ended meanwhile
            return None
        return None

    def _sample(self) -> None:
        try:
            import psutil  # comes with locust
        except ImportError:
            return
        for process in psutil.process_iter():
            kind = self._kind(process)
            if kind is None:
                continue
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            self.last[process.pid] = (kind, times.user + times.system)

    def _run(self) -> None:
        while not self._done.wait(1):
            self._sample()

    def stop(self) -> None:
        self._sample()
        self._done.set()
        self._thread.join()
        self.seconds = time.monotonic() - self.started
        machine = self._machine()
        self.busy = (
            (machine[0] - self.machine[0]) / (machine[1] - self.machine[1])
            if machine and self.machine
            else None
        )
        self.used = dict.fromkeys(self.KINDS, 0.0)
        for pid, (kind, seconds) in self.last.items():
            before = self.first.get(pid, (kind, 0.0))[1]
            self.used[kind] += seconds - before

    def show(self) -> None:
        cores = os.cpu_count() or 1
        parts = []
        if self.busy is not None:
            parts.append(f"CPU busy {self.busy:.0%}")
        for kind in self.KINDS:
            parts.append(f"{kind} {self.used[kind] / self.seconds / cores:.0%}")
        parts.append("(the rest: the system and other programs)")
        print(f"\nCPU over {self.seconds:.0f} s on {cores} cores: " + ", ".join(parts))


def alone(plan: dict, counts: dict[str, int]) -> None:
    """Each request once more, alone on an idle server (Django's test client,
    warm): its queries and its time, to tell a slow view from a busy machine;
    and the share of the load's work each kind of request made."""
    import random

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.test import Client

    User = get_user_model()

    def client(username):
        c = Client()
        c.force_login(User.objects.get(username=username))
        return c

    own = plan["own_classes"][0]
    centre = plan["centres"][own["centre"]]
    base = f"/c/{centre['slug']}"
    staff, director = client(centre["staff"]), client(centre["director"])
    committee = client(plan["committee"])
    results_path = f"{base}/classes/{own['class']}/results/"

    def scores():
        """The results form filled in with new scores: each save writes."""
        form = staff.get(results_path).content.decode()
        data = {"version": re.search(r'name="version" value="(\d+)"', form)[1]}
        for pk in re.findall(r'name="score-(\d+)"', form):
            data[f"score-{pk}"] = f"{random.uniform(5, 10):.1f}".replace(".", ",")
        return data

    year = {"kind": "year", "year": YEAR}
    rollups = f"/o/{plan['organization']}/rollups/"
    requests = [
        ("class list", staff, f"{base}/classes/", lambda: {}),
        ("class list, search", staff, f"{base}/classes/", lambda: {"q": "đảng"}),
        ("class roster", staff, f"{base}/classes/{own['class']}/", lambda: {}),
        ("results form", staff, results_path, lambda: {}),
        ("results save (POST)", staff, results_path, scores),
        ("dashboard", director, f"{base}/", lambda: {}),
        ("centre year report", director, f"{base}/report/", lambda: year),
        *[
            (
                f"{name} ({kind})",
                committee,
                path,
                lambda kind=kind: {**year, "rollup": kind},
            )
            for name, path in (
                ("rollup page", rollups),
                ("rollup xlsx", f"{rollups}xlsx/"),
            )
            for kind in ROLLUPS
        ],
    ]
    # How many of each the users sent: the rollup kinds were drawn at random.
    sent = {
        **counts,
        "class list": counts.get("class list", 0) + counts.get("class list, page n", 0),
        **{
            f"{name} ({kind})": counts.get(name, 0) / len(OPENED) * (kind in OPENED)
            for name in ("rollup page", "rollup xlsx")
            for kind in ROLLUPS
        },
    }
    rows = worker_workbooks(plan, sent)
    logging.disable(logging.INFO)  # not the audit lines of the downloads
    for name, c, path, data in requests:
        send = c.post if name.endswith("(POST)") else c.get
        times, cpu = [], []
        for attempt in range(4):
            values = data()
            started, used = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                response = send(path, values)
            if attempt:  # the first one warms up
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - used) * 1000)
            assert response.status_code in (200, 302), (name, response.status_code)
        rows.append(
            (name, len(queries.captured_queries), times, cpu, sent.get(name, 0))
        )
    logging.disable(logging.NOTSET)
    # The login's cost is its password check: PBKDF2 as production hashes.
    hasher = PBKDF2PasswordHasher()
    hashed = hasher.encode(PASSWORD, hasher.salt())
    times = []
    for _ in range(3):
        started = time.perf_counter()
        hasher.verify(PASSWORD, hashed)
        times.append((time.perf_counter() - started) * 1000)
    rows.append(
        (
            f"login: PBKDF2 ({hasher.iterations:,} rounds)",
            0,
            times,
            times,
            counts.get("login (POST)", 0),
        )
    )
    work = {name: statistics.median(times) * n for name, _, times, _, n in rows}
    total_of_requests = sum(
        w for name, w in work.items() if not name.startswith("worker:")
    )
    total = total_of_requests or 1
    print(
        "\neach request alone (test client, warm; median of 3; ms), and the work"
        " the load asked for\n(sent under load x time alone, seconds):\n"
        f"{'request':<34}{'queries':>8}{'ms':>7}{'python':>8}{'sent':>6}"
        f"{'work':>7}{'share':>7}"
    )
    for name, queries, times, cpu, n in rows:
        print(
            f"{name:<34}{queries:>8}{statistics.median(times):>7.0f}"
            f"{statistics.median(cpu):>8.0f}{n:>6.0f}{work[name] / 1000:>7.1f}"
            f"{work[name] / total:>7.0%}"
        )
    print(
        f"work of the load: {total / 1000:.0f} s of single-request time"
        " (python: in the gunicorn process; the rest waits on PostgreSQL);"
        " the worker's workbooks are apart (share of the requests' work)"
    )


def worker_workbooks(plan: dict, sent: dict) -> list:
    """The rollup workbooks too long for a request (over the inline rows),
    as the worker writes them: each once alone, its queries and time."""
    from django.contrib.auth import get_user_model

    from reports import counting, scope
    from reports.exports import rollups as workbooks
    from reports.rollups import Filters

    committee = get_user_model().objects.get(username=plan["committee"])
    target = scope.for_organization(committee, plan["organization"])
    filters = Filters(period=counting.Period.year(YEAR))
    today = datetime.date(YEAR, 12, 31)
    rows = []
    for kind in ROLLUPS:
        exporter = workbooks.exporter(kind, target, filters, today)
        if exporter.row_count() <= workbooks.inline_rows():
            continue
        times, cpu = [], []
        for attempt in range(3):
            started, used = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                workbooks.exporter(kind, target, filters, today).export()
            if attempt:
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - used) * 1000)
        name = f"worker: rollup workbook ({kind}, {exporter.row_count():,} rows)"
        sent_here = sent.get(f"rollup xlsx ({kind})", 0)
        rows.append((name, len(queries.captured_queries), times, cpu, sent_here))
    return rows


if __name__ == "__main__":
    main()
