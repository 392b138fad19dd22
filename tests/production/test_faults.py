"""Faults of a running deployment, for real:

- the worker killed with SIGKILL halfway through a certificate batch and
  through a report PDF: no half file anywhere, and the unit's restart
  (`recover_jobs`, then `db_worker`) finishes the job;
- PostgreSQL stopped and started again under load: gunicorn answers 503 with
  a Vietnamese page meanwhile (never a 500 or a dropped connection) and serves
  again by itself, the same processes;
- the disk full (a tmpfs of its own, in a mount namespace) while an Excel
  export is written: a 507 page that says so, and the server goes on.
"""

import io
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pikepdf
import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django_scopes import scopes_disabled

from enrollment.models import Certificate, CertificateBatch
from enrollment.services import certificate_files as service
from reports import counting, jobs as report_jobs, scope
from reports.models import ReportJob
from tests.factories import make_member
from tests.production import postgres_only
from tests.production.serving import (
    DB_BACKEND,
    ROOT,
    Browser,
    closed_class_of,
    collectstatic,
    database_url,
    exec_start,
    free_port,
    pg_tool,
    production_env,
    queue_certificates,
    set_password,
    stop,
)
from trainingcenter.models import Membership

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def wait_for(condition, seconds: float, step: float = 0.02) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def whole_pdf(content: bytes) -> bool:
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            return len(pdf.pages) >= 1
    except pikepdf.PdfError:
        return False


# The units of the two queues' workers.
CERTIFICATES = "trainingcenter-certificates.service"
REPORTS = "trainingcenter-worker@.service"


def kill_worker_when(
    unit: str, env: dict, condition, seconds: float, message: str = ""
) -> None:
    """Start the worker as its unit does and SIGKILL it once `condition` holds."""
    worker = subprocess.Popen(exec_start(unit), cwd=ROOT, env=env)
    try:
        assert wait_for(condition, seconds), message
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    finally:
        stop(worker)


def restart_worker_until(unit: str, env: dict, condition, seconds: float) -> None:
    """What systemd does next: the unit's ExecStartPre queues the stalled job
    again (its heartbeat counted as old at once), and a new worker runs until
    `condition` holds."""
    recover = subprocess.run(
        exec_start(unit, "ExecStartPre"),
        cwd=ROOT,
        env={**env, "JOBS_STALLED_AFTER": "0"},
        check=True,
    )
    assert recover.returncode == 0
    worker = subprocess.Popen(exec_start(unit), cwd=ROOT, env=env)
    try:
        assert wait_for(condition, seconds, 0.2)
    finally:
        stop(worker)


def printed_certificates() -> list[Certificate]:
    with scopes_disabled():
        return list(Certificate.objects.exclude(pdf=None))


def assert_each_pdf_whole_or_none(director, klass, batch) -> Client:
    """Each certificate has its whole PDF, matching its digest, or none at
    all; the class file is not offered half-made. The director's client."""
    for certificate in printed_certificates():
        assert whole_pdf(bytes(certificate.pdf)), certificate.number_text
        assert service.digest(certificate.fields, bytes(certificate.pdf)) == (
            certificate.digest
        )
    client = Client()
    client.force_login(director)
    slug = klass.center.slug
    download = reverse("enrollment:class_certificates_pdf", args=[slug, klass.pk])
    response = client.get(download)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "enrollment:batch_detail", args=[slug, batch.pk]
    )
    return client


def test_a_worker_killed_mid_batch_leaves_no_half_file_and_the_restart_finishes(
    site_a, tmp_path
):
    with scopes_disabled():
        director = make_member(site_a.center, Membership.Role.DIRECTOR, username="gd")
        klass = closed_class_of(site_a.center, 40)
        queue_certificates(klass, director)
        batch = CertificateBatch.objects.get()
        numbers = dict(Certificate.objects.values_list("pk", "number_text"))
    env = production_env(
        database_url(connection.settings_dict),
        free_port(),
        tmp_path,
        CERTIFICATE_CHUNK="2",
    )
    kill_worker_when(
        CERTIFICATES,
        env,
        lambda: len(printed_certificates()) >= 4,
        120,
        "nothing printed",
    )
    with scopes_disabled():
        batch.refresh_from_db()
        before = {c.pk: (bytes(c.pdf), c.digest) for c in printed_certificates()}
        missing = Certificate.objects.filter(pdf=None).count()
    assert batch.status == "running" and 4 <= len(before) < 40 and missing
    client = assert_each_pdf_whole_or_none(director, klass, batch)

    def batch_done():
        with scopes_disabled():
            return CertificateBatch.objects.get().status == "done"

    restart_worker_until(CERTIFICATES, env, batch_done, 180)
    with scopes_disabled():
        after = list(Certificate.objects.all())
    assert {c.pk: c.number_text for c in after} == numbers  # the same numbers
    for certificate in after:
        assert whole_pdf(bytes(certificate.pdf))
        if certificate.pk in before:  # printed before the kill: untouched
            assert (bytes(certificate.pdf), certificate.digest) == before[
                certificate.pk
            ]
    download = reverse(
        "enrollment:class_certificates_pdf", args=[site_a.center.slug, klass.pk]
    )
    whole = client.get(download)
    assert whole.status_code == 200
    with pikepdf.open(io.BytesIO(whole.content)) as pdf:
        assert len(pdf.pages) == 40


