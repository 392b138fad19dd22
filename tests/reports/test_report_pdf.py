"""The report PDF: the page's figures in a party document.

Figures are checked against the hand-worked fixture (conftest.py EXPECTED) as
they print: Vietnamese number formats, in the order of Biểu 1's columns. Words
that are msgids are looked up through gettext, so the tests hold before and
after the Vietnamese catalogue has them.
"""

import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from pypdf import PdfReader

from reports import counting, jobs as report_jobs, pdf as report_pdf, scope
from reports.models import ReportJob
from tests.artifacts import ARTIFACTS
from tests.factories import make_lecturer
from tests.reports.conftest import EXPECTED, committee_over
from trainingcenter.models import Center, Membership, Organization
from trainingcenter.percent import ungraded_shares
from trainingcenter.templatetags.vn import vn_document_date, vn_number, vn_percent

YEAR_2026 = {"kind": "year", "year": 2026}
BIEU1_COLUMNS = [
    "target_classes",
    "target_trainees",
    "classes",
    "enrolled",
    "plan_classes_share",
    "plan_trainees_share",
    "women",
    "minorities",
    "cluster_classes",
    "co_organized_classes",
    "completed",
    "passed",
    "certified",
    "excellent",
    "good",
    "average",
    "failed",
]


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def pdf_url(center) -> str:
    return reverse("reports:report_pdf", args=[center.slug])


def get_pdf(user, url, params=YEAR_2026):
    client = Client()
    client.force_login(user)
    return client.get(url, params)


def page_texts(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def orientations(content: bytes) -> list[str]:
    return [
        "landscape" if page.mediabox.width > page.mediabox.height else "portrait"
        for page in PdfReader(io.BytesIO(content)).pages
    ]


def bieu1_row(figures: dict) -> str:
    """A row of Biểu 1 as its cells print: counts, then % of plan, and so on;
    each grade with its share of the assessed (passes without a grade
    included) when any is graded."""
    grades = ("excellent", "good", "average", "failed")
    counts = {name: figures.get(name, 0) for name in grades}
    graded_passes = sum(counts.values()) - counts["failed"]
    graded = ungraded_shares(counts, figures.get("listed_passed", 0) - graded_passes)
    if not sum(counts.values()):
        graded = dict.fromkeys(grades)
    cells = []
    for name in BIEU1_COLUMNS:
        value = figures.get(name, 0)
        cell = vn_percent(value) if name.endswith("_share") else vn_number(value)
        if name in grades and graded[name] is not None:
            cell += f" ({vn_percent(graded[name])})"
        if name in ("women", "minorities") and figures.get("unlisted"):
            # Counted in the classes with a list only: marked, or not known.
            unknown = figures["unlisted"] == figures["enrolled"]
            cell = "chưa rõ" if unknown else f"{cell}*"
        cells.append(cell)
    return " ".join(cells)


def save_pages(content: bytes, name: str, dpi: int = 60) -> list[Path]:
    """The PDF and one PNG per page under test-artifacts/ (gitignored)."""
    if not shutil.which("pdftoppm"):
        return []
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    pdf = ARTIFACTS / f"{name}.pdf"
    pdf.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(ARTIFACTS / name)],
        check=True,
    )
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


@pytest.fixture
def signed_site(report_site):
    center = report_site.center
    center.director_name = "Võ Thị Ký"
    center.save()
    return report_site


