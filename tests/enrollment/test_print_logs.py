"""The files a class's own work prints (its list, its certificates, the
papers that name trainees) go into the export log without a question: the
page they come from is their purpose. A paper naming nobody is not logged."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from enrollment.models import ExportLog
from tests.enrollment.paperwork import make_paper_class
from tests.factories import make_certificate
from trainingcenter.models import OutgoingDocument


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def got(client, address) -> bytes:
    response = client.get(address)
    assert response.status_code == 200, address
    assert response["Content-Type"] in (
        "application/pdf",
        "application/zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ), address  # the file itself, not a page asking why
    return b"".join(response) if response.streaming else response.content


def logged() -> list[tuple]:
    with scopes_disabled():
        return list(
            ExportLog.objects.order_by("pk").values_list(
                "kind", "file_format", "people", "purpose", "user__username"
            )
        )


@pytest.fixture
def paper_class(site_a):
    """Closed; four trainees named (three passed), one withdrawn."""
    with scopes_disabled():
        klass, _units = make_paper_class(site_a.center)
    return klass


def test_the_class_list_and_papers_naming_trainees_are_logged(site_a, paper_class):
    staff = client_for(site_a.staff)
    slug, pk = site_a.center.slug, paper_class.pk
    staff_name = site_a.staff.username

    def paper(name, kind):
        return reverse(f"enrollment:{name}", args=[slug, pk, kind])

    got(staff, reverse("enrollment:roster_pdf", args=[slug, pk]))
    got(staff, paper("paper_draft_pdf", "plan"))  # the timetable: nobody named
    got(staff, paper("paper_draft_pdf", "results"))  # the three who passed
    got(staff, paper("paper_draft_docx", "summons"))  # a ZIP, one per unit
    assert logged() == [
        ("roster", "pdf", 4, "class_work", staff_name),
        ("papers", "pdf", 3, "class_work", staff_name),
        ("papers", "zip", 4, "class_work", staff_name),
    ]

    director = client_for(site_a.director)
    response = director.post(paper("paper_issue", "summons"), {"confirmed": "1"})
    assert response.status_code == 302
    with scopes_disabled():
        first = OutgoingDocument.objects.filter(
            key__startswith=f"class:{pk}:summons"
        ).earliest("number")
    before = len(logged())
    # Several summons (one per unit) have no single Word file: a refused
    # download names nobody and is not logged.
    assert staff.get(paper("paper_docx", "summons")).status_code == 404
    assert len(logged()) == before
    got(staff, paper("paper_zip", "summons"))
    # The same summons from the register of outgoing documents.
    got(staff, reverse("documents:outgoing_pdf", args=[slug, first.pk]))
    assert logged()[before:] == [
        ("papers", "zip", 4, "class_work", staff_name),
        ("papers", "pdf", 2, "class_work", staff_name),
    ]

    page = director.get(reverse("enrollment:export_log", args=[slug])).text
    assert "Văn bản của lớp có danh sách học viên" in page
    assert "Tổ chức lớp học" in page
    # What was printed, in words: the paper's kind, the register's number.
    assert "Văn bản: Giấy triệu tập gửi các đơn vị" in page
    assert f"Số văn bản: {first.number_text}" in page
    assert "paper=" not in page and "document=" not in page


def test_certificates_printed_are_logged_for_issuing_them(site_a):
    with scopes_disabled():
        certificate = make_certificate(site_a.center)
    training_class = certificate.enrollment.training_class
    slug, staff = site_a.center.slug, client_for(site_a.staff)
    got(
        staff,
        reverse("enrollment:class_certificates_pdf", args=[slug, training_class.pk]),
    )
    got(
        staff,
        reverse("enrollment:class_certificates_zip", args=[slug, training_class.pk]),
    )
    got(staff, reverse("enrollment:certificate_pdf", args=[slug, certificate.pk]))
    name = site_a.staff.username
    assert logged() == [
        ("certificates", "pdf", 1, "certificate", name),
        ("certificates", "zip", 1, "certificate", name),
        ("certificates", "pdf", 1, "certificate", name),
    ]
    with scopes_disabled():
        last = ExportLog.objects.latest("pk")
    assert last.trainee_id == certificate.enrollment.trainee_id
    assert last.center == site_a.center
    page = client_for(site_a.director).get(
        reverse("enrollment:export_log", args=[slug])
    )
    assert f"Số giấy chứng nhận: {certificate.number_text}" in page.text
