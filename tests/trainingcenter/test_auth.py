"""Login, logout, sessions and passwords."""

import time

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import make_user

PASSWORD = "một câu mật khẩu đủ dài 2026"


def login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


@pytest.mark.django_db
def test_login_page_is_vietnamese():
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.text
    assert "Tên đăng nhập" in response.text


@pytest.mark.django_db
def test_staff_logs_in_and_lands_on_the_dashboard(site_a):
    site_a.staff.set_password(PASSWORD)
    site_a.staff.save()
    client = Client()
    response = login(client, site_a.staff.username, PASSWORD)
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "reports:dashboard", args=["trung-tam-a"]
    )
    assert "Trung tâm Chính trị A" in response.text


@pytest.mark.django_db
def test_wrong_password_shows_a_vietnamese_error(site_a):
    response = login(Client(), site_a.staff.username, "sai mật khẩu rồi")
    assert response.status_code == 200
    assert "không đúng" in response.text


@pytest.mark.django_db
def test_five_failures_lock_one_user_on_one_address_only(site_a, caplog):
    """The 6th attempt, even with the right password, is refused; another
    user behind the same address (one commune office, one NAT) still logs in."""
    user = site_a.staff
    user.set_password(PASSWORD)
    user.save()
    colleague = site_a.director
    colleague.set_password(PASSWORD)
    colleague.save()
    client = Client()
    for _ in range(5):
        login(client, user.username, "wrong password here")
    with caplog.at_level("WARNING", logger="trainingcenter"):
        response = login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert any(
        "locked" in r.getMessage() and user.username in r.getMessage()
        for r in caplog.records
    )
    assert "tạm khóa" in response.text.lower()
    assert "_auth_user_id" not in client.session
    other = Client()
    assert login(other, colleague.username, PASSWORD).status_code == 302
    assert "_auth_user_id" in other.session
    # The same user from another address is not locked either.
    assert login(Client(), user.username, PASSWORD, ip="10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_lock_ends_after_the_cool_off(site_a, settings):
    user = site_a.staff
    user.set_password(PASSWORD)
    user.save()
    with time_machine.travel("2026-11-23 08:00 +0700", tick=False) as traveller:
        for _ in range(5):
            login(Client(), user.username, "wrong password here")
        assert login(Client(), user.username, PASSWORD).status_code == 429
        traveller.shift(settings.AXES_COOLOFF_TIME.total_seconds() + 60)
        assert login(Client(), user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_login_gives_a_new_session_key_and_logout_kills_it(site_a):
    """No session fixation; a replayed cookie after logout is worthless."""
    user = site_a.staff
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    client.get(reverse("login"))
    client.session.save()
    anonymous_key = client.session.session_key
    login(client, user.username, PASSWORD)
    logged_in_key = client.session.session_key
    assert logged_in_key != anonymous_key
    dashboard = reverse("reports:dashboard", args=[site_a.center.slug])
    assert client.get(dashboard).status_code == 200
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies["sessionid"] = logged_in_key
    response = replay.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_logout_needs_post(site_a):
    client = Client()
    client.force_login(site_a.staff)
    assert client.get(reverse("logout")).status_code == 405


@pytest.mark.django_db
def test_idle_and_absolute_timeouts(site_a, settings):
    """3 h idle, or 12 h after login even while active, sends to login."""
    dashboard = reverse("reports:dashboard", args=[site_a.center.slug])
    start = time.time()
    with time_machine.travel(start, tick=False) as traveller:
        client = Client()
        client.force_login(site_a.staff)
        assert client.get(dashboard).status_code == 200
        traveller.shift(settings.SESSION_IDLE_TIMEOUT + 60)
        assert client.get(dashboard).status_code == 302

    with time_machine.travel(start, tick=False) as traveller:
        client = Client()
        client.force_login(site_a.staff)
        for _ in range(7):  # active every two hours
            traveller.shift(2 * 3600)
            response = client.get(dashboard)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_password_change_logs_out_other_sessions(site_a):
    """After a password change only the session that changed it stays in."""
    user = site_a.staff
    user.set_password(PASSWORD)
    user.save()
    dashboard = reverse("reports:dashboard", args=[site_a.center.slug])
    first, second = Client(), Client()
    login(first, user.username, PASSWORD)
    login(second, user.username, PASSWORD, ip="10.0.0.9")
    response = first.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "trời xanh mây trắng nắng vàng 2027",
            "new_password2": "trời xanh mây trắng nắng vàng 2027",
        },
    )
    assert response.status_code == 302
    assert first.get(dashboard).status_code == 200
    assert second.get(dashboard).status_code == 302


@pytest.mark.django_db
def test_deactivated_user_is_out_at_once(site_a):
    client = Client()
    client.force_login(site_a.staff)
    dashboard = reverse("reports:dashboard", args=[site_a.center.slug])
    assert client.get(dashboard).status_code == 200
    site_a.staff.is_active = False
    site_a.staff.save()
    assert client.get(dashboard).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    [
        "12345678",
        "matkhau123",
        "matkhau2026!!",
        "Trung tâm Chính trị A 2026",
        "USERNAME",
    ],
)
def test_weak_passwords_are_refused(site_a, password):
    user = site_a.staff
    if password == "USERNAME":
        password = user.username
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.django_db
def test_weak_password_message_is_vietnamese(site_a):
    with pytest.raises(ValidationError) as error:
        validate_password("matkhau123", site_a.staff)
    assert any("mật khẩu" in message.lower() for message in error.value.messages)


@pytest.mark.django_db
def test_long_passphrase_with_diacritics_is_accepted():
    passphrase = "Cây đa bến nước sân đình, mùa thu năm ấy trời xanh lồng lộng!!"
    assert len(passphrase) <= 64
    validate_password(passphrase, make_user())


def test_stored_hash_is_pbkdf2_with_a_million_rounds():
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    assert PBKDF2PasswordHasher.iterations >= 1_000_000
    from django.conf import settings as live

    from trainingcenter import settings as production

    assert production.AUTH_PASSWORD_VALIDATORS == live.AUTH_PASSWORD_VALIDATORS
    assert not hasattr(production, "PASSWORD_HASHERS")


@pytest.mark.django_db
def test_production_cookies_are_secure_host_only_and_http_only(site_a):
    """With the HTTPS settings the session and CSRF cookies carry every flag."""
    from django.test import override_settings

    user = site_a.staff
    user.set_password(PASSWORD)
    user.save()
    with override_settings(
        SESSION_COOKIE_SECURE=True,
        CSRF_COOKIE_SECURE=True,
        SESSION_COOKIE_NAME="__Host-sessionid",
        CSRF_COOKIE_NAME="__Host-csrftoken",
    ):
        client = Client()
        client.get(reverse("login"), secure=True)
        response = client.post(
            reverse("login"),
            {"username": user.username, "password": PASSWORD},
            secure=True,
        )
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax" and session["path"] == "/"
    assert not session["domain"]
    assert response.cookies["__Host-csrftoken"]["secure"]
