"""Term reviews: a period of several years has a table with a column per
year and the total, for Biểu 1's parts, blocks and programmes, on the page,
in the PDF and in the workbook."""

import datetime
import io

import lxml.html
import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from courses.models import ClassType, TrainingClass
from enrollment.services import summaries
from reports import counting, scope
from reports.exports.report import YEARS_SHEET

TERM = {"kind": "term", "from_year": 2016, "to_year": 2018}
# (programme, year, declared trainees, counted in the plan)
CLASSES = [
    ("nhan-thuc-ve-dang", 2016, 80, True),
    ("nhan-thuc-ve-dang", 2016, 70, True),
    ("nhan-thuc-ve-dang", 2018, 90, True),
    ("dang-vien-moi", 2017, 60, True),
    ("mat-tran-doan-the", 2017, 120, True),
    ("trung-cap-llct", 2018, 55, True),
    ("chinh-tri-he", 2018, 300, False),
]


@pytest.fixture
def term_site(site_a):
    call_command("loaddata", "class_types", verbosity=0)
    with scopes_disabled():
        ids = []
        for code, year, trainees, in_plan in CLASSES:
            programme = ClassType.objects.get(code=code)
            ids.append(
                TrainingClass.objects.create(
                    center=site_a.center,
                    class_type=programme,
                    start_date=datetime.date(year, 4, 1),
                    end_date=datetime.date(year, 4, 5),
                    assessment=programme.assessment,
                    award=programme.award,
                    historic=True,
                    declared_enrolled=trainees,
                    counted_in_plan=in_plan,
                ).pk
            )
        summaries.refresh(ids)
    return site_a


def get(site, name):
    client = Client()
    client.force_login(site.staff)
    return client.get(reverse(f"reports:{name}", args=[site.center.slug]), TERM)


@pytest.mark.django_db
def test_the_table_has_a_column_per_year_and_the_total(term_site):
    with scopes_disabled():
        target = scope.for_center(term_site.center)
        report = counting.build_report(
            target.centers,
            counting.Period(datetime.date(2016, 1, 1), datetime.date(2018, 12, 31)),
            scope_label=target.label,
            issuer=target.issuer,
        )
        one_year = counting.build_report(
            target.centers,
            counting.Period.year(2018),
            scope_label=target.label,
            issuer=target.issuer,
        )
    assert one_year.years is None
    assert report.years.years == [2016, 2017, 2018]
    rows = {row.label: row.cells for row in report.years.rows}
    awareness = next(v for k, v in rows.items() if k.endswith("nhận thức về Đảng"))
    assert awareness == [(2, 150), (0, 0), (1, 90), (3, 240)]
    assert rows["A. Khối Đảng"] == [(2, 150), (1, 60), (1, 90), (4, 300)]
    assert rows["B. Khối Đoàn thể"] == [(0, 0), (1, 120), (0, 0), (1, 120)]
    total = report.years.rows[-1]
    assert total.level == "total"
    assert total.cells == [(2, 150), (2, 180), (3, 445), (7, 775)]


@pytest.mark.django_db
def test_page_pdf_and_workbook_carry_it(term_site):
    page = lxml.html.fromstring(get(term_site, "report").content.decode())
    table = page.get_element_by_id("by-year")
    header = [" ".join(th.text_content().split()) for th in table.xpath(".//th")[:5]]
    assert header[1:4] == ["2016", "2017", "2018"]
    last = [" ".join(c.text_content().split()) for c in table.xpath(".//tr")[-1]]
    assert last[1:] == ["2 / 150", "2 / 180", "3 / 445", "7 / 775"]

    reader = PdfReader(io.BytesIO(get(term_site, "report_pdf").content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "2 / 150 2 / 180 3 / 445 7 / 775" in text

    response = get(term_site, "report_xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))[YEARS_SHEET]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[-1][1:] == [2, 150, 2, 180, 3, 445, 7, 775]
