"""Twenty people at once on `make run`'s own server: the SQLite default.

Run on demand (not part of `make test`): `.venv/bin/python bench/sqlite_users.py`.

As `make run` does, in a temporary folder: DJANGO_DEBUG=1, a SQLite file
migrated and filled by `seed_demo`, `manage.py runserver` (one process, a
thread per request) and the background worker beside it. Four classes of the
demo centre are put "in progress" with two sessions held, so there is work to
write. Then USERS (20) simulated people log in at the same moment and work for
DURATION seconds (120) with no pause between clicks: of every five, four are
clerks (dashboard, class list, a class, the trainee search, then a write: one
trainee enrolled, a roll call saved, a new trainee recorded) and one a
director (dashboard, the year's report, the certificate register).

It prints the requests by answer, the writes that went through, the median
and 95th percentile of the answer time, and the server's "database is
locked" errors; it exits 1 on any answer of 500 or more, any request that
failed outright, or any "database is locked" in the server's log.
BENCH_DB=path starts from a copy of an already seeded database (seed_demo
--password BENCH_PASSWORD).
"""

import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
USERS = int(os.environ.get("BENCH_USERS", "20"))
DURATION = float(os.environ.get("BENCH_DURATION", "120"))
# BENCH_DB: a seeded database, whose demo users' password is BENCH_PASSWORD.
PASSWORD = os.environ.get("BENCH_PASSWORD") or "demo-" + os.urandom(6).hex()

# Run inside `manage.py shell`: four classes to work in, and who may join them.
SETUP = """
import datetime, json
from django_scopes import scopes_disabled
from courses.models import ClassSession, TrainingClass
from enrollment.models import Trainee
from trainingcenter.models import Center
with scopes_disabled():
    center = Center.objects.order_by("pk").first()
    today = datetime.date.today()
    work = []
    classes = TrainingClass.objects.filter(center=center).order_by("-start_date")
    for klass in classes[:4]:
        TrainingClass.objects.filter(pk=klass.pk).update(
            status="in_progress",
            start_date=today - datetime.timedelta(days=10),
            end_date=today + datetime.timedelta(days=20),
        )
        sessions = []
        for days, part in ((9, 1), (2, 2)):  # morning, afternoon
            session, _ = ClassSession.objects.get_or_create(
                training_class=klass,
                date=today - datetime.timedelta(days=days),
                part=part,
                defaults={"topic": "Chuyên đề thử tải"},
            )
            sessions.append(session.pk)
        work.append({"class": klass.pk, "sessions": sessions})
    free = list(Trainee.objects.filter(center=center).values_list("pk", flat=True))
    print(json.dumps({"center": center.slug, "work": work, "trainees": free}))
"""


