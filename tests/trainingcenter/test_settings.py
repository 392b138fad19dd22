"""Settings from the environment and the deployment checks."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse

from courses.models import ClassTypeQuerySet

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "trainingcenter" / "settings.py"
STRONG_KEY = "k9#Vx2$Lq8!mZr4@Tn7^Wb1&Hy6*Pc3(Jd5)Fs0-Gu9+Ne2=Ao8~Ri4Ks7Ty"


def load_settings(monkeypatch, **env):
    for name in [n for n in os.environ if n.startswith(("DJANGO_", "DATABASE_"))]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_defaults_without_environment_are_refused_in_production(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        load_settings(monkeypatch)


def test_debug_default_is_sqlite_beside_manage_py_in_vietnamese(monkeypatch):
    conf = load_settings(monkeypatch, DJANGO_DEBUG="1")
    assert conf["DEBUG"] is True
    assert conf["DATABASES"]["default"]["ENGINE"] == "trainingcenter.sqlite"
    assert Path(conf["DATABASES"]["default"]["NAME"]) == ROOT / "db.sqlite3"
    assert conf["LANGUAGE_CODE"] == "vi"
    assert conf["TIME_ZONE"] == "Asia/Ho_Chi_Minh"
    assert conf["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]


def test_values_come_from_the_environment(monkeypatch):
    conf = load_settings(
        monkeypatch,
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="daotao.example.vn, www.daotao.example.vn",
        DATABASE_URL="postgres://app:secret@db.internal:5433/trainingcenter",
    )
    assert conf["DEBUG"] is False
    assert conf["SECRET_KEY"] == STRONG_KEY
    assert conf["ALLOWED_HOSTS"] == ["daotao.example.vn", "www.daotao.example.vn"]
    database = conf["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.internal",
        5433,
        "trainingcenter",
    )
    assert "statement_timeout" in database["OPTIONS"]["options"]
    assert conf["SESSION_COOKIE_SECURE"] is True
    assert conf["SESSION_COOKIE_NAME"] == "__Host-sessionid"


def test_a_malformed_boolean_is_a_configuration_error(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        load_settings(monkeypatch, DJANGO_DEBUG="perhaps")


def run_check_deploy(env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="trainingcenter.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_in_production():
    """DEBUG off, a real key and host: no warning at all."""
    result = run_check_deploy(
        {"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "daotao.example.vn"}
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_catches_naive_settings():
    """Negative control: a weak key over plain HTTP gives the five warnings."""
    result = run_check_deploy(
        {
            "DJANGO_SECRET_KEY": "short",
            "DJANGO_ALLOWED_HOSTS": "daotao.example.vn",
            "DJANGO_HTTPS": "0",
        }
    )
    assert result.returncode != 0
    found = {
        word.strip(":()") for word in result.stderr.split() if "security.W" in word
    }
    assert found == {
        "security.W004",
        "security.W008",
        "security.W009",
        "security.W012",
        "security.W016",
    }


HARDENED = {
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_SSL_REDIRECT": True,
}


def assert_hardened_headers(response):
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"):
        assert directive in csp
    script_src = [part for part in csp.split(";") if "script-src" in part][0]
    assert "unsafe-inline" not in script_src


@pytest.mark.django_db
@override_settings(**HARDENED)
def test_security_headers_on_every_response_kind(site_a):
    """A page, a 404, a 403, the login page and a static file."""
    client = Client()
    client.force_login(site_a.committee)
    urls = {
        reverse("reports:dashboard", args=[site_a.center.slug]): 200,
        "/c/trung-tam-khac/": 404,
        reverse("courses:lecturer_list", args=[site_a.center.slug]): 403,
    }
    for url, status in urls.items():
        response = client.get(url, secure=True)
        assert response.status_code == status, url
        assert_hardened_headers(response)
    response = Client().get(reverse("login"), secure=True)
    assert_hardened_headers(response)


@pytest.mark.django_db
@override_settings(**HARDENED)
def test_plain_http_is_redirected_to_https():
    response = Client().get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_forwarded_proto_is_ignored_unless_behind_a_proxy():
    """X-Forwarded-Proto counts only when the proxy is declared."""
    from django.test import RequestFactory

    request = RequestFactory().get("/", headers={"x-forwarded-proto": "https"})
    assert request.is_secure() is False
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        assert request.is_secure() is True


@pytest.mark.django_db
def test_unknown_host_is_refused(caplog):
    with caplog.at_level("WARNING", logger="django.security.DisallowedHost"):
        response = Client().get(reverse("login"), headers={"host": "evil.example"})
    assert response.status_code == 400
    assert any(r.name == "django.security.DisallowedHost" for r in caplog.records)


@pytest.mark.django_db
def test_errors_with_debug_off_are_vietnamese_and_reveal_nothing(
    site_a, caplog, monkeypatch
):
    """A 404 and a 500 show a generic Vietnamese page and log the request id."""
    client = Client(raise_request_exception=False)
    client.force_login(site_a.staff)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text

    def explode(self):
        raise RuntimeError("secret detail /srv/app/settings.py")

    monkeypatch.setattr(ClassTypeQuerySet, "active", explode)
    with caplog.at_level("ERROR", logger="django.request"):
        response = client.get(reverse("reports:dashboard", args=[site_a.center.slug]))
    assert response.status_code == 500
    assert "Lỗi máy chủ" in response.text
    for leak in ("Traceback", "secret detail", "settings.py", "SELECT"):
        assert leak not in response.text
    assert response["X-Request-ID"]
    assert any(
        response["X-Request-ID"] == getattr(r, "request_id", None)
        for r in caplog.records
    )


def test_citizen_id_keys_are_required_in_production(monkeypatch):
    for name in ("CITIZEN_ID_KEYS", "CITIZEN_ID_HASH_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ImproperlyConfigured, match="CITIZEN_ID_KEYS"):
        load_settings(monkeypatch, DJANGO_SECRET_KEY=STRONG_KEY)
    monkeypatch.setenv("CITIZEN_ID_KEYS", "new-key,old-key")
    with pytest.raises(ImproperlyConfigured, match="CITIZEN_ID_HASH_KEY"):
        load_settings(monkeypatch, DJANGO_SECRET_KEY=STRONG_KEY)
    monkeypatch.setenv("CITIZEN_ID_HASH_KEY", "hash-key")
    conf = load_settings(monkeypatch, DJANGO_SECRET_KEY=STRONG_KEY)
    assert conf["CITIZEN_ID_KEYS"] == ["new-key", "old-key"]  # the first encrypts
    # Development gets keys of its own, never used with DEBUG off.
    for name in ("CITIZEN_ID_KEYS", "CITIZEN_ID_HASH_KEY"):
        monkeypatch.delenv(name)
    conf = load_settings(monkeypatch, DJANGO_DEBUG="1")
    assert conf["CITIZEN_ID_KEYS"] and conf["CITIZEN_ID_HASH_KEY"]


def test_a_machine_without_harfbuzz_subset_is_warned(monkeypatch):
    """The check finds the library WeasyPrint cuts fonts with (installed by
    scripts/prereqs.sh), and names the package when it is missing."""
    from trainingcenter import checks

    assert checks.harfbuzz_subset_present(None) == []
    monkeypatch.setattr(checks, "HARFBUZZ_SUBSET_NAMES", ("libno-such-subset.so.0",))
    (warning,) = checks.harfbuzz_subset_present(None)
    assert warning.id == "trainingcenter.W001"
    assert "libharfbuzz-subset0" in warning.hint


def test_weasyprint_cuts_fonts_with_harfbuzz():
    """The library the check finds is the one WeasyPrint loads."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0)
