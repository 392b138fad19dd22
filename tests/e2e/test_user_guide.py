"""The pages of the Vietnamese user guide (docs/huong-dan-su-dung.md), in Chromium.

The demo centre of `make run` is seeded with a known password; staff, the
director and a committee member then go through what the guide describes.
Each page's key Vietnamese text is asserted, so the test fails when a page the
guide shows changes. Screenshots go to test-artifacts/guide/ on every run and,
with UPDATE_GUIDE_SCREENSHOTS=1, to docs/img/ for the guide to embed.
"""

import datetime
import io
import os
import re
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from courses.models import TrainingClass
from enrollment.models import Certificate, Trainee
from tests.e2e.conftest import ARTIFACTS
from tests.enrollment.excel import person, workbook

PASSWORD = "một câu mật khẩu thật dài cho hướng dẫn"
GUIDE_ARTIFACTS = ARTIFACTS / "guide"
DOCS_IMG = settings.BASE_DIR / "docs" / "img"
PROGRAMME = "Bồi dưỡng kiến thức quốc phòng và an ninh cho đối tượng 4"
NEW_PEOPLE = ["Hoàng Thị Diệp", "Đinh Văn Sơn", "Ka Hồng"]


@pytest.fixture
def demo(db):
    call_command("seed_demo", password=PASSWORD, force=True, stdout=io.StringIO())


@pytest.fixture
def shot(page):
    GUIDE_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    publish = os.environ.get("UPDATE_GUIDE_SCREENSHOTS") == "1"

    def take(name: str, target=None):
        path = GUIDE_ARTIFACTS / f"{name}.png"
        (target or page).screenshot(path=str(path))  # the 1280×800 viewport
        if publish:
            DOCS_IMG.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS_IMG / path.name)
        return path

    return take


def log_in(page, base, username):
    page.goto(f"{base}/")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/c/da-lat/")


def expect_text(page, *texts):
    """Each text on the page, waited for: after a click the new page may be
    still arriving (a long form under load), and reading it at once would
    read half of it."""
    main = page.locator("main")
    for text in texts:
        expect(main).to_contain_text(text)


@pytest.mark.django_db(transaction=True)
def test_the_guide_walked_by_the_committee_the_director_and_staff(
    live_server, demo, page, shot, tmp_path
):
    """One demo for the three walks (seeding it is the slow part). The two
    that only read go first, on the demo as `make run` leaves it; then staff
    run a class and the director issues its certificates."""
    base = live_server.url
    _committee_reads_the_centres_and_the_rollups(page, base, shot)
    _log_out(page)
    _director_reads_the_report_plan_and_feedback(page, base, shot)
    _log_out(page)
    _staff_run_a_class_and_the_director_issues_certificates(page, base, shot, tmp_path)


