"""The report as a Word file: read back with python-docx, and converted to
PDF by LibreOffice (Debian's package) to look at its pages.

Without LibreOffice the conversion is a visible skip naming the fix; with
CI=true it fails instead (scripts/prereqs.sh installs it).
"""

import datetime
import io
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from docx.enum.section import WD_ORIENT

from reports import counting, pdf as report_pdf, scope, word
from tests.factories import make_user
from tests.reports.conftest import committee_over
from tests.reports.test_report_pdf import (
    BIEU1_COLUMNS,
    bieu1_row,
    orientations,
    page_texts,
    save_pages,
)
from trainingcenter.models import Center, Membership
from trainingcenter.templatetags.vn import vn_number, vn_percent

FIX = "sudo apt-get install -y libreoffice-writer-nogui"
TEXTS = {
    "strengths": "Các lớp mở đúng kế hoạch, đúng đối tượng.",
    "limitations": "Một số lớp chưa nhập kết quả học tập kịp thời.",
    "directions": "Mở đủ các lớp theo kế hoạch năm tới.",
    "proposals": "Đề nghị Đảng ủy bố trí thêm kinh phí bồi dưỡng giảng viên.",
    "note1": "Trung tâm đã chủ động phối hợp với các đơn vị để mở lớp.",
}


def read(content: bytes):
    return docx.Document(io.BytesIO(content))


def totals_of(report) -> dict:
    return vars(report.total) | {
        "plan_classes_share": report.total.plan_classes_share,
        "plan_trainees_share": report.total.plan_trainees_share,
        "unlisted": report.total.unlisted,
    }


@pytest.mark.django_db
def test_the_word_file_reads_back_as_the_report(report_site):
    with scopes_disabled():
        target = scope.for_center(Center.objects.get(pk=report_site.center.pk))
        report = report_pdf.build(target, counting.Period.year(2026))
    today = datetime.date(2026, 12, 20)
    content = word.render(report, target, today=today, texts=TEXTS, number="7-BC/TTCT")
    document = read(content)
    left, right = document.tables[0].rows[0].cells
    assert "TRUNG TÂM CHÍNH TRỊ" in left.text and "Số 7-BC/TTCT" in left.text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in right.text
    assert "ngày 20 tháng 12 năm 2026" in right.text
    text = [p.text for p in document.paragraphs]
    for line in (
        "BÁO CÁO",
        "Kết quả công tác giáo dục lý luận chính trị năm 2026",
        "I. KẾT QUẢ THỰC HIỆN",
        TEXTS["note1"],
        "II. ĐÁNH GIÁ CHUNG",
        "1. Ưu điểm",
        TEXTS["strengths"],
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT",
        TEXTS["proposals"],
    ):
        assert line in text, line
    assert text.index("I. KẾT QUẢ THỰC HIỆN") < text.index("II. ĐÁNH GIÁ CHUNG")
    # The signature block and Nơi nhận.
    closing = next(t for t in document.tables if "Nơi nhận" in t.cell(0, 0).text)
    assert report.issuer.signer_title.upper() in closing.cell(0, 1).text
    # Party-document page: Times New Roman, A4 portrait, 36-HD margins.
    assert document.styles["Normal"].font.name == "Times New Roman"
    first = document.sections[0]
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert (round(first.left_margin.mm), round(first.right_margin.mm)) == (30, 15)
    assert round(first.top_margin.mm) == 20 and round(first.page_width.mm) == 210
    assert WD_ORIENT.LANDSCAPE in [s.orientation for s in document.sections[1:]]
    # Biểu 1 as a real table: its total row prints the PDF's figures.
    bieu1 = next(t for t in document.tables if len(t.columns) == 2 + 17)
    total = [cell.text for cell in bieu1.rows[-1].cells]
    assert " ".join(total[2:]) == bieu1_row(totals_of(report))
    assert (
        vn_number(report.total.enrolled) == total[2 + BIEU1_COLUMNS.index("enrolled")]
    )
    assert any(
        r.name in c.text
        for r in report.lecturers
        for t in document.tables
        for row in t.rows
        for c in row.cells
    )


