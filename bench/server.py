"""gunicorn as deployed (deploy/gunicorn.conf.py, trainingcenter.wsgi), started
on a free port of the loopback for a benchmark and stopped afterwards."""

import contextlib
import http.client
import math
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# What the deployment's proxy (nginx) adds to every request it passes on: the
# production settings (HTTPS behind a proxy) redirect a request without it.
PROXIED = {"X-Forwarded-Proto": "https"}


def get(
    port: int, path: str, cookies: str = "", headers: dict | None = None
) -> tuple[int, float]:
    """GET `path` on a new connection: the status and the seconds it took."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1", **(headers or {})}
    if cookies:
        headers["Cookie"] = cookies
    try:
        started = time.perf_counter()
        client.request("GET", path, headers=headers)
        response = client.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        client.close()


# systemd starts each service in a session of its own, and the kernel
# schedules each as one group: its autogroup, or its cgroup once a unit sets
# CPUWeight= (100 by default). So a service's share of a busy CPU against the
# others is set by its unit's CPUWeight=, whatever the nice level of its
# processes. A bench starts each service the same way: its processes in a new
# session, whose autogroup is given the nice level of the same weight (nice 0
# weighs as CPUWeight=100, and each level 1,25 times less).
DEFAULT_CPU_WEIGHT = 100


def cpu_weight(unit: str) -> int:
    """A systemd unit's CPUWeight= (its text), or systemd's default."""
    found = re.search(r"^CPUWeight=(\d+)$", unit, re.M)
    return int(found[1]) if found else DEFAULT_CPU_WEIGHT


def as_a_service(weight: int = DEFAULT_CPU_WEIGHT):
    """A `preexec_fn` for Popen(start_new_session=True): the child's session
    scheduled with the CPU share of a service of `weight` (on a kernel
    without autogroups, its own nice level does it)."""
    nice = round(math.log(DEFAULT_CPU_WEIGHT / weight, 1.25))

    def preexec():
        if nice:
            os.nice(nice)
            with contextlib.suppress(OSError):
                Path("/proc/self/autogroup").write_text(str(nice))

    return preexec


@contextlib.contextmanager
def gunicorn(env: dict, log: Path, headers: dict | None = None):
    """Serve with `env` (settings, DATABASE_URL…) until the block ends; yields
    the port and the gunicorn process once the login page answers (sent
    with `headers`: PROXIED under the production settings)."""
    port = free_port()
    env = {
        **os.environ,
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("w") as out:
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn"]
            + ["--config", str(ROOT / "deploy" / "gunicorn.conf.py")]
            + ["trainingcenter.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            # As trainingcenter-web.service: a service of the default weight.
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if web.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if get(port, "/accounts/login/", headers=headers)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn does not answer:\n{log.read_text()}")
            time.sleep(0.2)
        yield port, web
    finally:
        stop(web)


def stop(*started: subprocess.Popen) -> None:
    """Ask each process to stop, then wait for all; kill one that hangs."""
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def processes() -> tuple[int, int]:
    """The deployment's processes and threads (deploy/gunicorn.conf.py)."""
    workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1)))
    return workers, int(os.environ.get("GUNICORN_THREADS", "4"))
