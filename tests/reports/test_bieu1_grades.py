"""Biểu 1's grade columns give each grade's share of the graded beside its
count, one decimal rounded half up, the parts adding up to 100,0%: three
trainees graded giỏi, khá and trung bình read 33,4% + 33,3% + 33,3% (the
better grade takes the tenth left over), on the page, in the PDF, in the
Word file and in the Excel sheet."""

import datetime
import io
import re

import docx
import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from enrollment.models import Enrollment
from tests.factories import make_class, make_enrollment
from tests.reports.test_report_pdf import page_texts
from tests.reports.test_report_xlsx import row_of, vi

YEAR = {"kind": "year", "year": 2026}
GRADES = ["1 (33,4%)", "1 (33,3%)", "1 (33,3%)", "0 (0,0%)"]


@pytest.fixture
def graded_site(site_a):
    center = site_a.center
    center.director_name = "Nguyễn Văn Giám"
    center.save()
    with scopes_disabled():
        klass = make_class(
            center,
            start_date=datetime.date(2026, 4, 6),
            end_date=datetime.date(2026, 4, 10),
        )
        for score, grade in ((9, "Giỏi"), (7, "Khá"), (6, "Trung bình")):
            make_enrollment(
                klass, status=Enrollment.Status.COMPLETED, score=score, grade=grade
            )
    return site_a


def get(site, name: str):
    client = Client()
    client.force_login(site.director)
    response = client.get(reverse(f"reports:{name}", args=[site.center.slug]), YEAR)
    assert response.status_code == 200
    return response


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("( ", "(")


@pytest.mark.django_db
def test_the_page_gives_each_grade_its_share(graded_site):
    html = get(graded_site, "report").content.decode()
    table = html[
        html.index('class="table table-sm table-bordered report-table bieu1"') :
    ]
    total = table[table.index('<tr class="row-total">') :]
    total = words(total[: total.index("</tr>")])
    assert total.endswith(" ".join(GRADES)), total


@pytest.mark.django_db
def test_the_pdf_prints_each_grade_with_its_share(graded_site):
    text = " ".join(page_texts(get(graded_site, "report_pdf").content))
    bieu1 = text[text.index("TỔNG CỘNG") :]
    assert " ".join(GRADES) in bieu1[:200], bieu1[:200]


@pytest.mark.django_db
def test_the_word_table_holds_each_grade_with_its_share(graded_site):
    document = docx.Document(io.BytesIO(get(graded_site, "report_docx").content))
    bieu1 = next(t for t in document.tables if len(t.columns) == 2 + 17)
    total = [" ".join(cell.text.split()) for cell in bieu1.rows[-1].cells]
    assert total[-4:] == GRADES


@pytest.mark.django_db
def test_the_excel_sheet_has_a_share_column_after_each_grade(graded_site):
    content = get(graded_site, "report_xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Biểu 1"]
    total = row_of(sheet, 0, vi("TOTAL"))
    cells = total[15:23]
    assert [c.value for c in cells] == [1, 0.334, 1, 0.333, 1, 0.333, 0, 0.0]
    assert all(c.number_format == "0.0%" for c in cells[1::2])
    assert all(c.number_format == "#,##0" for c in cells[::2])
    assert round(sum(c.value for c in cells[1::2]), 3) == 1.0


@pytest.mark.django_db
def test_the_narrative_says_who_passed_without_a_grade(graded_site):
    """The grades' shares are taken over everyone assessed; the sentence
    naming them also names the passes without a grade, so its figures add up."""
    with scopes_disabled():
        klass = Enrollment.objects.first().training_class
        make_enrollment(klass, status=Enrollment.Status.COMPLETED, grade="")
    document = docx.Document(io.BytesIO(get(graded_site, "report_docx").content))
    text = " ".join(" ".join(p.text.split()) for p in document.paragraphs)
    assert "Trong 4 lượt học viên được đánh giá có 1 giỏi (25,0%)" in text
    assert (
        "Còn lại 1 lượt (25,0%) đạt ở các chương trình chỉ đánh giá đạt hoặc "
        "không đạt, không xếp loại." in text
    ), text[text.index("Trong 4") :][:400]
