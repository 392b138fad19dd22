"""A revoked or replaced certificate still downloads for the centre's file,
but marked across the page: the clean copy used to come out as if it stood.
The stored PDF stays as issued."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from pypdf import PdfReader

from enrollment.services import certificates as services
from tests.factories import make_certificate


def text_of(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def download(site, certificate):
    client = Client()
    client.force_login(site.staff)
    response = client.get(
        reverse("enrollment:certificate_pdf", args=[site.center.slug, certificate.pk])
    )
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_a_revoked_certificate_downloads_marked_and_the_stored_file_is_kept(site_a):
    with scopes_disabled():
        certificate = make_certificate(site_a.center)
    stored = bytes(certificate.pdf)
    assert "THU HỒI" not in text_of(download(site_a, certificate).content)
    with scopes_disabled():
        services.revoke_certificate(certificate, reason="Cấp nhầm", by=site_a.director)
        certificate.refresh_from_db()
    response = download(site_a, certificate)
    assert "revoked" in response["Content-Disposition"]
    text = text_of(response.content)
    assert "ĐÃ THU HỒI" in text
    assert text.count("1/1") == text_of(stored).count("1/1")  # no page footer added
    assert f"ngày {timezone.localdate():%d/%m/%Y}" in text
    assert bytes(certificate.pdf) == stored
    # The register says it once, first: the day and the reason.
    client = Client()
    client.force_login(site_a.staff)
    register = client.get(
        reverse("enrollment:register", args=[site_a.center.slug]) + "?year=2026"
    ).text
    assert f"Thu hồi ngày {timezone.localdate():%d/%m/%Y}, lý do: Cấp nhầm" in (
        register
    )
    printed = client.post(
        reverse("enrollment:register_pdf", args=[site_a.center.slug]) + "?year=2026",
        {"purpose": "certificate"},
    )
    assert "Đã thu hồi; thu hồi" not in text_of(printed.content)
    assert "Thu hồi ngày" in text_of(printed.content)


@pytest.mark.django_db
def test_a_replaced_certificate_names_its_replacement(site_a):
    with scopes_disabled():
        # Entered outside the numbering sequence, which gives the new one 1.
        old = make_certificate(site_a.center, number=900, number_text="900/GCN-TTCT")
        new = services.reissue_certificate(
            old, issued_on=datetime.date(2026, 3, 20), by=site_a.director
        )
        old.refresh_from_db()
    text = text_of(download(site_a, old).content)
    assert "ĐÃ ĐƯỢC THAY THẾ" in text and f"bằng số {new.number_text}" in text
