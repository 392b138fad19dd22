"""The deploy/ files at work: gunicorn and the background workers
started as their systemd units say, with the production settings (DEBUG off,
HTTPS behind a proxy, whitenoise), against the suite's PostgreSQL."""

import re
import subprocess
import time

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from enrollment.models import CertificateBatch
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


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_gunicorn_and_the_workers_serve_as_deployed(site_a, tmp_path):
    with scopes_disabled():
        director = make_member(site_a.center, Membership.Role.DIRECTOR, username="gd")
        set_password(director)
        klass = closed_class_of(site_a.center, 3)
    port = free_port()
    env = production_env(database_url(connection.settings_dict), port, tmp_path)
    collectstatic(env)
    # A worker's unit first queues again what a dead worker left.
    subprocess.run(
        exec_start("trainingcenter-certificates.service", "ExecStartPre"),
        cwd=ROOT,
        env=env,
        check=True,
    )
    web = subprocess.Popen(exec_start("trainingcenter-web.service"), cwd=ROOT, env=env)
    # The two queues' workers: certificate batches, and the other jobs.
    workers = [
        subprocess.Popen(exec_start(unit), cwd=ROOT, env=env)
        for unit in (
            "trainingcenter-certificates.service",
            "trainingcenter-worker@.service",
        )
    ]
    try:
        browser = Browser(port)
        response, page = browser.wait_until_up()
        assert response.status == 200
        assert "Đăng nhập" in page.decode()
        # Plain HTTP (no proxy header) is sent to HTTPS, with HSTS on HTTPS.
        plain, _ = Browser(port).request("GET", "/accounts/login/", proxied=False)
        assert plain.status == 301
        assert plain.getheader("Location").startswith("https://")
        assert "max-age" in response.getheader("Strict-Transport-Security")
        # Static files through whitenoise, hashed names, cached for a year.
        css = re.search(r'href="(/static/css/app\.[0-9a-f]+\.css)"', page.decode())[1]
        static, _ = browser.request("GET", css)
        assert static.status == 200
        assert "max-age=315360000" in static.getheader("Cache-Control")
        # Log in (CSRF, Secure __Host- cookies) and open the class.
        browser.log_in("gd")
        slug = site_a.center.slug
        detail, page = browser.request("GET", f"/c/{slug}/classes/{klass.pk}/")
        assert detail.status == 200 and "Nguyễn Văn An 1" in page.decode()

        # A large batch goes to its queue; the certificates' worker renders it.
        with scopes_disabled():
            queue_certificates(klass, director)
        deadline = time.monotonic() + 90
        with scopes_disabled():
            batch = CertificateBatch.objects.get()
            while batch.status != "done" and time.monotonic() < deadline:
                time.sleep(0.5)
                batch.refresh_from_db()
        assert batch.status == "done", batch.error
        pdf, content = browser.request(
            "GET", f"/c/{slug}/classes/{klass.pk}/certificates.pdf"
        )
        assert pdf.status == 200 and content.startswith(b"%PDF")
    finally:
        stop(web, *workers)
    assert [p.returncode for p in (web, *workers)] == [0, 0, 0]
