"""The centre's register of outgoing documents as its staff and director use
it: every issued document, newest first, filtered, paged, each with its
stored files, exported to Excel; and the director's choice of the period."""

import datetime
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.conftest import table_snapshot
from tests.factories import make_user
from tests.trainingcenter.documents import issue
from trainingcenter import documents
from trainingcenter.documents import DocumentRegister, OutgoingDocument
from trainingcenter.paging import PAGE_ROWS


def client_for(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def url(site, name, *args) -> str:
    return reverse(f"documents:{name}", args=[site.center.slug, *args])


@pytest.fixture
def issued(site_a):
    """A report, a plan, a decision and a plan of another year."""
    papers = [
        ("BC", datetime.date(2025, 12, 20), "Báo cáo tổng kết năm 2025"),
        ("KH", datetime.date(2026, 2, 3), "Kế hoạch mở lớp bồi dưỡng đảng viên mới"),
        ("QĐ", datetime.date(2026, 3, 9), '=HYPERLINK("x") Quyết định công nhận'),
        ("KH", datetime.date(2026, 4, 1), "Kế hoạch mở lớp nhận thức về Đảng"),
    ]
    with scopes_disabled():
        return [
            issue(site_a.center, kind, on=day, subject=subject)
            for kind, day, subject in papers
        ]


def rows_of(page) -> list[str]:
    return [d.number_text for d in page.context["page"].object_list]


@pytest.mark.django_db
def test_staff_see_every_issued_document_newest_first_with_its_files(site_a, issued):
    staff = client_for(site_a.staff)
    page = staff.get(url(site_a, "outgoing"))
    assert page.status_code == 200
    assert rows_of(page) == ["2-KH/TTCT", "1-QĐ/TTCT", "1-KH/TTCT", "1-BC/TTCT"]
    html = page.content.decode()
    assert "Sổ đăng ký văn bản đi" in html and "09/03/2026" in html
    assert "Năm 2026" in html and "Quyết định" in html
    pdf = staff.get(url(site_a, "outgoing_pdf", issued[2].pk))
    assert (
        pdf.status_code == 200
        and pdf.content == b"%PDF-1.4 S\xe1\xbb\x91 1-Q\xc4\x90/TTCT"
    )
    assert url(site_a, "outgoing_pdf", issued[2].pk) in html
    docx = staff.get(url(site_a, "outgoing_docx", issued[0].pk))
    assert docx.content == "PK Số 1-BC/TTCT".encode()
    assert "wordprocessingml" in docx["Content-Type"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=KH", ["2-KH/TTCT", "1-KH/TTCT"]),
        ("year=2025", ["1-BC/TTCT"]),
        ("period=2026", ["2-KH/TTCT", "1-QĐ/TTCT", "1-KH/TTCT"]),
        ("q=nhận thức", ["2-KH/TTCT"]),
        ("q=1-QĐ", ["1-QĐ/TTCT"]),
        ("start=01/03/2026&end=31/03/2026", ["1-QĐ/TTCT"]),
        ("kind=KH&start=01/03/2026", ["2-KH/TTCT"]),
    ],
)
def test_the_register_filters(site_a, issued, query, expected):
    page = client_for(site_a.director).get(f"{url(site_a, 'outgoing')}?{query}")
    assert page.status_code == 200
    assert rows_of(page) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["start=31/02/2026", "start=31/03/2026&end=01/03/2026", "kind=XX"]
)
def test_a_bad_filter_is_refused_in_vietnamese_and_lists_nothing(site_a, issued, query):
    page = client_for(site_a.staff).get(f"{url(site_a, 'outgoing')}?{query}")
    assert page.status_code == 400
    assert rows_of(page) == []
    html = page.content.decode()
    assert any(
        words in html
        for words in ("Nhập một ngày hợp lệ", "không được trước", "Hãy chọn")
    ), html


@pytest.mark.django_db
def test_the_register_pages_and_keeps_its_filters(site_a):
    with scopes_disabled():
        for day in range(PAGE_ROWS + 5):
            issue(
                site_a.center,
                "TB",
                on=datetime.date(2026, 1, 1) + datetime.timedelta(days=day),
            )
        issue(site_a.center, "KH", on=datetime.date(2026, 1, 2))
    staff = client_for(site_a.staff)
    first = staff.get(url(site_a, "outgoing") + "?kind=TB")
    assert len(rows_of(first)) == PAGE_ROWS
    assert rows_of(first)[0] == f"{PAGE_ROWS + 5}-TB/TTCT"
    assert "?kind=TB&amp;page=2" in first.content.decode()
    second = staff.get(url(site_a, "outgoing") + "?kind=TB&page=2")
    assert rows_of(second) == [f"{n}-TB/TTCT" for n in range(5, 0, -1)]


@pytest.mark.django_db
def test_the_excel_register_holds_true_numbers_dates_and_no_formula(site_a, issued):
    response = client_for(site_a.staff).get(url(site_a, "outgoing_xlsx") + "?year=2026")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('so-van-ban-di-trung-tam-a.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [
        r for r in sheet.iter_rows(values_only=True) if r[0] and "/TTCT" in str(r[0])
    ]
    assert [r[0] for r in rows] == ["2-KH/TTCT", "1-QĐ/TTCT", "1-KH/TTCT"]
    number, kind, day, period, subject = rows[1][1:6]
    assert (number, kind, period) == (1, "Quyết định", "Năm 2026")
    assert day == datetime.datetime(2026, 3, 9)
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value}
    assert cells[day].number_format == "dd/mm/yyyy"
    formula = cells[subject]
    assert formula.data_type == "s" and subject.startswith("=HYPERLINK")
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in cells


