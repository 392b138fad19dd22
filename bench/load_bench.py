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
confirm) and a batch of 200 certificates, which the certificates' background
worker prints (beside it, the other worker writes the long rollup workbooks,
as the deployment guide enables them). Locust, gunicorn, the workers and
PostgreSQL share the machine's cores. Once the load is over and the workers'
queues are empty, the same director does the same work
again (another list of new people, another class of 200) alone on the idle
server: the load's figure is compared with that one.

It prints locust's figures per request (count, failures, median, p95, p99,
max, in ms) and overall; the p95 of the pages (HTML), of the form posts (the
login, PBKDF2 by design, and the results saved) and of the downloads (the
Excel rollup) apart; requests per second; the pages' p95 per 10 s (the
logins of the ramp-up against the steady state). Then the server's own time
per request from gunicorn's access log (the rest of what locust saw is
waiting for a worker), the CPU used, and each request alone on an idle server
(Django's test client): its queries, its time and its share of the load's
work. It exits 1 on any failed request, on work behind the load left
unfinished or taking more than twice its time alone, or on a pages' p95 of
500 ms or more: the goals on a 2-core machine. BENCH_SCALE=centre makes a
quick trial run.
"""

import contextlib
import datetime
import json
import math
import os
import re
import shlex
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
from lists import party_cell_list, people  # noqa: E402
from load_alone import alone  # noqa: E402
from load_figures import GOAL_MS, CpuMeter, results, server_side  # noqa: E402

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
# Under load, that work may take at most this many times its time alone.
BEHIND_GOAL = 2
# Background workers: the units the deployment guide enables on a 2-core host,
# one instance each.
# The web first, then the background workers.
SERVICE_UNITS = (
    "trainingcenter-web.service",
    "trainingcenter-certificates.service",
    "trainingcenter-worker@.service",
)
PASSWORD = "một câu mật khẩu thật dài 2026"
PROVINCE = "GEN-P01"
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
            log_end = log.stat().st_size
            alone_on_the_server(port, folder)
        failures, pages_p95, counts = results(folder)
        server_side(log, log_start, log_end)
        cpu.show()
        behind = behind_within_goal(plan)
        met = not failures and pages_p95 < GOAL_MS and behind
        print(
            f"\ngoal: no failure, pages' p95 < {GOAL_MS} ms with {USERS} users, and"
            f" the work behind the load done within {BEHIND_GOAL}x its time alone:"
            f" {'met' if met else 'NOT met'}"
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
    from django.utils import timezone

    from courses.models import ClassSession, ClassType, TrainingClass
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
    # Results wait for a class's first session: the clerks' classes have held one.
    held = ClassSession.objects.filter(
        training_class=OuterRef("pk"), date__lte=timezone.localdate()
    )
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
            .filter(Exists(held))
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
        **behind_the_load(centres[0], hashed, folder),
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


def behind_the_load(centre, hashed: str, folder: Path) -> dict:
    """The work behind the load and the same work for the idle server after
    it, for one director of `centre`: the plan's "background" and
    "background_alone"."""
    from django.contrib.auth import get_user_model

    from trainingcenter.models import Membership

    user = get_user_model().objects.create(username="load-background", password=hashed)
    Membership.objects.create(user=user, role=Membership.Role.DIRECTOR, center=centre)
    return {
        "background": background(centre, user, folder, "background", "0999"),
        "background_alone": background(centre, user, folder, "alone", "0998"),
    }


def background(centre, user, folder: Path, name: str, citizens: str) -> dict:
    """The work behind the load, for the director `user` of `centre`: a
    list of 5.000 people in Excel for a new class (upload, preview, confirm: in
    the request) and a closed class of 200 who passed, whose certificates the
    worker prints. `name` tells the sets apart (under the load, alone), and
    `citizens` starts the list's citizen IDs, so that each list is of people
    not yet registered."""
    import random

    from courses.models import ClassType, TrainingClass
    from trainingcenter.models import Organization

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
    rows = people(BACKGROUND_ROWS, units, rng, citizen_prefix=citizens)
    listed = folder / f"danh-sach-5000-{name}.xlsx"
    listed.write_bytes(party_cell_list(rows))
    # The list is of new party members (bench/lists.py): their own course.
    target = TrainingClass.objects.create(
        center=centre,
        start_date=datetime.date(YEAR, 12, 7),
        end_date=datetime.date(YEAR, 12, 11),
        intake_label=f"danh sách 5.000 người ({name})",
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
        intake_label=f"200 chứng chỉ ({name})",
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
        "report": str(folder / f"{name}.json"),
    }


def background_done(work: dict, label: str) -> dict | None:
    """Print what the work behind the load took; its seconds (the import, the
    batch), or None unless all of it is done: every row of the list
    enrolled, every certificate printed."""
    from courses.models import TrainingClass
    from enrollment.models import Certificate

    report = Path(work["report"])
    times = json.loads(report.read_text()) if report.exists() else {}
    enrolled = TrainingClass.objects.get(pk=work["import_class"]).enrollments.count()
    printed = Certificate.objects.filter(
        enrollment__training_class_id=work["certificate_class"], pdf__isnull=False
    ).count()
    took = {}
    for stage in ("import", "batch"):
        start, end = times.get(f"{stage}_started"), times.get(f"{stage}_ended")
        if start and end:
            took[stage] = end - start

    def shown(stage):
        return f"{took[stage]:.1f} s" if stage in took else "not finished"

    def vn(number):
        return f"{number:,}".replace(",", ".")

    print(
        f"{label}: a list of {vn(work['rows'])} people imported (upload, preview,"
        f" confirm) in {shown('import')}, {vn(enrolled)} enrolled;"
        f" {vn(len(work['enrollments']))} certificates numbered and printed by"
        f" a worker in {shown('batch')}, {vn(printed)} with their PDF"
    )
    done = enrolled == work["rows"] and printed == len(work["enrollments"])
    return took if done and len(took) == 2 else None


def behind_within_goal(plan: dict) -> bool:
    """The work behind the load against the same work alone on the idle
    server after it: True when both are done and the whole of it (the import
    and the batch) took at most BEHIND_GOAL times as long under load. Each
    part's ratio is printed too."""
    print()
    loaded = background_done(plan["background"], "behind the load, one director")
    idle = background_done(plan["background_alone"], "the same work alone")
    if not (loaded and idle):
        return False
    whole = sum(loaded.values()) / sum(idle.values())
    print(
        f"under load / alone: the whole work {whole:.2f}x [goal <= {BEHIND_GOAL}x];"
        + "".join(f" {stage} {loaded[stage] / idle[stage]:.2f}x" for stage in loaded)
    )
    return whole <= BEHIND_GOAL


def alone_on_the_server(port: int, folder: Path) -> None:
    """The work behind the load once more, alone on the idle server (the same
    director's steps through gunicorn, the worker printing): what the load's
    figure is compared with."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    # Idle: the workbooks the load queued are written first.
    waiting = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    for _ in range(600):
        if not waiting.exists():
            break
        time.sleep(1)
    print("the same work alone on the idle server …", flush=True)
    report = folder / "alone.json"
    command = [
        sys.executable, "-m", "locust",
        "-f", str(ROOT / "bench" / "locustfile.py"), "Background",
        "--headless", "--only-summary", "-u", "1", "-r", "1", "-t", "15m",
        "--host", f"http://127.0.0.1:{port}", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {
        **os.environ,
        "BENCH_LOAD_PLAN": str(folder / "plan.json"),
        "BENCH_LOAD_SAMPLES": str(folder / "alone-samples.tsv"),
        "BENCH_BACKGROUND": "background_alone",
        "BENCH_BACKGROUND_START": "0",
    }
    with (folder / "alone-locust.log").open("w") as out:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        try:
            while not report.exists() and locust.poll() is None:
                time.sleep(1)
        finally:
            locust.terminate()
            locust.wait(timeout=60)


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


def postmaster() -> int | None:
    """The PostgreSQL server's main process, when it runs on this machine."""
    import psutil  # comes with locust

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    try:  # the same PID on another host is another program
        leader = psutil.Process(backend).parent()
        return leader.pid if leader and leader.name() == "postgres" else None
    except psutil.Error:
        return None


@contextlib.contextmanager
def served(folder: Path):
    """gunicorn as deployed, serving this database, and the background workers
    beside it; all stopped on the way out."""
    from server import PROXIED, get, gunicorn, processes, stop
    from services import DEFAULT_CPU_WEIGHT, CpuGroups, cpu_weight

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
        "PYTHONUNBUFFERED": "1",  # the access log written as it happens
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    log = folder / "gunicorn.log"
    # The web and the background workers as the deployment guide enables
    # their units on a 2-core host (one worker each: certificate batches; long
    # rollup workbooks and report PDFs), and as systemd runs them: their
    # command, each a service with its unit's CPUWeight= (bench/services.py);
    # PostgreSQL, when it runs beside the bench, a service of its own too.
    web_unit, *units = [
        (ROOT / "deploy" / "systemd" / name).read_text() for name in SERVICE_UNITS
    ]
    with (
        CpuGroups() as groups,
        gunicorn(
            env, log, PROXIED, preexec_fn=groups.preexec("web", cpu_weight(web_unit))
        ) as (port, web),
        (folder / "worker.log").open("w") as worker_out,
    ):
        shares = [f"web, CPUWeight={cpu_weight(web_unit)}"]
        if groups.adopt("postgresql", postmaster()):
            shares.append(f"PostgreSQL, CPUWeight={DEFAULT_CPU_WEIGHT}")
        workers = []
        for unit in units:
            command = re.search(r"^ExecStart=\S+ (manage\.py .+)$", unit, re.M)[1]
            queue = re.search(r"--queue-name (\S+)", command)[1]
            workers.append(
                subprocess.Popen(
                    [sys.executable, *shlex.split(command)],
                    cwd=ROOT,
                    env=env,
                    stdout=worker_out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=groups.preexec(f"worker-{queue}", cpu_weight(unit)),
                )
            )
            shares.append(f"worker of {queue}, CPUWeight={cpu_weight(unit)}")
        try:
            for _ in range(20):  # every worker past its first request
                get(port, "/accounts/login/", headers=PROXIED)
            web_processes, threads = processes()
            print(
                f"gunicorn on 127.0.0.1:{port}: {web_processes} processes x {threads}"
                f" threads, production settings; {len(workers)} background"
                f" workers; {database()}; {os.cpu_count()} cores\n"
                f"scheduling: {groups.how} ({'; '.join(shares)})"
            )
            yield port, web, log
        finally:
            stop(*workers)
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


if __name__ == "__main__":
    main()
