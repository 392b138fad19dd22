"""Biểu 2's peer teaching, class observations and contests.

The records of the hand-worked fixture (conftest.py) are added in `bieu2_site`
with the figures they must give; words that are msgids are looked up through
gettext, so the tests hold before and after the Vietnamese catalogue has them.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from courses.models import Lecturer
from enrollment.demo.activities import build_lecturer_activities
from reports import counting, pdf as report_pdf, scope
from tests.factories import make_lecturer, make_lecturer_activity
from tests.reports.test_report_pdf import get_pdf, orientations, page_texts, pdf_url
from tests.reports.test_report_xlsx import (
    assert_count,
    body,
    book,
    download,
    header_rows,
    row_of,
)

D = datetime.date
CONTEST = "Hội thi giảng viên lý luận chính trị giỏi cấp tỉnh năm {}"
YEAR = counting.Period.year(2026)


def vi(msgid, plural=None, count=None):
    with translation.override("vi"):
        if plural:
            return translation.ngettext(msgid, plural, count)
        return translation.gettext(msgid)


def award(prize, year=2026):
    return f"{vi(prize)} – {CONTEST.format(year)}"


# Worked out from the records made in `bieu2_site`:
# name -> (peer teaching, observations, awards, prizes).
EXPECTED = {
    "Trần Văn Bình": (1, 2, [award("Second prize")], 1),
    "Lê Thị Thu": (0, 1, [award("No prize")], 0),
    "Hồ Văn Nghỉ": (1, 0, [], 0),
}
# kind -> (lecturers, periods, peer teaching, observations, prizes)
EXPECTED_KINDS = {
    "Full-time": (2, 5, 2, 2, 1),  # Bình and Nghỉ
    "Concurrent": (1, 4, 0, 1, 0),  # Thu
}


@pytest.fixture
def bieu2_site(report_site, site_b):
    center = report_site.center
    binh = Lecturer.objects.get(full_name="Trần Văn Bình")
    thu = Lecturer.objects.get(full_name="Lê Thị Thu")
    peer, observed, contest = "peer_teaching", "observation", "contest"

    def record(lecturer, kind, day, **fields):
        fields.setdefault("title", "Những vấn đề cơ bản về Đảng Cộng sản Việt Nam")
        return make_lecturer_activity(lecturer, kind=kind, date=day, **fields)

    # Bình in 2026: one peer teaching, two observations, a second prize.
    record(binh, peer, D(2026, 3, 10))
    record(binh, observed, D(2026, 4, 2))
    record(binh, observed, D(2026, 6, 30))
    record(binh, contest, D(2026, 10, 20), title=CONTEST.format(2026), award="second")
    # ... and outside 2026, never counted in it.
    record(binh, peer, D(2025, 12, 31))
    record(binh, contest, D(2025, 11, 14), title=CONTEST.format(2025), award="first")
    record(binh, observed, D(2027, 1, 1))
    # Thu: an observation on New Year's Day and a contest without a prize.
    record(thu, observed, D(2026, 1, 1))
    record(thu, contest, D(2026, 10, 20), title=CONTEST.format(2026), award="none")
    # No longer teaching and no session in 2026, but a record: listed.
    resting = make_lecturer(center, full_name="Hồ Văn Nghỉ", is_active=False)
    record(resting, peer, D(2026, 5, 5))
    # No longer teaching, records of 2025 only: not listed.
    gone = make_lecturer(center, full_name="Đinh Văn Cũ", is_active=False)
    record(gone, observed, D(2025, 5, 5))
    # Another centre's lecturer never counts.
    other = make_lecturer(site_b.center, full_name="Người Khác")
    record(other, contest, D(2026, 10, 20), title=CONTEST.format(2026), award="first")
    return report_site


def build(center, period=YEAR):
    target = scope.for_center(center)
    with scopes_disabled(), translation.override("vi"):
        return counting.build_report(
            target.centers, period, scope_label=target.label, issuer=target.issuer
        )


def activity_figures(report):
    return {
        r.name: (r.peer_teaching, r.observations, r.awards, r.prizes)
        for r in report.lecturers
        if r.peer_teaching or r.observations or r.awards
    }


@pytest.mark.django_db
def test_bieu2_counts_the_records_of_the_period_only(bieu2_site):
    report = build(bieu2_site.center)
    assert activity_figures(report) == EXPECTED
    names = [r.name for r in report.lecturers]
    assert "Hồ Văn Nghỉ" in names
    assert "Đinh Văn Cũ" not in names and "Người Khác" not in names
    assert [tuple(kind) for kind in report.lecturer_kinds] == [
        (vi(label), *figures) for label, figures in EXPECTED_KINDS.items()
    ]
    # Sessions and periods are what they were (conftest.py EXPECTED).
    assert {r.name: (r.sessions, r.periods) for r in report.lecturers} == {
        "Trần Văn Bình": (1, 5),
        "Lê Thị Thu": (1, 4),
        "Hồ Văn Nghỉ": (0, 0),
    }


@pytest.mark.django_db
def test_a_half_year_and_the_year_before_have_their_own_records(bieu2_site):
    first_half = build(
        bieu2_site.center, counting.Period(D(2026, 1, 1), D(2026, 6, 30))
    )
    assert activity_figures(first_half) == {
        "Trần Văn Bình": (1, 2, [], 0),  # 30 June is inside, October's contest not
        "Lê Thị Thu": (0, 1, [], 0),  # 1 January is inside
        "Hồ Văn Nghỉ": (1, 0, [], 0),
    }
    year_before = build(bieu2_site.center, counting.Period.year(2025))
    assert activity_figures(year_before) == {
        "Trần Văn Bình": (1, 0, [award("First prize", 2025)], 1),
        "Đinh Văn Cũ": (0, 1, [], 0),  # not teaching now, but had a record then
    }


@pytest.mark.django_db
def test_queries_do_not_grow_with_lecturers_or_records(bieu2_site):
    """One query for all the records; no list of lecturer ids is sent."""
    with CaptureQueriesContext(connection) as before:
        build(bieu2_site.center)
    with scopes_disabled():
        for number in range(30):
            lecturer = make_lecturer(
                bieu2_site.center, full_name=f"Giảng viên {number}"
            )
            for kind, award_value in (
                ("peer_teaching", ""),
                ("observation", ""),
                ("observation", ""),
                ("contest", "third"),
            ):
                make_lecturer_activity(
                    lecturer,
                    kind=kind,
                    award=award_value,
                    date=D(2026, 2, 1 + number % 28),
                )
    with CaptureQueriesContext(connection) as after:
        report = build(bieu2_site.center)
    assert sum(r.observations for r in report.lecturers) == 3 + 60
    assert len(after) == len(before)
    assert [len(q["sql"]) for q in after] == [len(q["sql"]) for q in before]


@pytest.mark.django_db
def test_the_report_page_shows_the_columns_and_the_totals(bieu2_site):
    client = Client()
    client.force_login(bieu2_site.staff)
    response = client.get(
        reverse("reports:report", args=[bieu2_site.center.slug]),
        {"kind": "year", "year": 2026},
    )
    assert response.status_code == 200
    page = response.content.decode()
    table = page.split('class="table table-sm table-bordered report-table bieu2"')[1]
    table = table.split("</table>")[0]
    for header in ("Peer teaching / observations", "Contests (prize)"):
        assert vi(header) in table
    binh = table.split("Trần Văn Bình")[1].split("</tr>")[0]
    assert '<td class="num">1 / 2</td>' in binh
    assert award("Second prize") in binh
    totals = table.split('class="row-group"')[1:]
    assert len(totals) == 2
    # Totals read as words, not "2 / 2 2 giải".
    assert "2 lượt thao giảng, 2 lượt dự giờ" in totals[0]
    assert vi("%(prizes)s prize", "%(prizes)s prizes", 1) % {"prizes": 1} in totals[0]
    assert "0 lượt thao giảng, 1 lượt dự giờ" in totals[1]
    # Every row, totals included, has as many cells as the header has columns.
    columns = len(re.findall(r"<th[ >]", table.split("</thead>")[0]))
    assert columns == 9
    for row in table.split("<tbody>")[1].split("</tr>")[:-1]:
        spans = [int(n) for n in re.findall(r'colspan="(\d+)"', row)]
        cells = len(re.findall(r"<t[dh][ >]", row)) - len(spans) + sum(spans)
        assert cells == columns, row


@pytest.mark.django_db
def test_the_workbook_has_the_counts_as_numbers_and_the_awards_as_text(bieu2_site):
    sheet = book(download(bieu2_site.staff, bieu2_site.center))["Biểu 2"]
    first, last = header_rows(sheet)
    headers = [
        cell.value
        for row in sheet.iter_rows(min_row=first, max_row=last)
        for cell in row
    ]
    for title in (
        "Peer teaching / observations",
        "Peer teaching",
        "Class observation",
        "Contests (prize)",
    ):
        assert vi(title) in headers, title
    for name, (peer, observed, awards, _prizes) in EXPECTED.items():
        row = row_of(sheet, 1, name)
        assert_count(row[7], peer)
        assert_count(row[8], observed)
        assert row[9].value == ("\n".join(awards) or None)
    kinds = [r for r in body(sheet) if r[0].font.b]
    assert [(r[6].value, r[7].value, r[8].value) for r in kinds] == [
        (5, 2, 2),
        (4, 0, 1),
    ]
    assert kinds[0][9].value == vi("%(prizes)s prize", "%(prizes)s prizes", 1) % {
        "prizes": 1
    }
    assert kinds[1][9].value is None


@pytest.mark.django_db
def test_the_pdf_says_it_and_prints_the_columns_in_landscape(bieu2_site):
    report = build(bieu2_site.center)
    with translation.override("vi"):
        paragraphs = report_pdf._lecturers(report)
        sentence = translation.gettext(
            "In the period there were %(peer_teaching)s peer-teaching lessons and "
            "%(observations)s class observations; lecturers won %(prizes)s prizes "
            "at lecturer contests."
        ) % {"peer_teaching": "2", "observations": "3", "prizes": "1"}
    assert paragraphs[-1] == sentence

    response = get_pdf(bieu2_site.director, pdf_url(bieu2_site.center))
    assert response.status_code == 200
    pages = page_texts(response.content)
    bieu2 = next(i for i, text in enumerate(pages) if "Hồ Văn Nghỉ" in text)
    assert orientations(response.content)[bieu2] == "landscape"
    assert "1 / 2" in pages[bieu2]
    assert award("Second prize") in pages[bieu2]
    assert " ".join(sentence.split()) in " ".join(pages)


@pytest.mark.django_db
def test_without_records_the_pdf_says_so(report_site):
    report = build(report_site.center)
    assert all(not r.peer_teaching and not r.awards for r in report.lecturers)
    with translation.override("vi"):
        assert report_pdf._lecturers(report)[-1] == translation.gettext(
            "No peer teaching, class observation or contest is recorded."
        )


@pytest.mark.django_db
def test_the_demo_year_has_peer_teaching_observations_and_two_prizes(site_a):
    """enrollment/demo/activities.py, as seed_demo runs it for the demo centre."""
    for name in ("Nguyễn Thị Thu Hà", "Trần Văn Đức"):
        make_lecturer(site_a.center, full_name=name)
    for name in ("Phạm Ngọc Ánh", "Lê Hoàng Long"):
        make_lecturer(site_a.center, full_name=name, kind="concurrent")
    today = D(2026, 11, 23)
    with scopes_disabled():
        assert build_lecturer_activities(site_a.center, year=2026, today=today) == 10
        assert build_lecturer_activities(site_a.center, year=2026, today=today) == 0
    report = build(site_a.center)
    rows = {r.name: r for r in report.lecturers}
    assert sum(r.peer_teaching for r in rows.values()) == 3
    assert sum(r.observations for r in rows.values()) == 5
    assert rows["Nguyễn Thị Thu Hà"].awards == [award("Second prize")]
    assert rows["Trần Văn Đức"].awards == [award("Third prize")]
    # Early in a year the days stay in the part of it gone by.
    with scopes_disabled():
        build_lecturer_activities(site_a.center, year=2027, today=D(2027, 1, 1))
    january = build(site_a.center, counting.Period(D(2027, 1, 1), D(2027, 12, 31)))
    assert sum(r.observations for r in january.lecturers) == 5
