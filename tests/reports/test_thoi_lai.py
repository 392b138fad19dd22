"""A district centre's year as its own report tells it (Thới Lai, 2017).

In the plan: the party block 19 classes for 1.394 trainees, the state block
6 for 604, the mass-organisation block 8 for 1.040, 33 classes in all, the
whole plan. Apart, outside the plan: 8 summer classes co-organised with the
education office, where 1.546 of the 1.607 teachers called attended
(96,2%). Recorded as classes from before the system (declared numbers), the
report must read exactly so on the page, in the PDF and in the workbook.
"""

import datetime
import io
import re

import docx
import lxml.html
import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from pypdf import PdfReader

from courses.models import ClassType, CoOrganizer, PlanTotal, TrainingClass
from enrollment.services import summaries
from tests.factories import make_organization
from tests.reports.test_report_pdf import save_pages
from trainingcenter.templatetags.vn import vn_number

YEAR = {"kind": "year", "year": 2017}
# Programme code -> the declared trainees of each of its classes.
IN_PLAN = {
    "nhan-thuc-ve-dang": [75] * 7,
    "dang-vien-moi": [70] * 6,
    "bi-thu-chi-bo": [72, 72, 72],
    "nghiep-vu-cong-tac-dang": [72, 72, 89],  # Khối Đảng: 19 classes, 1.394
    "quoc-phong-an-ninh": [100, 100, 104],
    "quan-ly-nha-nuoc": [100, 100, 100],  # Khối Chính quyền: 6 classes, 604
    "mat-tran-doan-the": [130] * 8,  # Khối Đoàn thể: 8 classes, 1.040
}
# The summer classes: (called, attended) of each.
SUMMER = [(200, 193)] * 7 + [(207, 195)]  # 1.607 called, 1.546 attended
BLOCKS = [("Khối Đảng", 19, 1394), ("Khối Chính quyền", 6, 604)]
BLOCKS += [("Khối Đoàn thể", 8, 1040)]


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def _class(center, code, day, **fields):
    programme = ClassType.objects.get(code=code)
    return TrainingClass.objects.create(
        center=center,
        class_type=programme,
        start_date=datetime.date(2017, 3, 1) + datetime.timedelta(days=day),
        end_date=datetime.date(2017, 3, 3) + datetime.timedelta(days=day),
        assessment=programme.assessment,
        award=programme.award,
        historic=True,
        **fields,
    )


def record_year(center) -> None:
    """Thới Lai's 2017 as classes from before the system, and its plan."""
    call_command("loaddata", "class_types", verbosity=0)
    office = make_organization(name="Phòng Giáo dục và Đào tạo huyện Thới Lai")
    with scopes_disabled():
        ids, day = [], 0
        for code, trainees in IN_PLAN.items():
            for n in trainees:
                day += 3
                ids.append(_class(center, code, day, declared_enrolled=n).pk)
        for called, attended in SUMMER:
            day += 3
            summer = _class(
                center,
                "chinh-tri-he",
                day,
                counted_in_plan=False,
                declared_called=called,
                declared_attended=attended,
                declared_enrolled=attended,
            )
            CoOrganizer.objects.create(
                training_class=summer, organization=office, role="partner"
            )
            ids.append(summer.pk)
        summaries.refresh(ids)
        # "hoàn thành 100% chỉ tiêu": the plan states the centre's total only.
        PlanTotal.objects.create(center=center, year=2017, target_classes=33)


@pytest.fixture
def thoi_lai(site_a):
    record_year(site_a.center)
    return site_a


def get(site, name):
    client = Client()
    client.force_login(site.staff)
    return client.get(reverse(f"reports:{name}", args=[site.center.slug]), YEAR)


def cells(row) -> list[str]:
    return [" ".join(c.text_content().split()) for c in row.xpath("./th|./td")]


@pytest.mark.django_db
def test_the_page_reads_as_the_centre_reports(thoi_lai):
    page = lxml.html.fromstring(get(thoi_lai, "report").content.decode())
    bieu1 = page.xpath("//table[contains(@class,'bieu1')]")[0]
    rows = {cells(r)[0]: cells(r) for r in bieu1.xpath(".//tr")}
    for block, classes, enrolled in BLOCKS:
        label = next(k for k in rows if k.endswith(block))
        # Plan (none per block), then the actual classes and enrolments.
        assert rows[label][3:5] == [str(classes), vn_number(enrolled)]
    refresher = rows[vi("II. REFRESHER COURSES")]
    assert refresher[3:5] == ["33", "3.038"]
    outside = rows[vi("IV. CLASSES OUTSIDE THE PLAN")]
    # 8 classes, 1.546 enrolments, all 8 co-organised.
    assert outside[3:5] == ["8", "1.546"] and outside[10] == "8"
    table = page.get_element_by_id("outside-plan")
    total = cells(table.xpath(".//tr[contains(@class,'row-total')]")[0])
    assert total[1:6] == ["8", "1.546", "1.607", "1.546", "96,2%"]
    summer = cells(table.xpath(".//tbody/tr")[0])
    assert summer[-1] == "Phòng Giáo dục và Đào tạo huyện Thới Lai"
    # The chart draws the same blocks and says what it counts.
    chart = page.xpath("//figure/figcaption")[1].text_content()
    assert "Khối Đảng: 1.394; Khối Chính quyền: 604; Khối Đoàn thể: 1.040" in chart