@pytest.mark.django_db
def test_pdf_prints_the_hand_worked_figures_as_a_party_document(signed_site):
    response = get_pdf(signed_site.staff, pdf_url(signed_site.center))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert re.fullmatch(
        r'attachment; filename="bao-cao-[a-z0-9-]+-2026\.pdf"',
        response["Content-Disposition"],
    )
    pages = page_texts(response.content)
    text = " ".join(pages)
    # The party document's header, the document type, the signature block.
    today = timezone.localdate()
    for expected in (
        "ĐẢNG ỦY PHƯỜNG THỬ NGHIỆM TRUNG TÂM CHÍNH TRỊ *",
        "-BC/TTCT",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        f"Thử Nghiệm, {vn_document_date(today)}",
        "BÁO CÁO",
        "Nơi nhận:",
        "- Lưu.",
        "GIÁM ĐỐC",
        "Võ Thị Ký",
    ):
        assert expected in pages[0] + pages[1] + pages[2], expected
    assert vi("year %(year)s") % {"year": 2026} in pages[0]
    # The body: 4 classes for 37 enrolments, the 7 of the classes with a list
    # being 6 people; 60,0% and 25,0% of the plan, 35 more than 2025's 2
    # enrolments (+1.750,0%).
    total = EXPECTED["total"]
    assert re.search(r"\b4 lớp, 37 lượt học viên; 7 lượt\D+\b6 người", pages[0])
    for expected in ("60,0%", "25,0%", "1.750,0%", "66,7%", "97,1%", "50,0%"):
        assert expected in text, expected
    assert "Phòng Văn hóa – Xã hội" in pages[0]
    # Biểu 1 prints the same cells as the page, total and a programme row.
    assert bieu1_row(total) in text
    assert bieu1_row(EXPECTED["nhan-thuc-ve-dang"]) in text
    assert "2/3 (66,7%)" in text  # quality table: attendance
    for name, (sessions, periods) in EXPECTED["lecturers"].items():
        assert re.search(rf"{name}\D*\b{sessions} {periods}\b", text), name
    for name, enrolled, passed in EXPECTED["units"]:
        assert f"{name} {enrolled} {passed}" in text, name


@pytest.mark.django_db
def test_body_is_portrait_annex_tables_landscape_pages_numbered(signed_site):
    response = get_pdf(signed_site.director, pdf_url(signed_site.center))
    pages = page_texts(response.content)
    shape = orientations(response.content)
    signed = next(i for i, text in enumerate(pages) if "Võ Thị Ký" in text)
    bieu1 = next(i for i, t in enumerate(pages) if bieu1_row(EXPECTED["total"]) in t)
    bieu2 = next(i for i, text in enumerate(pages) if "Trần Văn Bình" in text)
    units = len(pages) - 1
    assert shape[: signed + 1] == ["portrait"] * (signed + 1)
    assert signed < bieu1 < bieu2 < units
    assert shape[bieu1 : bieu2 + 1] == ["landscape"] * (bieu2 - bieu1 + 1)
    assert shape[units] == "portrait" and "Chi bộ Khu phố 1 4 3" in pages[units]
    # 36-HD: the number at the top centre from page 2 on, none on page 1.
    assert pages[0].split()[-1] != "1"
    for number, text in enumerate(pages[1:], start=2):
        assert text.split()[-1] == str(number), number
    save_pages(response.content, "report-fixture")


@pytest.mark.django_db
def test_a_long_lecturer_list_repeats_its_header_and_splits_no_row(report_site):
    with scopes_disabled():
        for i in range(60):
            make_lecturer(
                report_site.center,
                full_name=f"Giảng Viên Số {i:02d}",
                qualifications=f"Q{i:02d}-start "
                + "Thạc sĩ Triết học; " * 6
                + f"Q{i:02d}-end",
            )
    response = get_pdf(report_site.staff, pdf_url(report_site.center))
    pages = page_texts(response.content)
    shape = orientations(response.content)
    with_rows = [i for i, text in enumerate(pages) if "Giảng Viên Số" in text]
    assert len(with_rows) >= 3
    header = vi("Full name")
    for i in with_rows:
        assert shape[i] == "landscape"
        assert header in pages[i], i
    for n in range(60):
        start = next(i for i, text in enumerate(pages) if f"Q{n:02d}-start" in text)
        assert f"Q{n:02d}-end" in pages[start], f"row {n} was split"


