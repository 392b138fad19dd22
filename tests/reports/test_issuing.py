"""The report as a document: the director's text, issuing with a number in
the centre's register, the frozen copy, and a later change of the data."""

import datetime
import hashlib
import io

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from tests.factories import make_class, make_enrollment, make_trainee
from trainingcenter.models import DocumentDraft, OutgoingDocument

YEAR = {"kind": "year", "year": 2026}
QUERY = "?kind=year&year=2026"
TEXTS = {
    "strengths": "Các lớp mở đúng kế hoạch.\nHọc viên chấp hành tốt nội quy.",
    "limitations": "Một số lớp <script>alert(1)</script> chưa có kết quả.",
    "directions": "Mở đủ các lớp theo kế hoạch năm 2027.",
    "proposals": "Đề nghị bố trí thêm kinh phí.",
    "note1": "Giám đốc ghi thêm về công tác mở lớp.",
}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(site, name, *args) -> str:
    return reverse(f"reports:{name}", args=[site.center.slug, *args])


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(content)).pages
    )


@pytest.fixture
def signed_site(report_site):
    report_site.center.director_name = "Nguyễn Văn Giám"
    report_site.center.save()
    return report_site


@pytest.mark.django_db
def test_the_director_writes_the_sections_and_the_pdf_prints_them(signed_site):
    director = client_for(signed_site.director)
    response = director.post(url(signed_site, "report_text") + QUERY, TEXTS)
    assert response.status_code == 302
    page = director.get(url(signed_site, "report_text") + QUERY)
    assert "Các lớp mở đúng kế hoạch." in page.content.decode()
    assert "&lt;script&gt;" in page.content.decode()
    content = director.get(url(signed_site, "report_pdf") + QUERY).content
    text = pdf_text(content)
    order = [
        "I. KẾT QUẢ THỰC HIỆN",
        "Giám đốc ghi thêm về công tác mở lớp.",
        "II. ĐÁNH GIÁ CHUNG",
        "1. Ưu điểm",
        "Học viên chấp hành tốt nội quy.",
        "2. Hạn chế, khuyết điểm và nguyên nhân",
        "<script>alert(1)</script>",  # printed as the text it is
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT",
        "Đề nghị bố trí thêm kinh phí.",
        "Số liệu chi tiết tại các phụ lục kèm theo.",
    ]
    place = 0
    for part in order:  # each after the one before
        place = text.find(part, place)
        assert place != -1, part
    assert "Nơi nhận" in text and "Nguyễn Văn Giám" in text


@pytest.mark.django_db
def test_staff_read_the_text_and_cannot_change_it(signed_site):
    director = client_for(signed_site.director)
    director.post(url(signed_site, "report_text") + QUERY, TEXTS)
    staff = client_for(signed_site.staff)
    page = staff.get(url(signed_site, "report_text") + QUERY).content.decode()
    assert "Các lớp mở đúng kế hoạch." in page and "disabled" in page
    refused = staff.post(url(signed_site, "report_text") + QUERY, {"strengths": "x"})
    assert refused.status_code == 403
    assert staff.post(url(signed_site, "report_issue") + QUERY).status_code == 403
    with scopes_disabled():
        assert DocumentDraft.objects.get().texts["strengths"] == TEXTS["strengths"]
        assert not OutgoingDocument.objects.exists()


@pytest.mark.django_db
def test_a_text_too_long_is_refused_and_changes_nothing(signed_site):
    director = client_for(signed_site.director)
    director.post(url(signed_site, "report_text") + QUERY, TEXTS)
    response = director.post(
        url(signed_site, "report_text") + QUERY, {"strengths": "x" * 20_001}
    )
    assert response.status_code == 400
    assert "tối đa" in response.content.decode()  # Vietnamese, by the field
    with scopes_disabled():
        assert DocumentDraft.objects.get().texts == TEXTS


def issue(site, client=None) -> OutgoingDocument:
    client = client or client_for(site.director)
    response = client.post(url(site, "report_issue") + QUERY)
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        return OutgoingDocument.objects.order_by("-pk").first()


