"""A committee's own report over the centres under it: written and issued,
with a number in the organization's register, by the committee member whose
membership is marked as signing the committee's documents; read by every
committee member over it; another organization's is a 404."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from enrollment.models import Enrollment
from tests.conftest import table_snapshot
from tests.factories import make_class, make_enrollment, make_user
from tests.reports.test_issuing import pdf_text
from trainingcenter.models import DocumentDraft, Membership, OutgoingDocument

QUERY = "?kind=year&year=2026"
TEXTS = {
    "strengths": "Các trung tâm mở lớp đúng kế hoạch.",
    "directions": "Năm 2027 mở đủ các lớp theo kế hoạch.",
}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(organization, name, *args) -> str:
    return reverse(f"org_{name}", args=[organization.pk, *args])


@pytest.fixture
def committee(site_a):
    """The commune's committee over centre A, its office (the signer's
    right) and its figures: one class of 2026 with two trainees."""
    with scopes_disabled():
        organization = site_a.center.organization.parent
        organization.abbreviation = "ĐU"
        organization.signer_title = "T/M BAN THƯỜNG VỤ"
        organization.signer_name = "Trần Văn Bí"
        organization.place_name = "Thử Nghiệm"
        organization.save()
        office = make_user(first_name="Văn phòng", last_name="Đảng ủy")
        Membership.objects.create(
            user=office,
            role=Membership.Role.COMMITTEE,
            organization=organization,
            signs_documents=True,
        )
        klass = make_class(site_a.center, start_date=datetime.date(2026, 3, 2))
        for _ in range(2):
            make_enrollment(klass, status=Enrollment.Status.COMPLETED)
    return organization, office, klass


@pytest.mark.django_db
def test_the_office_writes_and_issues_the_committees_report(site_a, committee):
    organization, office, klass = committee
    signer = client_for(office)
    assert signer.post(url(organization, "report_text") + QUERY, TEXTS).status_code
    confirm = signer.get(url(organization, "report_issue") + QUERY)
    assert "Số 1-BC/ĐU" in confirm.content.decode()
    assert "sổ văn bản đi của cấp ủy" in confirm.content.decode()
    issued_page = signer.post(url(organization, "report_issue") + QUERY)
    assert issued_page.status_code == 302
    with scopes_disabled():
        issued = OutgoingDocument.objects.get()
    assert (issued.issuer_id, issued.number_text) == (organization.pk, "1-BC/ĐU")
    assert issued.signer_name == "Trần Văn Bí"
    assert issued_page["Location"] == url(organization, "issued_report", issued.pk)
    frozen_pdf, digest = bytes(issued.pdf), issued.digest
    text = pdf_text(frozen_pdf)
    assert "Số 1-BC/ĐU" in text and "Trần Văn Bí" in text
    assert "Các trung tâm mở lớp đúng kế hoạch." in text

    # Every committee member over it reads it; the list shows it.
    reader = client_for(site_a.committee)
    listing = reader.get(url(organization, "issued_reports")).content.decode()
    assert "1-BC/ĐU" in listing
    page = reader.get(url(organization, "issued_report", issued.pk))
    assert 'id="data-unchanged"' in page.content.decode()

    # A class changes: the issued report stays, its page says so.
    with scopes_disabled():
        make_enrollment(klass, status=Enrollment.Status.COMPLETED)
    page = reader.get(url(organization, "issued_report", issued.pk)).content.decode()
    assert 'id="data-changed"' in page
    assert "Soạn phiên bản mới" not in page  # a reader offers nothing
    downloaded = reader.get(url(organization, "issued_pdf", issued.pk)).content
    assert downloaded == frozen_pdf
    with scopes_disabled():
        assert OutgoingDocument.objects.get().digest == digest
    page = signer.get(url(organization, "issued_report", issued.pk)).content.decode()
    assert "Soạn phiên bản mới" in page


@pytest.mark.django_db
def test_a_new_version_takes_the_next_number(committee):
    organization, office, _klass = committee
    signer = client_for(office)
    signer.post(url(organization, "report_issue") + QUERY)
    with scopes_disabled():
        first = OutgoingDocument.objects.get()
    reopened = signer.post(url(organization, "issued_new_version", first.pk))
    assert reopened.status_code == 302
    assert reopened["Location"].startswith(url(organization, "report_text"))
    signer.post(url(organization, "report_issue") + QUERY)
    with scopes_disabled():
        second = OutgoingDocument.objects.exclude(pk=first.pk).get()
    assert (second.number_text, second.replaces_id) == ("2-BC/ĐU", first.pk)


@pytest.mark.django_db
def test_a_member_without_the_right_reads_and_is_refused_writing(site_a, committee):
    organization, office, _klass = committee
    client_for(office).post(url(organization, "report_text") + QUERY, TEXTS)
    reader = client_for(site_a.committee)
    page = reader.get(url(organization, "report_text") + QUERY).content.decode()
    assert TEXTS["strengths"] in page and "disabled" in page
    report = reader.get(reverse("org_report", args=[organization.pk]) + QUERY)
    assert url(organization, "report_issue") not in report.content.decode()
    before = table_snapshot()
    refused = [
        reader.post(url(organization, "report_text") + QUERY, {"strengths": "x"}),
        reader.get(url(organization, "report_issue") + QUERY),
        reader.post(url(organization, "report_issue") + QUERY),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403]
    assert table_snapshot() == before
    with scopes_disabled():
        assert DocumentDraft.objects.get().texts["strengths"] == TEXTS["strengths"]


@pytest.mark.django_db
def test_a_member_of_another_organization_gets_404(site_a, site_b, committee):
    organization, office, _klass = committee
    client_for(office).post(url(organization, "report_issue") + QUERY)
    with scopes_disabled():
        issued = OutgoingDocument.objects.get()
        other = site_b.center.organization.parent
    outsider = client_for(site_b.committee)
    before = table_snapshot()
    for response in (
        outsider.get(url(organization, "report_text") + QUERY),
        outsider.post(url(organization, "report_issue") + QUERY),
        outsider.get(url(organization, "issued_reports")),
        outsider.get(url(organization, "issued_pdf", issued.pk)),
        # Their own organization's URL with our document: 404 too.
        outsider.get(url(other, "issued_report", issued.pk)),
        client_for(office).get(url(other, "report_issue") + QUERY),
    ):
        assert response.status_code == 404
    assert table_snapshot() == before


@pytest.mark.django_db
def test_without_a_signer_name_nothing_is_issued(committee):
    organization, office, _klass = committee
    with scopes_disabled():
        organization.signer_name = ""
        organization.save()
    response = client_for(office).post(url(organization, "report_issue") + QUERY)
    assert response.status_code == 400
    assert "Chưa có họ tên người ký" in response.content.decode()
    with scopes_disabled():
        assert not OutgoingDocument.objects.exists()


@pytest.mark.django_db
def test_only_a_committee_membership_signs_for_a_committee(site_a):
    with scopes_disabled():
        membership = Membership.objects.get(user=site_a.director)
        membership.signs_documents = True
        with pytest.raises(ValidationError, match="cấp ủy"):
            membership.full_clean()
