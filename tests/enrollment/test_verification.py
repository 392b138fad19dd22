"""The public page that checks a certificate by its code: only the listed
fields, revoked and replaced shown, unknown codes all alike, a rate limit."""

import datetime
import secrets

from django.test import Client, override_settings
from django.urls import reverse
from django_scopes import scopes_disabled

from enrollment.models import Certificate, Verification
from enrollment.services import certificates as certificates_service
from tests.enrollment import test_certificates_views
from tests.enrollment.test_certificates_views import issue_all

closed_class = test_certificates_views.closed_class  # the fixture


def verify(client, code):
    return client.get(reverse("verify", args=[code]))


def test_public_page_shows_only_the_listed_fields(
    site_a, closed_class, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue_all(site_a, closed_class)
    with scopes_disabled():
        certificate = Certificate.objects.select_related("enrollment__trainee").get(
            fields__full_name="Trần Văn Đức"
        )
        trainee = certificate.enrollment.trainee
        trainee.citizen_id = "079095001234"
        trainee.save()
    page = verify(Client(), certificate.code)
    assert page.status_code == 200
    body = page.text
    for shown in (
        "Trần Văn Đức",
        "Bồi dưỡng nhận thức về Đảng",
        "02/03/2026",
        "06/03/2026",
        "10/03/2026",
        certificate.number_text,
        "Còn giá trị",
        "còn giá trị trong hồ sơ kết nạp Đảng đến ngày 06/03/2031",
    ):
        assert shown in body, shown
    for hidden in ("17/05/1995", "1995", "079095001234", "Khá", "Hội trường A"):
        assert hidden not in body, hidden
    with scopes_disabled():
        assert Verification.objects.get().found == certificate


def test_public_page_shows_revoked_and_replaced(
    site_a, closed_class, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue_all(site_a, closed_class)
    with scopes_disabled():
        one, two = Certificate.objects.filter(number__in=[1, 2]).order_by("number")
        certificates_service.revoke_certificate(
            one, reason="Cấp nhầm", by=site_a.director
        )
        certificates_service.reissue_certificate(
            two, issued_on=datetime.date(2026, 3, 12), by=site_a.director
        )
    client = Client()
    assert "Đã thu hồi" in verify(client, one.code).text
    assert "Cấp nhầm" not in verify(client, one.code).text
    assert "Đã được thay thế" in verify(client, two.code).text


@override_settings(VERIFY_RATE_PER_MINUTE=2000)
def test_unknown_codes_all_look_the_same(site_a):
    """1,000 random well-formed codes answer alike, and every lookup is logged."""
    client = Client()
    answers = {
        (r.status_code, len(r.content))
        for r in (verify(client, secrets.token_urlsafe(16)) for _ in range(1000))
    }
    assert len(answers) == 1
    status, _size = answers.pop()
    assert status == 404
    assert "Không tìm thấy" in verify(client, "x").text
    with scopes_disabled():
        assert Verification.objects.filter(found=None).count() == 1001
    assert len(secrets.token_urlsafe(16)) * 6 >= 128


@override_settings(VERIFY_RATE_PER_MINUTE=3)
def test_too_many_lookups_from_one_address_get_429(site_a):
    client = Client()
    for _ in range(3):
        assert verify(client, secrets.token_urlsafe(16)).status_code == 404
    response = verify(client, secrets.token_urlsafe(16))
    assert response.status_code == 429
    assert "Quá nhiều lượt tra cứu" in response.text
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert verify(other, secrets.token_urlsafe(16)).status_code == 404


def test_the_code_form_leads_to_the_page(site_a):
    client = Client()
    page = client.get(reverse("verify_form"))
    assert page.status_code == 200 and "Mã xác minh" in page.text
    response = client.get(reverse("verify_form"), {"code": " abc "})
    assert response["Location"] == reverse("verify", args=["abc"])
