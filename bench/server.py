"""gunicorn as deployed (deploy/gunicorn.conf.py, trainingcenter.wsgi), started
on a free port of the loopback for a benchmark and stopped afterwards."""

import contextlib
import http.client
import os
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


@contextlib.contextmanager
def gunicorn(env: dict, log: Path, headers: dict | None = None, preexec_fn=None):
    """Serve with `env` (settings, DATABASE_URL…) until the block ends; yields
    the port and the gunicorn process once the login page answers (sent
    with `headers`: PROXIED under the production settings). `preexec_fn`
    makes it a service of a CPU group (bench/services.py)."""
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
            # As trainingcenter-web.service: a session of its own.
            start_new_session=True,
            preexec_fn=preexec_fn,
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