def manage(env, *args, **kwargs):
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        **kwargs,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Person(threading.Thread):
    """One simulated user: logs in, then clicks and posts until the time is up."""

    def __init__(self, number, base, setup, login, results, pool):
        super().__init__(name=f"user-{number}")
        self.base, self.setup, self.login = base, setup, login
        self.results, self.pool = results, pool
        self.web = requests.Session()
        self.director = login == "director"

    def call(self, method, path, data=None, expect_redirect=False):
        url = self.base + path
        started = time.monotonic()
        try:
            if method == "POST":
                data = {**(data or {}), "csrfmiddlewaretoken": self.token()}
                answer = self.web.post(
                    url, data=data, allow_redirects=False, timeout=120
                )
            else:
                answer = self.web.get(url, timeout=120)
            status = answer.status_code
        except requests.RequestException as error:
            status = f"failed: {type(error).__name__}"
        self.results.append((method, path, status, time.monotonic() - started))
        if expect_redirect and status == 302:
            self.results.append(("WRITE", path, "done", 0.0))
        return status

    def token(self):
        return self.web.cookies.get("csrftoken", "")

    def run(self):
        self.call("GET", "/accounts/login/")
        self.call(
            "POST",
            "/accounts/login/",
            {"username": self.login, "password": PASSWORD},
            expect_redirect=True,
        )
        deadline = time.monotonic() + DURATION
        while time.monotonic() < deadline:
            if self.director:
                self.director_round()
            else:
                self.clerk_round()

    def director_round(self):
        c = f"/c/{self.setup['center']}"
        self.call("GET", f"{c}/")
        self.call("GET", f"{c}/report/")
        self.call("GET", f"{c}/register/")

    def clerk_round(self):
        c = f"/c/{self.setup['center']}"
        work = random.choice(self.setup["work"])
        klass = f"{c}/classes/{work['class']}"
        self.call("GET", f"{c}/")
        self.call("GET", f"{c}/classes/")
        self.call("GET", f"{klass}/")
        self.call("GET", f"{c}/trainees/?q=nguyen")
        choice = random.random()
        if choice < 0.4 and self.pool:
            trainee = self.pool.pop()
            self.call(
                "POST",
                f"{klass}/enrol/",
                {"trainee": trainee, "confirm_warnings": "1", "over_capacity": "1"},
                expect_redirect=True,
            )
        elif choice < 0.7:
            session = random.choice(work["sessions"])
            page = f"{klass}/sessions/{session}/attendance/"
            html = self.web.get(self.base + page, timeout=120).text
            ticked = re.findall(r'name="present" value="(\d+)"', html)
            present = random.sample(ticked, k=len(ticked) * 4 // 5) if ticked else []
            self.call("POST", page, {"present": present}, expect_redirect=True)
        else:
            self.call(
                "POST",
                f"{c}/trainees/new/",
                {
                    "full_name": f"Nguyễn Văn Thử {random.randrange(10**9)}",
                    "birth_date": "17/05/1990",
                    "gender": "male",
                    "party_status": "non_member",
                },
                expect_redirect=True,
            )


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="sqlite-users-"))
    database = folder / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONUNBUFFERED": "1",
    }
    server = worker = None
    try:
        if os.environ.get("BENCH_DB"):
            shutil.copy(os.environ["BENCH_DB"], database)
            manage(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
        else:
            manage(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
            manage(env, "seed_demo", "--password", PASSWORD, stdout=subprocess.DEVNULL)
        shell = manage(env, "shell", "-c", SETUP, capture_output=True, text=True)
        setup = json.loads(shell.stdout.strip().splitlines()[-1])
        port = free_port()
        log = (folder / "server.log").open("w")
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        worker = subprocess.Popen(
            [
                PYTHON,
                "manage.py",
                "db_worker",
                "--queue-name",
                "*",
                "--interval",
                "1",
                "--no-reload",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                requests.get(base + "/accounts/login/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.5)
        return run_users(base, setup, folder / "server.log")
    finally:
        for process in (server, worker):
            if process is not None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def run_users(base, setup, server_log) -> int:
    results: list[tuple] = []
    pool = list(setup["trainees"])
    random.shuffle(pool)
    people = [
        Person(n, base, setup, "director" if n % 5 == 4 else "staff", results, pool)
        for n in range(USERS)
    ]
    started = time.monotonic()
    for person in people:
        person.start()
    for person in people:
        person.join()
    elapsed = time.monotonic() - started
    return report(results, elapsed, server_log.read_text(errors="replace"))


def report(results, elapsed, server_log) -> int:
    answers = [r for r in results if r[0] != "WRITE"]
    writes = Counter(
        r[1].rstrip("/").split("/")[-1] for r in results if r[0] == "WRITE"
    )
    by_status = Counter(str(r[2]) for r in answers)
    times = sorted(r[3] for r in answers)
    locked = server_log.count("database is locked")
    print(f"{USERS} users for {elapsed:.0f} s: {len(answers)} requests")
    print("answers:", dict(sorted(by_status.items())))
    print("writes that went through:", dict(writes), "total", sum(writes.values()))
    print(
        f"answer time: median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {times[int(len(times) * 0.95)] * 1000:.0f} ms, "
        f"max {times[-1] * 1000:.0f} ms"
    )
    print(f'"database is locked" in the server log: {locked}')
    bad = sum(
        n
        for status, n in by_status.items()
        if not status.isdigit() or int(status) >= 500
    )
    print(f"answers of 500 or more, or failed: {bad}")
    return 1 if bad or locked else 0


if __name__ == "__main__":
    sys.exit(main())
