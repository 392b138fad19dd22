"""The summons when the class asks each unit for a number of people: a unit
nobody of which is named yet gets a summons asking for its number and no
list; a unit with people named gets its list, and is asked for the rest when
fewer are named than asked; issuing for all units numbers them one after the
other. Read back from the PDF and the Word file as stored."""

import io
import zipfile

import pytest
from django_scopes import scopes_disabled

from courses.models import UnitQuota
from tests.enrollment.paperwork import (
    UNIT_A,
    UNIT_B,
    docx_text,
    make_paper_class,
    pdf_text,
)
from tests.enrollment.test_paperwork import download, issue
from tests.factories import make_class, make_organization, make_session
from tests.reports.test_report_pdf import save_pages
from trainingcenter.models import Organization, OutgoingDocument

UNIT_C = "Đảng ủy xã Xuân Lộc"


def quota(klass, unit, number):
    with scopes_disabled():
        UnitQuota.objects.create(training_class=klass, organization=unit, number=number)


def texts(site, klass, kind):
    """Each issued file of the kind's ZIP as text, PDF and Word alike."""
    archive = zipfile.ZipFile(io.BytesIO(download(site, klass, kind, "paper_zip")))
    for name in sorted(archive.namelist()):
        content = archive.read(name)
        yield name, pdf_text(content) if name.endswith(".pdf") else docx_text(content)


@pytest.mark.django_db
def test_a_unit_nobody_of_which_is_named_is_asked_for_its_number(site_a):
    site_a.center.director_name = "Võ Thị Ký"
    site_a.center.save()
    with scopes_disabled():
        klass = make_class(site_a.center, venue="Hội trường Trung tâm Chính trị")
        make_session(klass)
    unit = make_organization(name=UNIT_C, level=Organization.Level.COMMUNE)
    quota(klass, unit, 15)
    (summons,) = issue(site_a, klass, "summons")
    assert summons.number_text == "1-GTT/TTCT"
    files = list(texts(site_a, klass, "summons"))
    assert len(files) == 2  # its PDF and its Word file
    for name, text in files:
        assert "giay-trieu-tap-so-1-2026-dang-uy-xa-xuan-loc" in name
        assert f"Kính gửi: {UNIT_C}" in text
        assert f"đề nghị {UNIT_C} cử 15 đồng chí tham dự lớp học" in text
        assert "từ ngày 02/03/2026 đến ngày 06/03/2026" in text
        # No list, no empty table, no word of one.
        assert "Danh sách" not in text and "Họ và tên" not in text
        assert "STT" not in text and "{danh_sach}" not in text
        assert "cử thêm" not in text


@pytest.mark.django_db
def test_a_mixed_class_issues_one_summons_per_unit_numbered_one_after_the_other(
    site_a,
):
    with scopes_disabled():
        klass, units = make_paper_class(site_a.center)
    unit_c = make_organization(name=UNIT_C, level=Organization.Level.COMMUNE)
    quota(klass, units[UNIT_A], 5)  # 2 named of 5 asked
    quota(klass, units[UNIT_B], 1)  # 2 named of 1 asked: both called
    quota(klass, unit_c, 10)  # nobody named yet
    issued = issue(site_a, klass, "summons")
    # In the units' name order: Hòa Bình, Tân Phú, Xuân Lộc.
    assert [d.number_text for d in issued] == ["1-GTT/TTCT", "2-GTT/TTCT", "3-GTT/TTCT"]
    assert [d.fields["unit"] for d in issued] == [UNIT_B, UNIT_A, UNIT_C]
    files = list(texts(site_a, klass, "summons"))
    assert len(files) == 6
    for name, text in files:
        if f"Kính gửi: {UNIT_A}" in text:
            assert "cử 5 đồng chí tham dự lớp học" in text
            assert "Nguyễn Thị Hòa" in text and "Trần Văn Bình" in text
            assert "Lê Thị Cúc" not in text
            assert "Đề nghị đơn vị cử thêm 3 đồng chí" in text, name
            assert "trước ngày 02/03/2026" in text
        elif f"Kính gửi: {UNIT_B}" in text:
            assert "cử 2 đồng chí tham dự lớp học" in text  # never fewer than named
            assert "Lê Thị Cúc" in text and "Phạm Văn Dũng" in text
            assert "cử thêm" not in text
        else:
            assert f"Kính gửi: {UNIT_C}" in text
            assert "cử 10 đồng chí tham dự lớp học" in text
            assert "Họ và tên" not in text and "Nguyễn Thị Hòa" not in text
    merged = pdf_text(download(site_a, klass, "summons", "paper_pdf"))
    assert merged.count("GIẤY TRIỆU TẬP") == 3
    assert merged.index("Số 1-GTT/TTCT") < merged.index("Số 3-GTT/TTCT")
    # To look at: a list shorter than asked, and a unit asked for its number.
    save_pages(bytes(issued[1].pdf), "quota-summons-fewer-named", dpi=70)
    save_pages(bytes(issued[2].pdf), "quota-summons-number-only", dpi=70)
    # Issuing again makes nothing: every unit has its summons.
    assert len(issue(site_a, klass, "summons")) == 3


@pytest.mark.django_db
def test_the_plan_counts_the_numbers_called_and_sends_to_every_unit_called(site_a):
    with scopes_disabled():
        klass, units = make_paper_class(site_a.center)
    unit_c = make_organization(name=UNIT_C, level=Organization.Level.COMMUNE)
    quota(klass, units[UNIT_A], 5)
    quota(klass, unit_c, 10)
    issue(site_a, klass, "plan")
    for text in (
        pdf_text(download(site_a, klass, "plan", "paper_pdf")),
        docx_text(download(site_a, klass, "plan", "paper_docx")),
    ):
        # Tân Phú 5 asked, Hòa Bình its 2 named, Xuân Lộc 10 asked.
        assert "tổng số 17 đồng chí" in text
        assert f"- {UNIT_C}," in text and f"- {UNIT_B}," in text
        # The timetable is annex I, the numbers per unit annex II.
        assert "PHỤ LỤC I " in text and "LỊCH HỌC" in text
        assert "PHỤ LỤC II" in text and "PHÂN BỔ SỐ LƯỢNG TRIỆU TẬP" in text
        annex = text[text.index("PHÂN BỔ SỐ LƯỢNG TRIỆU TẬP") :]
        for row in (f"1 {UNIT_B} 2", f"2 {UNIT_A} 5", f"3 {UNIT_C} 10"):
            assert row in annex, row
        assert "Tổng cộng 17" in annex
    with scopes_disabled():
        (plan,) = OutgoingDocument.objects.filter(key__endswith=":plan")
    save_pages(bytes(plan.pdf), "quota-plan", dpi=70)


@pytest.mark.django_db
def test_without_numbers_called_the_plan_has_its_timetable_only(site_a):
    with scopes_disabled():
        klass, _units = make_paper_class(site_a.center)
    issue(site_a, klass, "plan")
    text = pdf_text(download(site_a, klass, "plan", "paper_pdf"))
    assert "tổng số 4 đồng chí" in text  # those enrolled, the withdrawn left out
    assert "PHÂN BỔ" not in text and "PHỤ LỤC I" not in text
