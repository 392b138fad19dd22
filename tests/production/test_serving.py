"""The deploy/ files at work (issue 9): gunicorn and the background worker
started as their systemd units say, with the production settings (DEBUG off,
HTTPS behind a proxy, whitenoise), against the suite's PostgreSQL."""

import http.client
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import connection
from django.test import override_settings
from django_scopes import scopes_disabled

from enrollment import certificates as service
from enrollment.models import CertificateBatch, Enrollment
from tests.factories import make_class, make_enrollment, make_member, make_trainee
from tests.production import postgres_only
from trainingcenter.models import Membership

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
PASSWORD = "một câu mật khẩu thật dài 2026"


def exec_start(unit: str) -> list[str]:
    """The unit's command, with the install folder replaced by this checkout."""
    text = (UNITS / unit).read_text(encoding="utf-8")
    line = re.search(r"^ExecStart=(.+)$", text, re.M)[1]
    return shlex.split(line.replace("/srv/trainingcenter", str(ROOT)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Requests through "the proxy": X-Forwarded-Proto https, cookies kept
    by hand (they are Secure, which an HTTP client would not send back)."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None, proxied=True):
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "127.0.0.1"}
        if proxied:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "https://127.0.0.1/accounts/login/"
        client.request(method, path, body=body, headers=headers)
        response = client.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response, content


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_gunicorn_and_the_worker_serve_as_deployed(site_a, tmp_path):
    with scopes_disabled():
        director = make_member(site_a.center, Membership.Role.DIRECTOR, username="gd")
        # The production settings check with their own hashers, not the
        # suite's fast one.
        director.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
        director.save()
        klass = make_class(site_a.center, status="closed", venue="Hội trường A")
        for name in ("Lê Văn An", "Trần Thị Bình", "Phạm Văn Cường"):
            make_enrollment(
                klass,
                make_trainee(site_a.center, full_name=name),
                status=Enrollment.Status.COMPLETED,
            )
    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trainingcenter.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_SECRET_KEY": "serving-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    web = subprocess.Popen(exec_start("trainingcenter-web.service"), cwd=ROOT, env=env)
    worker = subprocess.Popen(
        exec_start("trainingcenter-worker.service"), cwd=ROOT, env=env
    )
    try:
        browser = Browser(port)
        for _ in range(100):
            try:
                response, page = browser.request("GET", "/accounts/login/")
                break
            except OSError:
                time.sleep(0.1)
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
        token = browser.cookies["__Host-csrftoken"]
        body = (
            f"csrfmiddlewaretoken={token}&username=gd&password={quote_plus(PASSWORD)}"
        )
        logged_in, _ = browser.request("POST", "/accounts/login/", body)
        assert logged_in.status == 302, logged_in.status
        slug = site_a.center.slug
        detail, page = browser.request("GET", f"/c/{slug}/classes/{klass.pk}/")
        assert detail.status == 200 and "Lê Văn An" in page.decode()

        # A large batch goes to the queue; the worker of the unit renders it.
        tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        with override_settings(TASKS=tasks, CERTIFICATE_INLINE_MAX=1):
            with scopes_disabled():
                service.issue_certificates(
                    klass,
                    issued_on=klass.end_date,
                    signer_title="GIÁM ĐỐC",
                    signer_name="Nguyễn Thị Hòa",
                    by=director,
                )
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
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    assert web.returncode == 0 and worker.returncode == 0