def _log_out(page):
    page.locator("#account-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()


def _staff_run_a_class_and_the_director_issues_certificates(page, base, shot, tmp_path):
    page.goto(f"{base}/")
    expect_text(page, "Tên đăng nhập", "Mật khẩu")
    shot("01-dang-nhap")
    log_in(page, base, "staff")
    expect_text(page, "Trung tâm Chính trị Đà Lạt", "Số lớp đã mở", "Lượt học viên")
    expect_text(page, "Kết quả chưa nhập", "Lớp đang học và sắp mở")
    shot("02-tong-quan")

    class_url = _open_a_class(page, shot)
    _enrol(page, shot, tmp_path)
    _attendance_results_and_closing(page, shot, class_url)
    _log_out(page)

    log_in(page, base, "director")
    _issue_certificates(page, shot, class_url)


def _open_a_class(page, shot) -> str:
    page.get_by_role("link", name="Lớp học", exact=True).click()
    expect_text(page, "Nhập lớp đã mở từ Excel", "Chương trình", "Trạng thái")
    shot("03-danh-sach-lop")
    page.get_by_role("link", name="Mở lớp").first.click()
    expect_text(page, "Mở lớp: chọn chương trình")
    shot("04-chon-chuong-trinh")
    page.get_by_role("link", name=re.compile(f"^{PROGRAMME}")).click()
    start = timezone.localdate() - datetime.timedelta(days=3)
    page.fill("input[name=intake_label]", "khóa 4")
    page.fill("input[name=start_date]", f"{start:%d/%m/%Y}")
    page.fill("input[name=end_date]", f"{start + datetime.timedelta(days=1):%d/%m/%Y}")
    page.fill("input[name=venue]", "Hội trường Trung tâm Chính trị Đà Lạt")
    expect_text(page, "Đơn vị phối hợp")
    shot("05-mo-lop")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_selector("text=Đã mở lớp.")
    class_url = page.url
    for part, topic in (("1", "Chuyên đề 1"), ("2", "Chuyên đề 2")):
        page.get_by_role("link", name="Thêm buổi học").click()
        page.fill("input[name=date]", f"{start:%d/%m/%Y}")
        page.select_option("select[name=part]", part)
        page.fill("input[name=topic]", topic)
        page.select_option("select[name=lecturer]", label="Lê Hoàng Long")
        if part == "1":
            shot("06-them-buoi-hoc")
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_selector("text=Đã thêm buổi học.")
    return class_url


def _enrol(page, shot, tmp_path):
    with scopes_disabled():
        someone = (
            Trainee.objects.filter(enrollments__isnull=True, ethnicity="Kinh")
            .order_by("sort_key")
            .first()
            or Trainee.objects.order_by("sort_key").first()
        )
    page.get_by_role("link", name="Ghi danh học viên").click()
    page.locator("#q").press_sequentially(someone.name_key, delay=20)
    page.wait_for_selector(f"label:has-text('{someone.full_name}')")
    page.get_by_label(someone.full_name).first.check()
    expect_text(page, "Thêm người mới", "Những người đã đánh dấu vẫn được giữ")
    shot("07-ghi-danh")
    page.get_by_role("button", name="Ghi danh những người đã chọn").click()
    page.wait_for_selector("text=Đã ghi danh 1 học viên.")

    rows = [
        person(
            i,
            name,
            f"1{i}/0{i}/199{i}",
            "Nữ" if "Thị" in name else "Nam",
            unit="Chi bộ Tổ dân phố 1",
        )
        for i, name in enumerate(NEW_PEOPLE, start=1)
    ]
    listing = tmp_path / "danh-sach-trich-ngang.xlsx"
    listing.write_bytes(workbook(rows))
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.set_input_files("input[type=file]", str(listing))
    expect_text(page, "Nhập danh sách từ Excel", "Tải mẫu danh sách (.xlsx)")
    shot("08-nhap-excel")
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_selector("text=Kiểm tra danh sách")
    expect_text(page, "Người mới: 3", "Mọi dòng đều hợp lệ")
    shot("09-kiem-tra-danh-sach")
    page.get_by_role("button", name="Xác nhận nhập danh sách").click()
    expect_text(page, "Số người mới thêm vào danh sách học viên: 3.")
    shot("09b-xac-nhan-nhap")
    page.get_by_role("button", name="Ghi danh 3 người").click()
    page.wait_for_selector("text=Đã ghi danh 3 người mới")


def _attendance_results_and_closing(page, shot, class_url):
    page.get_by_role("link", name="Điểm danh").first.click()
    page.get_by_label(NEW_PEOPLE[2], exact=True).uncheck()
    expect_text(page, "Bỏ đánh dấu những người vắng mặt.", "Có mặt")
    shot("10-diem-danh")
    page.get_by_role("button", name="Lưu điểm danh").click()
    page.wait_for_selector("text=Đã lưu điểm danh.")
    page.goto(class_url)
    page.get_by_role("link", name="Điểm danh").nth(1).click()
    page.get_by_role("button", name="Lưu điểm danh").click()
    page.wait_for_selector("text=Đã lưu điểm danh.")

    page.goto(class_url)
    page.get_by_role("link", name="Nhập kết quả").click()
    # all() does not wait: the form's four boxes first (a busy machine loads
    # the page later than the click returns).
    boxes = page.locator("input[name^=score-]")
    expect(boxes).to_have_count(4)
    for box, score in zip(
        boxes.all(),
        ("8,5", "9", "7", "6,5"),
        strict=True,
    ):
        box.fill(score)
    expect_text(page, "Kết quả học tập", "Điểm từ 0 đến 10", "Nhận xét")
    shot("11-nhap-ket-qua")
    page.get_by_role("button", name="Lưu kết quả").click()
    page.wait_for_selector("text=Đã lưu kết quả.")

    for label in ("Đang chiêu sinh", "Đang học"):
        page.get_by_role("button", name=f"Chuyển “{label}”").click()
        page.wait_for_selector(f"text=Lớp đã chuyển sang “{label}”.")
    page.get_by_role("link", name="Chuyển “Đã bế giảng”").click()
    expect_text(page, "Bế giảng lớp?", "Số buổi đã học")
    shot("12a-xac-nhan-be-giang")
    page.get_by_role("button", name="Bế giảng lớp").click()
    page.wait_for_selector("text=Lớp đã chuyển sang “Đã bế giảng”.")
    expect_text(page, "Danh sách học viên", "Danh sách ký tên (PDF)", "Giỏi")
    shot("12-lop-da-be-giang")


def _issue_certificates(page, shot, class_url):
    page.goto(class_url)
    page.get_by_role("link", name="Giấy chứng nhận", exact=True).click()
    expect_text(page, "Cấp cho những học viên đã chọn", "Họ tên người ký")
    expect_text(page, "Số được cấp theo thứ tự danh sách")
    shot("13-cap-giay-chung-nhan")
    page.get_by_role("button", name="Cấp cho những học viên đã chọn").click()
    expect_text(page, "không thể thu hồi số")
    shot("13b-xac-nhan-cap")
    page.locator("#confirm-facts ~ form button[type=submit]").click()
    page.wait_for_selector("text=Hoàn tất")
    expect_text(page, "Tải cả lớp (PDF)", "Mỗi người một tệp (ZIP)")
    shot("14-in-giay-chung-nhan")

    page.get_by_role("link", name="Sổ cấp giấy chứng nhận").first.click()
    expect_text(page, "Sổ cấp (PDF)", "Người ký", "Trạng thái", "Còn giá trị")
    shot("15-so-cap")
    with scopes_disabled():
        issued = Certificate.objects.get(enrollment__trainee__full_name=NEW_PEOPLE[0])
    page.goto(
        class_url.split("/c/")[0]
        + reverse("enrollment:certificate_detail", args=["da-lat", issued.pk])
    )
    expect_text(page, "Thu hồi", "Cấp lại với số mới", "Mã xác minh")
    shot("16-giay-chung-nhan")


def _director_reads_the_report_plan_and_feedback(page, base, shot):
    year = timezone.localdate().year
    log_in(page, base, "director")
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    page.goto(f"{base}/c/da-lat/report/?kind=year&year={year}")
    expect_text(page, "Báo cáo tổng kết", "Biểu 1 – Kết quả mở lớp", "Lượt học viên")
    expect_text(page, "Biểu 2 – Đội ngũ giảng viên", "Biểu 3 – Phản hồi người học")
    expect(page.get_by_role("link", name="PDF", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Excel", exact=True)).to_be_visible()
    shot("17-bao-cao")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel", exact=True).click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("link", name="Kế hoạch", exact=True).click()
    expect_text(page, "Kế hoạch năm", "Số lớp kế hoạch", "Số học viên kế hoạch")
    shot("18-ke-hoach")

    with scopes_disabled():
        surveyed = (
            TrainingClass.objects.filter(survey__isnull=False)
            .order_by("-end_date")
            .first()
        )
    page.goto(f"{base}{surveyed.get_absolute_url()}")
    page.get_by_role("link", name="Phản hồi người học").click()
    expect_text(page, "Phiếu mã để phát (PDF)", "Trình chiếu", "Nhập phiếu giấy")
    expect_text(page, "Kết quả lấy ý kiến", "Chỉ Giám đốc xem được")
    shot("19-phan-hoi")
    page.get_by_role("link", name="Nhập phiếu giấy").click()
    expect_text(page, "Nhập phiếu phản hồi giấy", "Lưu các phiếu giấy")
    shot("20-phieu-giay")


def _committee_reads_the_centres_and_the_rollups(page, base, shot):
    log_in(page, base, "committee")
    expect_text(page, "Trung tâm Chính trị Đà Lạt", "Lượt học viên")
    assert page.get_by_role("link", name="Mở lớp").count() == 0
    assert page.get_by_role("link", name="Lớp học", exact=True).count() == 0
    shot("21-cap-uy-tong-quan")
    page.get_by_role("link", name="Tổng hợp").click()
    page.wait_for_url("**/rollups/")
    page.locator("form.report-period button[type=submit]").click()
    expect_text(page, "Tổng hợp cho cấp ủy", "chỉ xem")
    expect_text(page, "Tổng hợp kết quả bồi dưỡng theo đơn vị cử học")
    expect(page.locator("#rollup-xlsx")).to_be_visible()
    shot("22-tong-hop")
