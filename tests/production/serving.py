"""What the production checks share: the units' commands, the production
environment, and an HTTP client that talks as if through the HTTPS proxy."""

import glob
import http.client
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.test import override_settings

from enrollment.models import Enrollment
from enrollment.services import certificates as service
from tests.factories import make_class, make_enrollment, make_trainee

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
PASSWORD = "một câu mật khẩu thật dài 2026"
# The deployed task backend: jobs queued here wait for a `db_worker`.
DB_BACKEND = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": settings.TASK_QUEUES,
    }
}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Minh", "Nga", "Sơn", "Thảo"]


def closed_class_of(center, size: int):
    """A finished class of `size` trainees who all completed it."""
    klass = make_class(center, status="closed", venue="Hội trường A")
    for i in range(size):
        name = f"{FAMILY[i % len(FAMILY)]} Văn {GIVEN[i % len(GIVEN)]} {i + 1}"
        make_enrollment(
            klass,
            make_trainee(center, full_name=name),
            status=Enrollment.Status.COMPLETED,
        )
    return klass


def queue_certificates(klass, by) -> None:
    """Issue the class's certificates as a background batch (as a large class
    is), for the deployed worker to print."""
    with override_settings(TASKS=DB_BACKEND, CERTIFICATE_INLINE_MAX=1):
        service.issue_certificates(
            klass,
            issued_on=klass.end_date,
            signer_title="GIÁM ĐỐC",
            signer_name="Nguyễn Thị Hòa",
            by=by,
        )


def exec_start(unit: str, key: str = "ExecStart") -> list[str]:
    """The unit's command (or `key`'s), with the install folder replaced by
    this checkout."""
    text = (UNITS / unit).read_text(encoding="utf-8")
    line = re.search(rf"^{key}=(.+)$", text, re.M)[1]
    return shlex.split(line.replace("/srv/trainingcenter", str(ROOT)))


def pg_tool(name: str) -> str:
    """The newest installed server's binary, as scripts/with-postgres.sh picks it."""
    bins = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(p.split("/")[-2].split(".")[0]),
    )
    for directory in reversed(bins):
        if os.access(os.path.join(directory, name), os.X_OK):
            return os.path.join(directory, name)
    found = shutil.which(name)
    if found is None:
        # The PostgreSQL pass has the server, so it has its client tools.
        pytest.fail(f"{name} is missing. Fix: apt-get install -y postgresql-client")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def set_password(user) -> None:
    """The production settings check with their own hashers, not the suite's
    fast one."""
    user.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    user.save()


def production_env(database_url: str, port: int, tmp_path: Path, **extra) -> dict:
    """The environment file of a deployment: DEBUG off, HTTPS behind a proxy."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trainingcenter.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_SECRET_KEY": "serving-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": database_url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        **extra,
    }


def database_url(settings_dict: dict) -> str:
    db = settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def collectstatic(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Browser:
    """Requests through "the proxy": X-Forwarded-Proto https, cookies kept
    by hand (they are Secure, which an HTTP client would not send back)."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None, proxied=True, timeout=60):
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
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
        client.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response, content

    def wait_until_up(self, path="/accounts/login/", seconds=15):
        deadline = time.monotonic() + seconds
        while True:
            try:
                return self.request("GET", path)
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def log_in(self, username: str) -> None:
        self.request("GET", "/accounts/login/")
        token = self.cookies["__Host-csrftoken"]
        body = (
            f"csrfmiddlewaretoken={token}&username={username}"
            f"&password={quote_plus(PASSWORD)}"
        )
        response, _ = self.request("POST", "/accounts/login/", body)
        assert response.status == 302, f"login failed: {response.status}"
