"""Each kind of class paper as it prints: the PDF, and the Word file as
LibreOffice lays it out, saved page by page under test-artifacts/ to look
at; both read back with the number, the heading and the signer."""

import datetime
import io

import pytest
from django_scopes import scopes_disabled
from pypdf import PdfReader

from enrollment.paperwork import issuing
from enrollment.paperwork.wording import KINDS
from tests.enrollment.paperwork import make_paper_class, pdf_text
from tests.reports.test_report_docx import libreoffice, to_pdf
from tests.reports.test_report_pdf import ARTIFACTS, save_pages

EXPECTED = {
    "plan": ("KẾ HOẠCH", "Số 1-KH/TTCT", "LỊCH HỌC"),
    "opening": ("QUYẾT ĐỊNH", "Số 1-QĐ/TTCT", "LỊCH HỌC"),
    "summons": ("GIẤY TRIỆU TẬP", "Số 1-GTT/TTCT", "Kính gửi"),
    "results": ("QUYẾT ĐỊNH", "Số 2-QĐ/TTCT", "DANH SÁCH HỌC VIÊN"),
    "notice": ("THÔNG BÁO", "Số 1-TB/TTCT", "Kính gửi"),
}


@pytest.mark.django_db
def test_each_kind_as_pdf_and_as_word_laid_out_by_libreoffice(site_a, tmp_path):
    office = libreoffice()
    with scopes_disabled():
        klass, _units = make_paper_class(site_a.center)
        for code, (heading, number, part) in EXPECTED.items():
            if code == "opening":  # a class is opened by a plan or a decision
                klass, _units = make_paper_class(site_a.center)
            made = issuing.issue(
                klass,
                KINDS[code],
                today=datetime.date(2026, 3, 12),
                by=site_a.director,
            )
            document = made[0]
            folder = tmp_path / code
            folder.mkdir()
            laid_out = to_pdf(bytes(document.docx), folder)
            for content in (bytes(document.pdf), laid_out):
                text = pdf_text(content)
                assert heading in text and number in text and part in text, code
                assert "Võ Thị Ký" in text and "Nơi nhận" in text, code
            # Word laid out as printed: the date on one line, the rule under
            # the subject a line (not dashes), "STT" not broken in two.
            lines = [
                line
                for page in PdfReader(io.BytesIO(laid_out)).pages
                for line in (page.extract_text() or "").splitlines()
            ]
            assert any("ngày 12 tháng 3 năm 2026" in line for line in lines), code
            assert not any("---" in line for line in lines), code
            if code == "results":
                assert any(line.split()[:1] == ["STT"] for line in lines if line)
            save_pages(bytes(document.pdf), f"paper-{code}", dpi=70)
            save_pages(laid_out, f"word-paper-{code}", dpi=70)
            (ARTIFACTS / f"word-paper-{code}.docx").write_bytes(bytes(document.docx))
    assert office