def test_a_worker_killed_while_laying_out_a_report_leaves_no_file(site_a, tmp_path):
    with scopes_disabled():
        klass = closed_class_of(site_a.center, 30)
        assert klass.pk
        with override_settings(TASKS=DB_BACKEND):
            job = report_jobs.start_job(
                site_a.staff,
                scope.for_center(site_a.center),
                counting.Period.year(2026),
            )
    env = production_env(database_url(connection.settings_dict), free_port(), tmp_path)

    def status():
        with scopes_disabled():
            return ReportJob.objects.get(pk=job.pk).status

    kill_worker_when(REPORTS, env, lambda: status() == "running", 60)
    with scopes_disabled():
        job.refresh_from_db()
    assert job.status == "running" and job.content is None and job.filename == ""
    client = Client()
    client.force_login(site_a.staff)
    download = reverse("report_job_file", args=[job.pk])
    assert client.get(download).status_code == 302  # back to the progress page

    restart_worker_until(REPORTS, env, lambda: status() == "done", 120)
    pdf = client.get(download)
    assert pdf.status_code == 200 and whole_pdf(pdf.content)


class Cluster:
    """A PostgreSQL server of the test's own, to stop and start under load."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="tc-faults-"))
        self.data = self.dir / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._pg("initdb", "-D", self.data, "-A", "trust", "-U", "postgres")
        self.start()

    def _pg(self, tool: str, *args) -> None:
        command = [pg_tool(tool), *map(str, args)]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True)

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        )
        self._pg(
            "pg_ctl", "-D", self.data, "-l", self.dir / "log", "-w", "-o", options,
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._pg("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def copy_test_database(cluster: Cluster, tmp_path: Path) -> str:
    """The suite's test database, as it is now, into `cluster`."""
    settings = connection.settings_dict
    dump = tmp_path / "copy.dump"
    subprocess.run(
        [pg_tool("pg_dump"), "-Fc", "-f", dump, "--dbname", database_url(settings)],
        check=True,
    )
    subprocess.run(
        [pg_tool("createdb"), "-h", "127.0.0.1", "-p", str(cluster.port)]
        + ["-U", "postgres", "copy"],
        check=True,
    )
    subprocess.run(
        [pg_tool("pg_restore"), "--no-owner", "--dbname", cluster.url("copy"), dump],
        check=True,
    )
    return cluster.url("copy")


class Load:
    """Six clients asking for two pages over and over while the database
    stops and starts: each answer kept as (time, status, Retry-After, body)."""

    def __init__(self, port: int, cookies: dict, pages: list[str]):
        self.port, self.cookies, self.pages = port, cookies, pages
        self.answers = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._ask, args=(i,)) for i in range(6)]

    def _ask(self, index: int) -> None:
        client = Browser(self.port)
        client.cookies = dict(self.cookies)
        while not self.stopping.is_set():
            path = self.pages[index % 2]
            try:
                response, body = client.request("GET", path, timeout=30)
                answer = (response.status, response.getheader("Retry-After"))
            except OSError as error:  # a dropped or refused connection
                answer, body = (type(error).__name__, None), b""
            self.answers.append((time.monotonic(), *answer, body.decode()))
            time.sleep(0.05)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()


def stop_and_start_under_load(cluster: Cluster, load: Load) -> dict:
    """Stop PostgreSQL for three seconds under `load`; when each step began,
    and whether a page was served again after the start."""
    load.start()
    try:
        time.sleep(2)
        times = {"down_at": time.monotonic()}
        cluster.stop()
        times["stopped_at"] = time.monotonic()
        time.sleep(3)
        times["starting_at"] = time.monotonic()
        cluster.start()
        up_at = time.monotonic()
        times["recovered"] = wait_for(
            lambda: any(t > up_at and s == 200 for t, s, *_ in load.answers), 20, 0.1
        )
        time.sleep(2)
    finally:
        load.stop()
    return times


