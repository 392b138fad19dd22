"""What bench/load_bench.py prints of a load run: locust's figures per request
and per kind, the pages' p95 over time, gunicorn's own time per request from
its access log, and the CPU each part of the deployment used."""

import csv
import math
import os
import re
import statistics
import time
from pathlib import Path

GOAL_MS = 500
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


def server_side(log: Path, start: int, end: int) -> None:
    """Time in the worker per request, from gunicorn's access log between
    the offsets `start` and `end` (the load's requests)."""
    times: dict[str, list[int]] = {}
    statuses: dict[str, int] = {}
    with log.open("rb") as f:
        f.seek(start)
        lines = f.read(end - start).decode("utf-8", "replace").splitlines()
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

    KINDS = ("gunicorn", "workers", "PostgreSQL", "locust")

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
                return "workers"
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