def libreoffice() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found:
        return found
    if os.environ.get("CI") in ("true", "1"):
        pytest.fail(f"LibreOffice is missing (CI=true). Fix: {FIX}")
    pytest.skip(reason=f"LibreOffice is missing. Fix: {FIX}")


def to_pdf(content: bytes, folder: Path) -> bytes:
    """The Word file as LibreOffice lays it out (its own profile, no network)."""
    source = folder / "report.docx"
    source.write_bytes(content)
    subprocess.run(
        [
            libreoffice(),
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return (folder / "report.pdf").read_bytes()


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_year_as_issued_pdf_and_word_pages(tmp_path, capsys):
    """The demo centre's year with a director's text and a number: the PDF
    and the Word file (laid out by LibreOffice) as page images in
    test-artifacts/, to look at."""
    office = libreoffice()
    call_command("seed_demo", password="mot-mat-khau-demo-dai")
    capsys.readouterr()
    today = timezone.localdate()
    with scopes_disabled():
        target = scope.for_center(Center.objects.get())
        report = report_pdf.build(target, counting.Period.year(today.year))
        printed = report_pdf.render(
            report, target, today=today, texts=TEXTS, number="12-BC/TTCT"
        )
        content = word.render(
            report, target, today=today, texts=TEXTS, number="12-BC/TTCT"
        )
    assert office
    laid_out = to_pdf(content, tmp_path)
    pages = page_texts(laid_out)
    text = " ".join(pages)
    assert "Số 12-BC/TTCT" in pages[0] and "BÁO CÁO" in pages[0]
    assert vn_number(report.total.enrolled) in text
    assert "II. ĐÁNH GIÁ CHUNG" in text and TEXTS["proposals"] in text
    for lecturer in report.lecturers:
        assert lecturer.name in text
    # The charts, drawn by LibreOffice from the figures in the file: each
    # year's enrolments printed on its bar as in the caption, with the dot.
    assert all(f"Hình {n}." in text for n in (1, 2, 3))
    for _year, _classes, enrolled in report.by_year:
        assert text.count(vn_number(enrolled)) >= 2, enrolled
    shape = orientations(laid_out)
    assert shape[0] == "portrait" and "landscape" in shape
    # Biểu 1's columns are as wide as their figures: each grade of the total
    # row whole on one line (equal columns broke "171 (6,6%)" in two).
    bieu1 = text[text.index("Biểu 1 –") : text.index("Kết quả học tập và chuyên cần")]
    total = report.total
    for name in ("excellent", "good", "average", "failed"):
        count, part = getattr(total, name), total.grade_share(name)
        assert f"{vn_number(count)} ({vn_percent(part)})" in bieu1, name
    save_pages(printed, "issued-report-demo", dpi=70)
    save_pages(laid_out, "word-report-demo", dpi=70)
    (save_pages.__globals__["ARTIFACTS"] / "word-report-demo.docx").write_bytes(content)


@pytest.mark.django_db
def test_a_committee_downloads_its_organization_report_in_word(report_site, site_b):
    province, committee = committee_over(report_site.center)
    with scopes_disabled():
        outsider = make_user()
        Membership.objects.create(
            user=outsider,
            role=Membership.Role.COMMITTEE,
            organization=site_b.center.organization,
        )
    client = Client()
    client.force_login(committee)
    url = reverse("org_report_docx", args=[province.pk])
    response = client.get(url, {"kind": "year", "year": 2026})
    assert response.status_code == 200
    assert response["Content-Type"] == word.DOCX
    text = [p.text for p in read(response.content).paragraphs]
    subject = next(line for line in text if line.startswith("Kết quả công tác"))
    assert subject.splitlines() == [
        "Kết quả công tác giáo dục lý luận chính trị năm 2026",
        "tại 1 trung tâm thuộc Tỉnh ủy Lâm Đồng",
    ]
    client.force_login(outsider)
    assert client.get(url, {"kind": "year", "year": 2026}).status_code == 404
