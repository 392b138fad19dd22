"""The pages around a class's papers: drafts, the centre's wording (checked,
filled literally, escaped), who may issue, and another centre's 404."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from enrollment.models import PaperWording
from tests.conftest import table_snapshot
from tests.enrollment.paperwork import UNIT_A, make_paper_class, pdf_text
from tests.factories import make_enrollment, make_trainee
from trainingcenter.models import OutgoingDocument


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def paper_url(site, name, klass, kind) -> str:
    return reverse(f"enrollment:{name}", args=[site.center.slug, klass.pk, kind])


def wording_url(site, kind) -> str:
    return reverse("enrollment:paper_wording", args=[site.center.slug, kind])


@pytest.fixture
def paper_class(site_a):
    klass, _units = make_paper_class(site_a.center)
    return klass


@pytest.mark.django_db
def test_a_draft_is_marked_and_unnumbered_and_writes_only_its_log(site_a, paper_class):
    before = table_snapshot()
    response = client_for(site_a.staff).get(
        paper_url(site_a, "paper_draft_pdf", paper_class, "summons")
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert text.count("DỰ THẢO") == 2  # one summons per unit, in one PDF
    assert "Số -GTT/TTCT" in text and "1-GTT" not in text
    assert f"Kính gửi: {UNIT_A}" in text
    word = client_for(site_a.staff).get(
        paper_url(site_a, "paper_draft_docx", paper_class, "summons")
    )
    assert word.status_code == 200 and word["Content-Type"] == "application/zip"
    # Nothing but the export log's two lines: the drafts name trainees.
    after = table_snapshot()
    assert (
        after.pop("enrollment.ExportLog")[0]
        == before.pop("enrollment.ExportLog")[0] + 2
    )
    assert after == before


@pytest.mark.django_db
def test_a_wording_with_an_unknown_field_is_refused_and_nothing_saved(site_a):
    before = table_snapshot()
    response = client_for(site_a.director).post(
        wording_url(site_a, "summons"),
        {"text": "Kính gửi: {don_vi}\nLớp {lop} tại {abc} và {xyz}."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Trường không có trong danh sách: {abc}, {xyz}" in page
    assert "Chưa lưu gì" in page
    assert table_snapshot() == before
    # The plan has no unit: {don_vi} is a field of the papers to a unit only.
    response = client_for(site_a.director).post(
        wording_url(site_a, "plan"), {"text": "Gửi {don_vi}"}
    )
    assert response.status_code == 400 and "{don_vi}" in response.content.decode()
    with scopes_disabled():
        assert not PaperWording.objects.exists()


@pytest.mark.django_db
def test_template_code_in_a_wording_prints_as_typed(site_a, paper_class):
    text = (
        "Kính gửi: {don_vi}\n"
        "Lớp {lop}: {{ lop }} {% if 1 %}có{% endif %} {{ settings.SECRET_KEY }}\n"
        "<b>đậm</b> {danh_sach}\n"
        "{danh_sach}"
    )
    director = client_for(site_a.director)
    response = director.post(wording_url(site_a, "summons"), {"text": text})
    assert response.status_code == 302
    page = director.get(wording_url(site_a, "summons")).content.decode()
    assert "{don_vi}" in page and "&lt;b&gt;đậm&lt;/b&gt;" in page
    printed = pdf_text(
        director.get(
            paper_url(site_a, "paper_draft_pdf", paper_class, "summons")
        ).content
    )
    assert "{{ lop }} {% if 1 %}có{% endif %} {{ settings.SECRET_KEY }}" in printed
    assert "Lớp Bồi dưỡng nhận thức về Đảng khóa I:" in printed
    assert "<b>đậm</b> {danh_sach}" in printed  # inside a line: left as typed
    assert "Nguyễn Thị Hòa" in printed  # the list, on its own line
    # Back to the default text.
    director.post(wording_url(site_a, "summons"), {"reset": "1", "text": ""})
    with scopes_disabled():
        assert not PaperWording.objects.exists()


@pytest.mark.django_db
def test_staff_can_draft_but_not_issue_nor_reword(site_a, paper_class):
    staff = client_for(site_a.staff)
    before = table_snapshot()
    issue = paper_url(site_a, "paper_issue", paper_class, "plan")
    assert staff.get(issue).status_code == 403
    assert staff.post(issue, {"confirmed": "1"}).status_code == 403
    new_version = paper_url(site_a, "paper_new_version", paper_class, "plan")
    assert staff.post(new_version).status_code == 403
    wording = wording_url(site_a, "plan")
    assert staff.post(wording, {"text": "Mở lớp {lop}"}).status_code == 403
    assert table_snapshot() == before
    page = staff.get(paper_class.get_absolute_url()).content.decode()
    assert "Dự thảo (PDF)" in page and "paper_issue" not in page
    assert paper_url(site_a, "paper_issue", paper_class, "plan") not in page


@pytest.mark.django_db
def test_issuing_is_confirmed_first(site_a, paper_class):
    director = client_for(site_a.director)
    issue = paper_url(site_a, "paper_issue", paper_class, "summons")
    page = director.get(issue).content.decode()
    assert "Sẽ lấy 2 số liên tiếp" in page and "Võ Thị Ký" in page
    before = table_snapshot()
    director.post(issue)  # without the confirmation: nothing
    assert table_snapshot() == before
    director.post(issue, {"confirmed": "1"})
    with scopes_disabled():
        assert OutgoingDocument.objects.count() == 2


@pytest.mark.django_db
def test_another_centres_class_papers_are_404(site_a, site_b, paper_class):
    director_b = client_for(site_b.director)
    before = table_snapshot()
    for name in ("paper_draft_pdf", "paper_issue", "paper_pdf", "paper_zip"):
        # A's class under B's centre, and A's centre for B's director.
        foreign = reverse(
            f"enrollment:{name}", args=[site_b.center.slug, paper_class.pk, "summons"]
        )
        assert director_b.get(foreign).status_code == 404, name
        assert director_b.post(foreign, {"confirmed": "1"}).status_code in (404, 405)
        own = paper_url(site_a, name, paper_class, "summons")
        assert director_b.get(own).status_code == 404, name
    assert table_snapshot() == before


@pytest.mark.django_db
def test_an_unknown_kind_is_404_and_a_paper_not_issued_has_no_file(site_a, paper_class):
    director = client_for(site_a.director)
    assert (
        director.get(paper_url(site_a, "paper_pdf", paper_class, "x")).status_code
        == 404
    )
    assert director.get(wording_url(site_a, "x")).status_code == 404
    assert (
        director.get(paper_url(site_a, "paper_pdf", paper_class, "plan")).status_code
        == 404
    )


@pytest.mark.django_db
def test_the_class_page_shows_each_papers_state(site_a, paper_class):
    director = client_for(site_a.director)
    page = director.get(paper_class.get_absolute_url()).content.decode()
    assert page.count("Dự thảo</span>") == 5
    director.post(
        paper_url(site_a, "paper_issue", paper_class, "plan"), {"confirmed": 1}
    )
    page = director.get(paper_class.get_absolute_url()).content.decode()
    row = _row(page, "plan")
    assert "text-bg-success" in row and "số 1-KH/TTCT ngày" in row
    assert "Chưa lập" in page  # the decision to open: not needed now
    # A new version opened: the issued one still stands, and says so.
    director.post(paper_url(site_a, "paper_new_version", paper_class, "plan"))
    row = _row(director.get(paper_class.get_absolute_url()).content.decode(), "plan")
    assert "text-bg-success" in row and "text-bg-warning" not in row
    assert "Đang soạn phiên bản mới" in row and "/papers/plan/issue/" in row


def _row(page: str, code: str) -> str:
    return re.search(rf'<tr id="paper-{code}">.*?</tr>', page, re.S).group(0)


@pytest.mark.django_db
def test_the_class_page_names_trainees_no_unit_paper_can_list(site_a, paper_class):
    with scopes_disabled():
        make_enrollment(paper_class, make_trainee(site_a.center, full_name="Đinh Vô"))
    page = client_for(site_a.staff).get(paper_class.get_absolute_url()).content.decode()
    assert page.count("1 học viên chưa có đơn vị cử đi học") == 2  # summons, notice


@pytest.mark.django_db
def test_a_centres_wording_is_its_own(site_a, site_b, paper_class):
    response = client_for(site_b.director).post(
        wording_url(site_b, "plan"), {"text": "Trung tâm B mở lớp {lop}."}
    )
    assert response.status_code == 302
    printed = pdf_text(
        client_for(site_a.staff)
        .get(paper_url(site_a, "paper_draft_pdf", paper_class, "plan"))
        .content
    )
    assert "Trung tâm B mở lớp" not in printed
    assert "I. MỤC ĐÍCH, YÊU CẦU" in printed  # A keeps the default text


@pytest.mark.django_db
def test_one_units_summons_draft_is_a_word_file_not_a_zip(site_a, paper_class):
    """With everyone from one unit there is one summons: its .docx, named for
    the unit, rather than an archive holding one file."""
    from enrollment.models import Enrollment

    with scopes_disabled():
        enrolments = Enrollment.objects.filter(training_class=paper_class)
        unit = enrolments.filter(unit__name=UNIT_A).first().unit
        enrolments.update(unit=unit)
    word = client_for(site_a.staff).get(
        paper_url(site_a, "paper_draft_docx", paper_class, "summons")
    )
    assert word.status_code == 200
    assert word["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "tan-phu" in word["Content-Disposition"]
