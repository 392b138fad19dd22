"""A class's papers issued from its data, read back from the PDF and the
Word file as stored: numbers, names, dates, recipients, one summons and one
notice per sending unit with that unit's people only."""

import io
import re
import zipfile

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from enrollment.models import Trainee
from enrollment.paperwork import content, issuing
from tests.enrollment.paperwork import (
    UNIT_A,
    UNIT_B,
    docx_text,
    make_paper_class,
    pdf_text,
)
from tests.factories import make_enrollment, make_organization, make_trainee
from trainingcenter.models import Organization, OutgoingDocument


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(site, name, klass, kind) -> str:
    return reverse(f"enrollment:{name}", args=[site.center.slug, klass.pk, kind])


@pytest.fixture
def paper_class(site_a):
    klass, _units = make_paper_class(site_a.center)
    return klass


def issue(site, klass, kind):
    response = client_for(site.director).post(
        url(site, "paper_issue", klass, kind), {"confirmed": "1"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        return list(
            OutgoingDocument.objects.filter(
                key__startswith=f"class:{klass.pk}:{kind}"
            ).order_by("number")
        )


def download(site, klass, kind, name) -> bytes:
    response = client_for(site.staff).get(url(site, name, klass, kind))
    assert response.status_code == 200
    return b"".join(response) if response.streaming else response.content


@pytest.mark.django_db
def test_the_plan_prints_the_class_and_its_timetable_in_pdf_and_word(
    site_a, paper_class
):
    (plan,) = issue(site_a, paper_class, "plan")
    assert plan.number_text == "1-KH/TTCT"
    for text in (
        pdf_text(download(site_a, paper_class, "plan", "paper_pdf")),
        docx_text(download(site_a, paper_class, "plan", "paper_docx")),
    ):
        assert "Số 1-KH/TTCT" in text and "KẾ HOẠCH" in text
        assert "từ ngày 02/03/2026 đến ngày 06/03/2026" in text
        assert "Hội trường Trung tâm Chính trị" in text
        assert "Đỗ Minh Giảng, Hà Thu Lan" in text
        # The timetable annexed: each session in order, and its total.
        first = text.index("Bài 1: Chủ nghĩa Mác – Lênin")
        assert first < text.index("Bài 2: Tư tưởng Hồ Chí Minh")
        assert "03/03/2026" in text and "Chiều" in text and "Tổng cộng" in text
        assert "Kèm theo Kế hoạch số 1-KH/TTCT" in text
        # Nơi nhận: the centre's superior, each sending unit, the archive.
        assert "Đảng ủy phường Xuân Hương (để báo cáo)" in text
        assert UNIT_A in text and UNIT_B in text and "Lưu VT." in text
        assert "Võ Thị Ký" in text
        assert "DỰ THẢO" not in text


@pytest.mark.django_db
def test_a_draft_in_word_leaves_room_to_write_the_number(site_a, paper_class):
    """As the PDF leaves 14 mm: "Số" and a blank before "-KH/TTCT", not
    "Số-KH/TTCT" with nowhere to write."""
    document = docx.Document(
        io.BytesIO(download(site_a, paper_class, "plan", "paper_draft_docx"))
    )
    header = document.tables[0].rows[0].cells[0].text
    assert re.search("Số \u00a0{10,}-KH/TTCT", header), header


@pytest.mark.django_db
def test_one_summons_per_unit_with_its_people_only_numbered_one_after_the_other(
    site_a, paper_class
):
    issued = issue(site_a, paper_class, "summons")
    assert [d.number_text for d in issued] == ["1-GTT/TTCT", "2-GTT/TTCT"]
    archive = zipfile.ZipFile(
        io.BytesIO(download(site_a, paper_class, "summons", "paper_zip"))
    )
    names = sorted(archive.namelist())
    assert len(names) == 4 and all(n.startswith("giay-trieu-tap-so-") for n in names)
    people = {
        UNIT_A: ("Nguyễn Thị Hòa", "Trần Văn Bình"),
        UNIT_B: ("Lê Thị Cúc", "Phạm Văn Dũng"),
    }
    seen = set()
    for name in names:
        content = archive.read(name)
        text = pdf_text(content) if name.endswith(".pdf") else docx_text(content)
        unit = UNIT_A if f"Kính gửi: {UNIT_A}" in text else UNIT_B
        other = UNIT_B if unit == UNIT_A else UNIT_A
        seen.add(unit)
        assert all(person in text for person in people[unit]), name
        assert not any(person in text for person in people[other]), name
        assert "Vũ Văn Rút" not in text  # withdrawn
        assert "GIẤY TRIỆU TẬP" in text and "ngày 02/03/2026" in text
        assert "- Như trên," in text and "Lưu VT." in text
    assert seen == {UNIT_A, UNIT_B}
    # "Hòa Bình" comes before "Tân Phú": the first number goes to it.
    merged = pdf_text(download(site_a, paper_class, "summons", "paper_pdf"))
    assert merged.index("Lê Thị Cúc") < merged.index("Nguyễn Thị Hòa")
    assert "Số 1-GTT/TTCT" in merged and "Số 2-GTT/TTCT" in merged


@pytest.mark.django_db
def test_the_decision_recognises_who_passed_with_the_list_annexed(site_a, paper_class):
    issue(site_a, paper_class, "plan")
    (decision,) = issue(site_a, paper_class, "results")
    assert decision.number_text == "1-QĐ/TTCT"
    for text in (
        pdf_text(download(site_a, paper_class, "results", "paper_pdf")),
        docx_text(download(site_a, paper_class, "results", "paper_docx")),
    ):
        assert "QUYẾT ĐỊNH" in text and "Số 1-QĐ/TTCT" in text
        assert "Căn cứ Kế hoạch số 1-KH/TTCT ngày" in text
        assert "cấp giấy chứng nhận cho 3 đồng chí" in text
        # Vietnamese order, by given name: Bình, Cúc, Hòa; the failed one out.
        order = [text.index(n) for n in ("Trần Văn Bình", "Lê Thị Cúc", "Nguyễn")]
        assert order == sorted(order)
        assert "Phạm Văn Dũng" not in text
        assert "17/05/1995" in text and "8,5" in text and "Giỏi" in text
        assert "7/GCN-TTCT" in text


@pytest.mark.django_db
def test_the_annex_keeps_grades_and_certificate_numbers_on_one_line(
    site_a, paper_class
):
    """A long unit name wraps; "7/GCN-TTCT" and "Trung bình" never split in
    two, which made every row two lines high and the list twice as long."""
    long_unit = (
        "Chi bộ Trường Trung học phổ thông chuyên Thăng Long thuộc Đảng bộ "
        "phường Xuân Hương – Đà Lạt"
    )
    with scopes_disabled():
        Organization.objects.filter(name=UNIT_A).update(name=long_unit)
        paper_class.enrollments.filter(trainee__full_name="Lê Thị Cúc").update(
            grade="Trung bình"
        )
    issue(site_a, paper_class, "plan")
    issue(site_a, paper_class, "results")
    content = download(site_a, paper_class, "results", "paper_pdf")
    annex = PdfReader(io.BytesIO(content)).pages[-1].extract_text()
    lines = [" ".join(line.split()) for line in annex.splitlines()]
    assert any("7/GCN-TTCT" in line for line in lines), lines
    assert any("Trung bình" in line for line in lines), lines
    assert any("Thăng Long" in line for line in lines), lines


@pytest.mark.django_db
def test_a_results_notice_per_unit_with_that_units_results(site_a, paper_class):
    issued = issue(site_a, paper_class, "notice")
    assert [d.number_text for d in issued] == ["1-TB/TTCT", "2-TB/TTCT"]
    to_b = pdf_text(bytes(issued[0].pdf))
    assert f"Kính gửi: {UNIT_B}" in to_b and "THÔNG BÁO" in to_b
    assert "Phạm Văn Dũng" in to_b and "4,0" in to_b and "Không đạt" in to_b
    assert "Nguyễn Thị Hòa" not in to_b and "Trần Văn Bình" not in to_b
    to_a = docx_text(bytes(issued[1].docx))
    assert "Nguyễn Thị Hòa" in to_a and "Phạm Văn Dũng" not in to_a


@pytest.mark.django_db
def test_an_issued_paper_stays_as_stored_and_a_change_offers_a_new_version(
    site_a, paper_class
):
    first = issue(site_a, paper_class, "summons")
    with scopes_disabled():
        Trainee.objects.filter(full_name="Lê Thị Cúc").update(
            full_name="Lê Thị Cúc Mới"
        )
    before = download(site_a, paper_class, "summons", "paper_pdf")
    assert "Cúc Mới" not in pdf_text(before)
    page = client_for(site_a.director).get(paper_class.get_absolute_url())
    assert "Dữ liệu của lớp đã thay đổi sau khi ban hành" in page.content.decode()
    # One number per unit: they wrap, however many units (a space between).
    assert re.search(r"1-GTT/TTCT ngày [\d/]+;</span>\s+<span", page.content.decode())
    director = client_for(site_a.director)
    # Issuing again before a new version is opened issues nothing.
    director.post(url(site_a, "paper_issue", paper_class, "summons"), {"confirmed": 1})
    with scopes_disabled():
        assert OutgoingDocument.objects.count() == 2
    director.post(url(site_a, "paper_new_version", paper_class, "summons"))
    second = issue(site_a, paper_class, "summons")[2:]
    assert [d.number_text for d in second] == ["3-GTT/TTCT", "4-GTT/TTCT"]
    assert {d.replaces_id for d in second} == {d.pk for d in first}
    assert "Cúc Mới" in pdf_text(download(site_a, paper_class, "summons", "paper_pdf"))
    page = client_for(site_a.staff).get(paper_class.get_absolute_url()).content.decode()
    assert "số 3-GTT/TTCT ngày" in page and "đã thay đổi" not in page


@pytest.mark.django_db
def test_the_class_is_opened_by_a_plan_or_a_decision_not_both(site_a, paper_class):
    (opening,) = issue(site_a, paper_class, "opening")
    assert opening.number_text == "1-QĐ/TTCT"
    text = pdf_text(bytes(opening.pdf))
    assert "QUYẾT ĐỊNH:" in text and "Điều 1. Mở lớp" in text and "LỊCH HỌC" in text
    response = client_for(site_a.director).post(
        url(site_a, "paper_issue", paper_class, "plan"), {"confirmed": "1"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert OutgoingDocument.objects.count() == 1
    page = client_for(site_a.staff).get(paper_class.get_absolute_url()).content.decode()
    assert "Không cần: lớp đã được mở theo văn bản số 1-QĐ/TTCT." in page


@pytest.mark.django_db
def test_the_class_page_counts_the_papers_it_would_make(site_a, paper_class):
    """Counting a kind none of which is issued takes the papers' keys only:
    the same papers as making them, the unit whose people have no result yet
    getting a summons but no notice."""
    with scopes_disabled():
        waiting = make_organization(name="Chi bộ Chưa Có Kết Quả", level="cell")
        make_enrollment(
            paper_class,
            make_trainee(site_a.center, full_name="Đinh Văn Chờ"),
            unit=waiting,
        )
        facts = content.facts_of(paper_class)
        for kind in issuing.KINDS.values():
            made = [paper.key for paper in content.papers(facts, kind)]
            assert content.paper_keys(facts, kind) == made, kind.code
        states = {s.kind.code: s for s in issuing.states(paper_class)}
    assert states["summons"].papers == 3 and states["notice"].papers == 2
    assert states["summons"].waiting == 3 and not states["summons"].issued