@pytest.mark.django_db
def test_pdf_fetches_nothing_and_prints_hostile_names_literally(
    report_site, tmp_path, monkeypatch
):
    """Names in the report are escaped, and WeasyPrint fetches nothing but
    the project's static files."""
    from trainingcenter import pdf

    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    hostile_unit = f'</td><link rel=attachment href="file://{secret}">'
    hostile_lecturer = '<img src="http://169.254.169.254/">Lê Độc'
    with scopes_disabled():
        Organization.objects.filter(name="Hội Phụ nữ phường").update(name=hostile_unit)
        make_lecturer(report_site.center, full_name=hostile_lecturer)
    fetcher = pdf._static_only_fetcher()
    monkeypatch.setattr(pdf, "_static_only_fetcher", lambda: fetcher)
    response = get_pdf(report_site.staff, pdf_url(report_site.center))
    assert response.status_code == 200
    assert b"SECRET-CONTENT" not in response.content
    reader = PdfReader(io.BytesIO(response.content))
    assert not reader.attachments
    # Not even asked for: the names reach WeasyPrint as text, not as markup.
    assert fetcher.refused == []
    text = " ".join(page_texts(response.content))
    assert "</td><link rel=attachment" in text
    assert '<img src="http://169.254.169.254/">Lê Độc' in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert all("Liberation-Serif" in font for font in fonts), fonts


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "director", "committee"])
def test_every_role_of_the_centre_downloads_it_another_centre_gets_404(
    report_site, site_b, role
):
    response = get_pdf(report_site.user(role), pdf_url(report_site.center))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert get_pdf(site_b.user(role), pdf_url(report_site.center)).status_code == 404


@pytest.mark.django_db
def test_a_bad_period_shows_the_page_with_its_message(report_site):
    response = get_pdf(
        report_site.staff,
        pdf_url(report_site.center),
        {"kind": "term", "from_year": 2026, "to_year": 2020},
    )
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    assert "is-invalid" in response.content.decode()


@pytest.mark.django_db
def test_organization_pdf_covers_its_subtree_for_its_committee_only(
    report_site, site_b
):
    province, committee = committee_over(report_site.center)
    url = reverse("org_report_pdf", args=[province.pk])
    response = get_pdf(committee, url)
    assert response.status_code == 200
    text = " ".join(page_texts(response.content))
    assert "TỈNH ỦY LÂM ĐỒNG" in text and "Tỉnh ủy Lâm Đồng" in text
    assert "-BC/TTCT" not in text and "-BC" in text
    assert bieu1_row(EXPECTED["total"]) in text  # site B's class stays out
    assert get_pdf(site_b.committee, url).status_code == 404
    assert get_pdf(report_site.staff, url).status_code == 404
    missing = reverse("org_report_pdf", args=[999999])
    assert get_pdf(committee, missing).status_code == 404


@pytest.mark.django_db
def test_a_long_report_is_laid_out_by_a_job_for_its_owner_only(
    report_site, site_b, settings, time_machine
):
    # Both PDFs carry today's date: keep them on one day even near midnight.
    time_machine.move_to(timezone.localtime().replace(hour=12), tick=True)
    inline = get_pdf(report_site.staff, pdf_url(report_site.center))
    settings.REPORT_PDF_INLINE_ROWS = 0
    client = Client()
    client.force_login(report_site.staff)
    started = time.perf_counter()
    response = client.get(pdf_url(report_site.center), YEAR_2026)
    with scopes_disabled():
        job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report_job", args=[job.pk])
    # The test backend runs the task at once; a worker would do the same.
    assert job.status == ReportJob.Status.DONE
    assert (job.steps_done, job.steps_total) == (3, 3)
    assert job.center == report_site.center and job.user == report_site.staff
    page = client.get(response["Location"])
    assert page.status_code == 200
    download = reverse("report_job_file", args=[job.pk])
    assert download in page.content.decode()
    assert "data-reload-after" not in page.content.decode()
    pdf = client.get(download)
    elapsed = time.perf_counter() - started
    assert pdf.status_code == 200
    assert pdf["Cache-Control"] == "no-store"
    assert pdf["Content-Disposition"] == inline["Content-Disposition"]
    assert page_texts(pdf.content) == page_texts(inline.content)
    assert job.pages == len(page_texts(pdf.content))
    print(f"job path: request to download {elapsed:.2f} s, {job.pages} pages")
    # Nobody else follows or downloads it, not even the centre's director.
    for other in (report_site.director, site_b.staff, site_b.director):
        client.force_login(other)
        assert client.get(response["Location"]).status_code == 404
        assert client.get(download).status_code == 404
    # Access is checked again: the owner who left the centre gets 404 too.
    client.force_login(report_site.staff)
    with scopes_disabled():
        Membership.objects.filter(user=report_site.staff).delete()
    assert client.get(response["Location"]).status_code == 404
    assert client.get(download).status_code == 404