def test_the_database_restarted_under_load_fails_cleanly_and_recovers(site_a, tmp_path):
    with scopes_disabled():
        director = make_member(site_a.center, Membership.Role.DIRECTOR, username="gd")
        set_password(director)
        klass = closed_class_of(site_a.center, 5)
    cluster = Cluster()
    web = None
    try:
        port = free_port()
        env = production_env(copy_test_database(cluster, tmp_path), port, tmp_path)
        collectstatic(env)
        web = subprocess.Popen(
            exec_start("trainingcenter-web.service"),
            cwd=ROOT,
            env=env,
            # Hundreds of requests and a traceback per failed one: kept in a
            # file beside the test, not in the suite's output.
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "gunicorn.log").open("w"),
        )
        browser = Browser(port)
        browser.wait_until_up()
        browser.log_in("gd")
        slug = site_a.center.slug
        pages = [f"/c/{slug}/classes/", f"/c/{slug}/classes/{klass.pk}/"]
        load = Load(port, browser.cookies, pages)
        times = stop_and_start_under_load(cluster, load)
        assert web.poll() is None, "gunicorn died"
    finally:
        if web is not None:
            stop(web)
        cluster.remove()

    answers = load.answers
    statuses = {status for _, status, *_ in answers}
    assert statuses <= {200, 503}, statuses  # no 500, no dropped connection
    before = [a for a in answers if a[0] < times["down_at"]]
    during = [a for a in answers if times["stopped_at"] < a[0] < times["starting_at"]]
    assert before and all(a[1] == 200 for a in before)
    assert during and all(a[1] == 503 for a in during)
    for _, _, retry_after, body in during:
        assert retry_after == "30"
        assert "không kết nối được cơ sở dữ liệu" in body
    # Served again without restarting anything, and for good.
    assert times["recovered"]
    last = max(t for t, s, *_ in answers if s != 200)
    after = [a for a in answers if a[0] > last]
    assert len(after) >= 20 and all("Hội trường A" in a[3] for a in after[1::2])
    print(
        f"{len(answers)} requests: {len(before)} before, {len(during)} during "
        f"the stop (all 503), the last 503 {last - times['starting_at']:.1f} s "
        "after PostgreSQL was started again"
    )


def test_a_full_disk_while_writing_an_export_gives_a_clear_error(site_a, tmp_path):
    # The PostgreSQL pass runs on Debian, where util-linux is essential.
    assert shutil.which("unshare"), "unshare is missing: apt-get install util-linux"
    with scopes_disabled():
        director = make_member(site_a.center, Membership.Role.DIRECTOR, username="gd")
        set_password(director)
        klass = closed_class_of(site_a.center, 40)
    port = free_port()
    full = Path(tempfile.mkdtemp(prefix="tc-full-"))
    env = production_env(
        database_url(connection.settings_dict), port, tmp_path, TMPDIR=str(full)
    )
    collectstatic(env)
    # In a mount namespace of its own, the server's temporary folder is a
    # small tmpfs filled to its last page: Python's check that the folder is
    # writable still passes, anything bigger finds the disk full.
    fill = (
        'mount -t tmpfs -o size=256k tmpfs "$TMPDIR" '
        '&& dd if=/dev/zero of="$TMPDIR/fill" bs=4096 count=63 2>/dev/null '
        '&& exec "$@"'
    )
    command = ["unshare", "--mount", "--map-root-user", "sh", "-c", fill, "sh"]
    web = subprocess.Popen(
        command + exec_start("trainingcenter-web.service"), cwd=ROOT, env=env
    )
    try:
        browser = Browser(port)
        browser.wait_until_up()
        browser.log_in("gd")
        slug = site_a.center.slug
        export = f"/c/{slug}/classes/{klass.pk}/roster.xlsx"
        asked, _ = browser.request("GET", export)  # the export asks its purpose
        assert asked.status == 200, asked.status
        token = browser.cookies["__Host-csrftoken"]
        response, body = browser.request(
            "POST", export, f"csrfmiddlewaretoken={token}&purpose=committee_report"
        )
        assert response.status == 507, response.status
        text = body.decode()
        assert "Ổ đĩa của máy chủ đã đầy" in text
        assert "hết dung lượng đĩa" in text and "báo quản trị viên" in text
        assert not body.startswith(b"PK")  # no workbook, whole or half
        # The server goes on serving pages.
        page, content = browser.request("GET", f"/c/{slug}/classes/{klass.pk}/")
        assert page.status == 200 and "Hội trường A" in content.decode()
        assert web.poll() is None
    finally:
        stop(web)
        shutil.rmtree(full, ignore_errors=True)
