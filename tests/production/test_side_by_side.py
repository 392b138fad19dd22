"""Several hosts side by side: two gunicorn "hosts", each with the two
background workers (certificate batches; the other jobs), each started as its
systemd unit says, on one PostgreSQL.

Nothing lives in a host: a session opened on one is good on the other, a job
queued through one is run by whichever worker of its queue is free and
downloaded through the other. Each worker here takes at most two jobs
(`--max-tasks 2`), so the three batches finish only if both hosts'
certificate workers took part, which the task rows record.
"""

import io
import subprocess
import time
from urllib.parse import urlencode

import openpyxl
import pytest
from django.db import connection
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult

from enrollment.models import Certificate, CertificateBatch
from reports.models import ReportJob
from tests.factories import make_member
from tests.production import postgres_only
from tests.production.serving import (
    ROOT,
    Browser,
    closed_class_of,
    collectstatic,
    database_url,
    exec_start,
    free_port,
    production_env,
    queue_certificates,
    set_password,
    stop,
)
from trainingcenter.models import Membership

# The workers' units, and the name each host's instance goes by.
WORKERS = {
    "trainingcenter-certificates.service": "certificates",
    "trainingcenter-worker@.service": "reports",
}


def start_two_hosts(tmp_path) -> tuple[list[Browser], list[subprocess.Popen]]:
    """Hosts "a" and "b", each a web server and the two workers taking at
    most two jobs each, as their systemd units start them; a client of each
    host."""
    url = database_url(connection.settings_dict)
    hosts, processes = [], []
    for host in ("a", "b"):
        port = free_port()
        env = production_env(url, port, tmp_path / host, ROLLUP_XLSX_INLINE_ROWS="0")
        collectstatic(env)
        processes.append(
            subprocess.Popen(
                exec_start("trainingcenter-web.service"), cwd=ROOT, env=env
            )
        )
        for unit, name in WORKERS.items():
            processes.append(
                subprocess.Popen(
                    [
                        *exec_start(unit),
                        "--worker-id",
                        f"{name}-{host}",
                        "--max-tasks",
                        "2",
                    ],
                    cwd=ROOT,
                    env=env,
                )
            )
        hosts.append(Browser(port))
    return hosts, processes


def assert_both_workers_ran_every_job() -> None:
    """Every job done within two minutes, by the workers of its queue, the
    batches on both hosts; every certificate
    once, numbered without a gap or a double."""
    deadline = time.monotonic() + 120
    with scopes_disabled():
        while time.monotonic() < deadline:
            states = set(CertificateBatch.objects.values_list("status", flat=True))
            states |= set(ReportJob.objects.values_list("status", flat=True))
            if states == {"done"} or "failed" in states:
                break
            time.sleep(0.5)
        assert states == {"done"}, CertificateBatch.objects.values("error")
        workers = {
            (task.queue_name, task.worker_ids[0]) for task in DBTaskResult.objects.all()
        }
        # The three batches by both hosts' certificate workers, the workbook
        # by a reports worker.
        assert {w for q, w in workers if q == "certificates"} == {
            "certificates-a",
            "certificates-b",
        }
        assert {w for q, w in workers if q == "default"} <= {"reports-a", "reports-b"}
        assert len(workers) == 3
        numbers = sorted(Certificate.objects.values_list("number", flat=True))
        assert numbers == list(range(numbers[0], numbers[0] + 9))
        assert not Certificate.objects.filter(pdf=None).exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_hosts_and_their_workers_share_one_database(site_a, tmp_path):
    with scopes_disabled():
        director = make_member(site_a.center, Membership.Role.DIRECTOR, username="gd")
        set_password(director)
        set_password(site_a.committee)
        classes = [closed_class_of(site_a.center, 3) for _ in range(3)]
        organization = site_a.center.organization.parent

    (a, b), processes = start_two_hosts(tmp_path)
    try:
        for browser in (a, b):
            response, _ = browser.wait_until_up()
            assert response.status == 200

        # A session opened on host A is good on host B: it lives in the database.
        a.log_in("gd")
        b.cookies = dict(a.cookies)
        slug = site_a.center.slug
        response, page = b.request("GET", f"/c/{slug}/classes/{classes[0].pk}/")
        assert response.status == 200 and "Nguyễn Văn An 1" in page.decode()

        # Three certificate batches queued (as a host's request would), for
        # the hosts' certificate workers, and a rollup workbook asked for on
        # host B, for a reports worker.
        with scopes_disabled():
            for klass in classes:
                queue_certificates(klass, director)
        member = Browser(b.port)
        member.log_in(site_a.committee.username)
        query = urlencode({"kind": "year", "year": 2026, "rollup": "centers"})
        response, _ = member.request(
            "GET", f"/o/{organization.pk}/rollups/xlsx/?{query}"
        )
        assert response.status == 302
        job_page = response.getheader("Location")
        assert job_page.startswith("/report-jobs/")

        assert_both_workers_ran_every_job()

        # The workbook made by a worker is downloaded through host A.
        member_on_a = Browser(a.port)
        member_on_a.cookies = dict(member.cookies)
        response, page = member_on_a.request("GET", job_page)
        assert response.status == 200 and "Tệp Excel đã sẵn sàng" in page.decode()
        response, content = member_on_a.request("GET", f"{job_page}file/")
        assert response.status == 200
        book = openpyxl.load_workbook(io.BytesIO(content))
        texts = [c.value for row in book.active.iter_rows() for c in row]
        assert site_a.center.name in texts
    finally:
        stop(*processes)
