"""Each request of the load once more, alone on the idle server, and the
rollup workbooks the worker writes: their queries, their time and their share
of the load's work (bench/load_bench.py)."""

import datetime
import logging
import re
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from load_figures import OPENED, ROLLUPS


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

    year = {"kind": "year", "year": plan["year"]}
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
    hashed = hasher.encode(plan["password"], hasher.salt())
    times = []
    for _ in range(3):
        started = time.perf_counter()
        hasher.verify(plan["password"], hashed)
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
    year = plan["year"]
    filters = Filters(period=counting.Period.year(year))
    today = datetime.date(year, 12, 31)
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