@pytest.mark.django_db
def test_the_pdf_reads_as_the_centre_reports(thoi_lai):
    response = get(thoi_lai, "report_pdf")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    # The body: 33 classes in the plan, 100% of it, exactly as planned; the
    # summer classes apart with their attendance.
    assert "mở 33 lớp trong kế hoạch với 3.038 lượt học viên" in text
    assert "đạt 100,0% kế hoạch về số lớp; đúng kế hoạch" in text
    assert "Ngoài kế hoạch, mở 8 lớp với 1.546 lượt học viên" in text
    assert "1.546/1.607 người được triệu tập tham dự, đạt 96,2%" in text
    assert "Phòng Giáo dục và Đào tạo huyện Thới Lai" in text
    # Nothing recorded for 2016: said as a sentence.
    assert "Kỳ trước (năm 2016) không có lớp nào để so sánh." in text
    for block, classes, enrolled in BLOCKS:
        figures = f"{classes} lớp, {vn_number(enrolled)} lượt học viên"
        assert f"{block}: {figures}" in text, block
    # Biểu 1's outside-the-plan table, total row.
    assert re.search(r"8 1\.546 1\.607 1\.546 96,2%", text)
    images = save_pages(response.content, "report-thoi-lai-2017")
    assert not images or len(images) == len(reader.pages)


@pytest.mark.django_db
def test_the_workbook_reads_as_the_centre_reports(thoi_lai):
    book = openpyxl.load_workbook(io.BytesIO(get(thoi_lai, "report_xlsx").content))
    sheet = book["Biểu 1"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    for block, classes, enrolled in BLOCKS:
        row = next(r for r in rows if str(r[0]).endswith(block))
        assert (row[4], row[5]) == (classes, enrolled)
    refresher = next(r for r in rows if r[0] == vi("II. REFRESHER COURSES"))
    assert (refresher[4], refresher[5]) == (33, 3038)
    outside = next(r for r in rows if r[0] == vi("IV. CLASSES OUTSIDE THE PLAN"))
    assert (outside[4], outside[5], outside[11]) == (8, 1546, 8)
    total = [r for r in rows if r[1] == vi("TOTAL")][-1]
    assert total[2:6] == [8, 1546, 1607, 1546]
    assert float(total[6]) == pytest.approx(0.962)


@pytest.mark.django_db
def test_queries_do_not_grow_with_classes_outside_the_plan(thoi_lai):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports import counting, scope

    target = scope.for_center(thoi_lai.center)
    term = counting.Period(datetime.date(2016, 1, 1), datetime.date(2017, 12, 31))

    def build():
        with CaptureQueriesContext(connection) as queries:
            counting.build_report(
                target.centers, term, scope_label="", issuer=target.issuer
            )
        return len(queries)

    with scopes_disabled():
        before = build()
        office = make_organization(name="Huyện đoàn Thới Lai")
        ids = []
        for day in range(10):
            extra = _class(
                thoi_lai.center,
                "nhan-thuc-ve-dang",
                200 + day,
                counted_in_plan=day % 2 == 0,
                declared_called=50,
                declared_attended=45,
                co_organizer_names="Hội Nông dân huyện" if day % 3 else "",
            )
            CoOrganizer.objects.create(
                training_class=extra, organization=office, role="partner"
            )
            ids.append(extra.pk)
        summaries.refresh(ids)
        assert build() == before


@pytest.mark.django_db
def test_the_word_file_reads_as_the_centre_reports(thoi_lai):
    response = get(thoi_lai, "report_docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = " ".join(" ".join(p.text.split()) for p in document.paragraphs)
    assert "mở 33 lớp trong kế hoạch với 3.038 lượt học viên" in text
    assert "Ngoài kế hoạch, mở 8 lớp với 1.546 lượt học viên" in text
    assert "1.546/1.607 người được triệu tập tham dự, đạt 96,2%" in text
    for block, classes, enrolled in BLOCKS:
        figures = f"{classes} lớp, {vn_number(enrolled)} lượt học viên"
        assert f"{block}: {figures}" in text, block
    rows = [
        [" ".join(cell.text.split()) for cell in row.cells]
        for table in document.tables
        for row in table.rows
    ]
    # Biểu 1's outside-the-plan table, its total row, as a real Word table.
    assert any(row[1:6] == ["8", "1.546", "1.607", "1.546", "96,2%"] for row in rows), [
        row for row in rows if "96,2%" in row
    ]