@pytest.mark.django_db
def test_a_job_page_follows_progress_and_a_second_click_queues_nothing(
    report_site,
):
    target = scope.for_center(report_site.center)
    with scopes_disabled():
        job = ReportJob.objects.create(
            user=report_site.staff,
            center=report_site.center,
            period_start=counting.Period.year(2026).start,
            period_end=counting.Period.year(2026).end,
        )
        again = report_jobs.start_job(
            report_site.staff, target, counting.Period.year(2026)
        )
        assert again == job and ReportJob.objects.count() == 1
    client = Client()
    client.force_login(report_site.staff)
    page = client.get(reverse("report_job", args=[job.pk])).content.decode()
    assert 'data-reload-after="2"' in page and "<progress" in page
    assert reverse("report_job_file", args=[job.pk]) not in page
    # Before it is done the download leads back to the progress page.
    response = client.get(reverse("report_job_file", args=[job.pk]))
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_job_whose_user_lost_access_fails_without_a_file(report_site):
    with scopes_disabled():
        job = ReportJob.objects.create(
            user=report_site.staff,
            center=report_site.center,
            period_start=counting.Period.year(2026).start,
            period_end=counting.Period.year(2026).end,
        )
        Membership.objects.filter(user=report_site.staff).delete()
    report_jobs.run_job(job.pk)
    with scopes_disabled():
        job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.content is None and job.filename == ""


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_year_report_renders_to_page_images(capsys):
    """The demo centre's year (seed_demo) as page images in test-artifacts/."""
    call_command("seed_demo", password="mot-mat-khau-demo-dai")
    capsys.readouterr()
    today = timezone.localdate()
    with scopes_disabled():
        target = scope.for_center(Center.objects.get())
        started = time.perf_counter()
        report = report_pdf.build(target, counting.Period.year(today.year))
        counted = time.perf_counter()
        content = report_pdf.render(report, target, today=today)
        rendered = time.perf_counter()
    pages = page_texts(content)
    text = " ".join(pages)
    assert vn_number(report.total.enrolled) in pages[0]
    assert (
        bieu1_row(
            vars(report.total)
            | {
                "plan_classes_share": report.total.plan_classes_share,
                "plan_trainees_share": report.total.plan_trainees_share,
            }
        )
        in text
    )
    for lecturer in report.lecturers:
        assert lecturer.name in text
        # Biểu 2's "Chức vụ, đơn vị" is filled for every lecturer.
        assert lecturer.position and lecturer.position.split(", ")[0] in text
    for unit in report.units:
        assert unit.name in text
    shape = orientations(content)
    assert shape[0] == "portrait" and "landscape" in shape
    images = save_pages(content, "report-demo")
    assert not images or len(images) == len(pages)
    with capsys.disabled():
        print(
            f"\ndemo year {today.year}: {len(pages)} pages, counting "
            f"{counted - started:.2f} s, layout {rendered - counted:.2f} s, "
            f"{report_pdf.row_count(report)} table rows"
        )


def test_a_part_that_is_its_one_programme_is_not_named_twice():
    """ "c) Học tập, quán triệt nghị quyết: 1 lớp, 142 lượt học viên." without
    "(Học tập, quán triệt nghị quyết)" after it; another programme is named."""
    from types import SimpleNamespace

    from reports.pdf import _line
    from reports.tables import Figures

    figures = Figures(classes=1, enrolled=142)
    same = SimpleNamespace(name="Học tập, quán triệt nghị quyết", figures=figures)
    other = SimpleNamespace(name="Sơ cấp lý luận chính trị", figures=figures)
    with translation.override("vi"):
        assert _line("Học tập, quán triệt nghị quyết", figures, [same]) == (
            "Học tập, quán triệt nghị quyết: 1 lớp, 142 lượt học viên."
        )
        assert _line("Đào tạo", figures, [other]).endswith(
            "(Sơ cấp lý luận chính trị)."
        )