@pytest.mark.django_db
def test_issuing_numbers_and_freezes_the_report(signed_site):
    director = client_for(signed_site.director)
    # Before the text is written, the confirmation says what the report
    # would go out without.
    confirm = director.get(url(signed_site, "report_issue") + QUERY).content.decode()
    assert (
        "Chưa viết nên báo cáo sẽ ban hành mà không có: Ưu điểm; Hạn chế, khuyết "
        "điểm và nguyên nhân; Phương hướng, nhiệm vụ kỳ tới; Kiến nghị, đề xuất."
    ) in confirm
    director.post(url(signed_site, "report_text") + QUERY, TEXTS)
    confirm = director.get(url(signed_site, "report_issue") + QUERY).content.decode()
    assert "Số 1-BC/TTCT" in confirm
    assert 'id="unwritten"' not in confirm
    issued = issue(signed_site, director)
    assert (issued.number, issued.number_text, issued.year) == (1, "1-BC/TTCT", 2026)
    assert issued.signer_name == "Nguyễn Văn Giám"
    assert issued.fields["texts"]["strengths"] == TEXTS["strengths"]
    frozen_pdf = bytes(issued.pdf)
    text = pdf_text(frozen_pdf)
    assert "Số 1-BC/TTCT" in text and "Nguyễn Văn Giám" in text
    assert "Kèm theo Báo cáo số 1-BC/TTCT" in text
    served = director.get(url(signed_site, "issued_pdf", issued.pk))
    assert served.content == frozen_pdf
    page = director.get(url(signed_site, "issued_report", issued.pk)).content.decode()
    assert 'id="data-unchanged"' in page and issued.digest in page
    # The text is locked now.
    locked = director.post(url(signed_site, "report_text") + QUERY, {"strengths": "x"})
    assert "1-BC/TTCT" in locked.content.decode()
    with scopes_disabled():
        assert DocumentDraft.objects.get().texts["strengths"] == TEXTS["strengths"]
    # Issuing the same report twice is refused, and takes no number.
    again = director.post(url(signed_site, "report_issue") + QUERY)
    assert again.status_code == 400
    assert "đã được ban hành với số 1-BC/TTCT" in again.content.decode()
    with scopes_disabled():
        assert OutgoingDocument.objects.count() == 1
    listing = director.get(url(signed_site, "issued_reports")).content.decode()
    assert "1-BC/TTCT" in listing


@pytest.mark.django_db
def test_a_change_of_the_data_leaves_the_issued_report_and_is_flagged(signed_site):
    director = client_for(signed_site.director)
    issued = issue(signed_site, director)
    digest, frozen_pdf = issued.digest, bytes(issued.pdf)
    with scopes_disabled():
        extra = make_class(
            signed_site.center,
            start_date=datetime.date(2026, 10, 5),
            end_date=datetime.date(2026, 10, 9),
        )
        make_enrollment(extra, make_trainee(signed_site.center, full_name="Lê Văn Mới"))
    page = director.get(url(signed_site, "issued_report", issued.pk)).content.decode()
    assert 'id="data-changed"' in page
    with scopes_disabled():
        issued.refresh_from_db()
    assert issued.digest == digest and bytes(issued.pdf) == frozen_pdf
    assert issued.digest == recomputed_digest(issued)
    served = director.get(url(signed_site, "issued_pdf", issued.pk))
    served_hash = hashlib.sha256(served.content).hexdigest()
    assert served_hash == hashlib.sha256(frozen_pdf).hexdigest()
    # A new version: the text opens again, and issuing takes the next number.
    director.post(url(signed_site, "issued_new_version", issued.pk))
    newer = issue(signed_site, director)
    assert (newer.number_text, newer.replaces_id) == ("2-BC/TTCT", issued.pk)
    fresh = director.get(url(signed_site, "issued_report", newer.pk)).content.decode()
    assert 'id="data-unchanged"' in fresh


def recomputed_digest(issued) -> str:
    from trainingcenter import documents

    return documents.digest_of(documents.canonical(issued.fields), bytes(issued.pdf))


@pytest.mark.django_db
def test_another_centre_sees_none_of_it(signed_site, site_b):
    issued = issue(signed_site)
    other = client_for(site_b.director)
    for name in ("issued_report", "issued_pdf", "issued_docx"):
        path = reverse(f"reports:{name}", args=[site_b.center.slug, issued.pk])
        assert other.get(path).status_code == 404
    assert "1-BC/TTCT" not in other.get(url(site_b, "issued_reports")).content.decode()
    foreign = reverse(
        "reports:issued_new_version", args=[site_b.center.slug, issued.pk]
    )
    assert other.post(foreign).status_code == 404
    theirs = client_for(site_b.director).get(url(signed_site, "issued_reports"))
    assert theirs.status_code == 404


@pytest.mark.django_db
def test_without_a_signer_nothing_is_issued_and_no_number_is_taken(report_site):
    director = client_for(report_site.director)
    refused = director.post(url(report_site, "report_issue") + QUERY)
    assert refused.status_code == 400
    assert "Chưa có họ tên người ký" in refused.content.decode()
    with scopes_disabled():
        assert not OutgoingDocument.objects.exists()
    report_site.center.director_name = "Nguyễn Văn Giám"
    report_site.center.save()
    assert issue(report_site, director).number_text == "1-BC/TTCT"


@pytest.mark.django_db
def test_a_counter_held_too_long_by_another_issuer_is_a_message(
    signed_site, monkeypatch
):
    from django.db import OperationalError

    from trainingcenter import documents

    def held(*args, **kwargs):
        raise OperationalError("canceling statement due to lock timeout")

    monkeypatch.setattr(documents, "get_next_value", held)
    refused = client_for(signed_site.director).post(
        url(signed_site, "report_issue") + QUERY
    )
    assert refused.status_code == 400
    assert "Chưa có gì được ban hành" in refused.content.decode()
    with scopes_disabled():
        assert not OutgoingDocument.objects.exists()