@pytest.mark.django_db
def test_committee_members_do_not_open_the_register(site_a, issued):
    """The register is the centre's office work (summons and notices name
    units' people); a committee reads the reports it is sent."""
    committee = client_for(site_a.committee)
    assert committee.get(url(site_a, "outgoing")).status_code == 403
    assert committee.get(url(site_a, "outgoing_pdf", issued[1].pk)).status_code == 403
    page = committee.get(reverse("reports:issued_reports", args=[site_a.center.slug]))
    assert page.status_code == 200 and "1-BC/TTCT" in page.content.decode()
    assert "1-KH/TTCT" not in page.content.decode()


@pytest.mark.django_db
def test_another_centres_document_is_a_404(site_a, site_b, issued):
    with scopes_disabled():
        theirs = issue(site_b.center, "KH", on=datetime.date(2026, 1, 5))
    staff = client_for(site_a.staff)
    assert staff.get(url(site_a, "outgoing_pdf", theirs.pk)).status_code == 404
    page = staff.get(url(site_a, "outgoing"))
    assert theirs.pk not in [d.pk for d in page.context["page"].object_list]


@pytest.mark.django_db
def test_the_director_sets_numbering_per_term(site_a, issued, monkeypatch):
    monkeypatch.setattr(documents, "today", lambda: datetime.date(2026, 6, 1))
    director = client_for(site_a.director, enforce_csrf_checks=True)
    form = director.get(url(site_a, "outgoing_period"))
    assert "01/04/2026" in form.content.decode()  # the last issued
    token = form.cookies["csrftoken"].value
    answer = director.post(
        url(site_a, "outgoing_period"),
        {"period": "term", "term_start": "02/04/2026", "csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 302
    with scopes_disabled():
        register = DocumentRegister.objects.get()
        assert (register.period, register.term_start) == (
            "term",
            datetime.date(2026, 4, 2),
        )
        plan = issue(site_a.center, "KH", on=datetime.date(2026, 6, 1))
    assert (plan.number_text, plan.period) == ("1-KH/TTCT", "term-2026-04-02")
    page = director.get(url(site_a, "outgoing")).content.decode()
    assert "Nhiệm kỳ từ 02/04/2026" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"period": "term", "term_start": ""},
        {"period": "term", "term_start": "01/04/2026"},  # a plan has this date
        {"period": "term", "term_start": "05/13/2026"},
        {"period": "month"},
    ],
)
def test_a_bad_period_is_refused_and_changes_nothing(site_a, issued, data, monkeypatch):
    monkeypatch.setattr(documents, "today", lambda: datetime.date(2026, 6, 1))
    before = table_snapshot()
    answer = client_for(site_a.director).post(url(site_a, "outgoing_period"), data)
    assert answer.status_code == 400
    assert "is-invalid" in answer.content.decode()
    assert table_snapshot() == before


@pytest.mark.django_db
def test_only_the_director_sets_the_period_and_only_with_the_csrf_token(site_a, issued):
    before = table_snapshot()
    data = {"period": "term", "term_start": "02/04/2026"}
    assert (
        client_for(site_a.staff).post(url(site_a, "outgoing_period"), data).status_code
        == 403
    )
    forged = client_for(site_a.director, enforce_csrf_checks=True)
    assert forged.post(url(site_a, "outgoing_period"), data).status_code == 403
    assert table_snapshot() == before
    with scopes_disabled():
        assert OutgoingDocument.objects.filter(period__startswith="term").count() == 0


@pytest.mark.django_db
def test_the_administrator_sets_a_committees_period_through_the_same_checks(
    site_a, monkeypatch
):
    monkeypatch.setattr(documents, "today", lambda: datetime.date(2026, 6, 1))
    with scopes_disabled():
        committee = site_a.center.organization.parent
        issue_on = datetime.date(2026, 5, 20)
        documents.issue(
            committee,
            "BC",
            "report:x",
            subject="Báo cáo",
            issued_on=issue_on,
            signer_title="BÍ THƯ",
            signer_name="Trần Văn Bí",
            frozen=documents.Frozen({}, {}),
            render=lambda number, texts: documents.Rendered(b"%PDF", b"PK"),
            by=None,
        )
    admin = client_for(make_user(is_staff=True, is_superuser=True))
    change = reverse(
        "admin:trainingcenter_documentregister_change", args=[committee.pk]
    )
    refused = admin.post(change, {"period": "term", "term_start": "20/05/2026"})
    assert refused.status_code == 200 and "20/05/2026" in refused.content.decode()
    saved = admin.post(change, {"period": "term", "term_start": "21/05/2026"})
    assert saved.status_code == 302
    with scopes_disabled():
        register = DocumentRegister.objects.get(issuer=committee)
        assert (register.period, register.term_start) == (
            "term",
            datetime.date(2026, 5, 21),
        )


@pytest.mark.django_db
def test_a_bad_filter_makes_no_workbook(site_a, issued):
    response = client_for(site_a.staff).get(url(site_a, "outgoing_xlsx") + "?end=x")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_register_page_reads_as_many_rows_in_as_few_queries(site_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = client_for(site_a.staff)
    made = []

    def queries_with(count: int) -> int:
        with scopes_disabled():
            for _ in range(count):
                made.append(len(made) + 1)
                replaced = issue(
                    site_a.center,
                    "TB",
                    on=datetime.date(2026, 2, 2),
                    subject=f"Thông báo số {len(made)}",
                )
                OutgoingDocument.objects.filter(pk=replaced.pk).update(
                    replaces=OutgoingDocument.objects.first()
                )
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(url(site_a, "outgoing")).status_code == 200
        return len(captured)

    assert queries_with(3) == queries_with(30)
