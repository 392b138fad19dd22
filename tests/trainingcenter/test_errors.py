"""The server-error page tells a database out of reach (503) and a full disk
(507) from other errors, in Vietnamese (trainingcenter/errors.py).
With a real server, a real restart and a real full disk:
tests/production/test_faults.py."""

import errno
import socket
import sqlite3

import pytest
from django.contrib.auth.decorators import login_not_required
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db.backends.postgresql.base import DatabaseWrapper
from django.db.utils import OperationalError
from django.test import Client, override_settings
from django.urls import include, path
from lxml import etree

from trainingcenter.errors import fault_of


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends


def unreachable_database_error() -> OperationalError:
    """What Django raises when PostgreSQL does not answer (down, restarting)."""
    wrapper = DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "trainingcenter",
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": closed_port(),
            "OPTIONS": {"connect_timeout": 2},
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TIME_ZONE": None,
            "TEST": {},
        },
        alias="unreachable",
    )
    try:
        wrapper.ensure_connection()
    except OperationalError as error:
        return error
    raise AssertionError("a closed port accepted a connection")


def database_down(request):
    raise unreachable_database_error()


def disk_full(request):
    with open("/dev/full", "wb") as full:  # the kernel's always-full device
        full.write(b"x" * 65536)
        full.flush()


def session_lost(request):
    """What SessionMiddleware does when the database fails as it saves."""
    try:
        try:
            raise unreachable_database_error()
        except OperationalError:
            raise UpdateError from None
    except UpdateError:
        raise SessionInterrupted("The request's session was deleted.") from None


def session_deleted(request):
    raise SessionInterrupted("The request's session was deleted.")


def plain_bug(request):
    raise ValueError("a bug")


urlpatterns = [
    path("down/", login_not_required(database_down)),
    path("full/", login_not_required(disk_full)),
    path("bug/", login_not_required(plain_bug)),
    path("session-lost/", login_not_required(session_lost)),
    path("session-deleted/", login_not_required(session_deleted)),
    path("", include("trainingcenter.urls")),  # the pages link to the real ones
]
handler400 = "trainingcenter.errors.bad_request"
handler500 = "trainingcenter.errors.server_error"


@pytest.mark.django_db  # lets the test open its own (failing) connection
def test_faults_are_told_apart_along_the_chain_of_causes():
    assert fault_of(unreachable_database_error()) == "database"
    assert fault_of(OSError(errno.ENOSPC, "No space left on device")) == "disk"
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as error:
            raise RuntimeError("export failed") from error
    except RuntimeError as wrapped:
        assert fault_of(wrapped) == "disk"
    # openpyxl writes through lxml, which has an error of its own for it.
    assert fault_of(etree.SerialisationError("IO_ENOSPC")) == "disk"
    assert fault_of(etree.SerialisationError("IO_EACCES")) is None
    # SQLite's "database is locked" and any other error stay server errors.
    assert fault_of(OperationalError("database is locked")) is None
    assert fault_of(sqlite3.OperationalError("database is locked")) is None
    assert fault_of(OSError(errno.EACCES, "Permission denied")) is None
    assert fault_of(ValueError("x")) is None


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_the_pages_say_what_happened_in_vietnamese():
    client = Client(raise_request_exception=False)
    down = client.get("/down/")
    assert down.status_code == 503 and down["Retry-After"] == "30"
    text = down.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in text
    assert "không kết nối được cơ sở dữ liệu" in text
    full = client.get("/full/")
    assert full.status_code == 507
    assert "Ổ đĩa của máy chủ đã đầy" in full.content.decode()
    bug = client.get("/bug/")
    assert bug.status_code == 500 and "Lỗi máy chủ" in bug.content.decode()
    assert "Retry-After" not in bug
    # Saving the session with the database gone is not the user's bad request.
    lost = client.get("/session-lost/")
    assert lost.status_code == 503 and "Hệ thống tạm thời gián đoạn" in lost.text
    assert client.get("/session-deleted/").status_code == 400


@pytest.mark.django_db
def test_a_form_address_opened_by_its_link_says_so_in_vietnamese(site_a):
    """After Back or from a bookmark, a POST-only address answers 405 with
    a page of the app, not an empty body the browser explains in English."""
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from tests.factories import make_class

    with scopes_disabled():
        klass = make_class(site_a.center)
    client = Client()
    client.force_login(site_a.staff)
    url = reverse("enrollment:certificates_issue", args=[site_a.center.slug, klass.pk])
    response = client.get(url)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "Địa chỉ này chỉ nhận dữ liệu từ một nút bấm" in page
    assert client.post(url).status_code != 405  # the form still works
