"""The notes under Biểu 1 that let a reader check its figures: what "% of
plan" divides (the classes of the plan, the years with a plan), whom the
women and minorities count, and the sentences that go with them; on the
page, in the workbook and in the PDF's text."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from reports import charts, counting, pdf, wording
from tests.reports.test_report import build
from tests.reports.test_report_xlsx import book, download

TERM = counting.Period(datetime.date(2024, 1, 1), datetime.date(2026, 12, 31))


def vi(function, *args):
    with translation.override("vi"):
        return function(*args)


@pytest.mark.django_db
def test_a_year_says_what_its_percent_of_plan_divides(report_site):
    with scopes_disabled():
        report = build(report_site.center)
    # Biểu 1's total reads 4 classes against a plan of 5 and "60,0%": the
    # 3 classes of the plan, not the summer class outside it.
    assert vi(lambda: report.plan_rule) == (
        "Tỷ lệ % so kế hoạch tính trên 3 lớp, 35 lượt học viên của các lớp "
        "trong kế hoạch; các lớp ngoài kế hoạch (mục IV) không tính vào."
    )
    # The historic class declares 30 trainees, none of them by name.
    assert vi(lambda: report.unlisted_rule) == (
        "* Số nữ và người dân tộc thiểu số chỉ đếm trong các lớp có danh sách "
        "học viên: 7 trên 37 lượt học viên; các lớp chỉ nhập số liệu tổng hợp "
        "không ghi những số này."
    )
    assert vi(pdf._who, report)[0].startswith(
        "Trong 7 lượt học viên của các lớp có danh sách học viên, có 5 lượt nữ"
    )
    client = Client()
    client.force_login(report_site.director)
    page = client.get(
        reverse("reports:report", args=[report_site.center.slug]),
        {"kind": "year", "year": 2026},
    ).content.decode()
    assert "3 lớp, 35 lượt học viên của các lớp trong kế hoạch" in page
    assert "7 trên 37 lượt học viên" in page
    grades = (
        "Tỷ lệ của mỗi loại xếp loại tính trên "
        f"{report.total.assessed} lượt học viên đã có kết quả"
    )
    assert report.total.assessed < report.total.enrolled and grades in page
    workbook = book(download(report_site.director, report_site.center))
    notes = [
        cell
        for row in workbook["Biểu 1"].iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]
    assert any("3 lớp, 35 lượt học viên của các lớp trong kế hoạch" in n for n in notes)
    assert any("7 trên 37 lượt học viên" in n for n in notes)
    assert any(grades in n for n in notes)


@pytest.mark.django_db
def test_a_term_compares_the_plan_with_the_years_that_have_one(report_site):
    """Plans were entered for 2025 and 2026, not 2024: % of plan divides the
    classes of those two years, and the text and the note say so."""
    with scopes_disabled():
        report = build(report_site.center, TERM)
    assert report.plan_years_partial == [2025, 2026]
    assert "mở trong các năm có kế hoạch (2025, 2026)" in vi(lambda: report.plan_rule)
    sentence = vi(wording.in_plan, report, "Trong giai đoạn 2024–2026")
    assert "; riêng các năm có kế hoạch (2025, 2026), mở " in sentence
    assert f"{report.in_plan.plan_classes_done} lớp" in sentence
    # Nothing was entered for 2021–2023: no "+35" against nothing.
    client = Client()
    client.force_login(report_site.director)
    page = client.get(
        reverse("reports:report", args=[report_site.center.slug]),
        {"kind": "term", "from_year": 2024, "to_year": 2026},
    ).content.decode()
    assert "kỳ đó không có lớp nào được nhập để so sánh" in page
    assert "khi đó 0 lớp" not in page
    assert "% kế hoạch (2025, 2026)" in page  # the cards name the planned years
    # A year wholly without a plan, or without classes, has no such note.
    with scopes_disabled():
        empty = build(report_site.center, counting.Period.year(2023))
    assert (empty.plan_rule, empty.unlisted_rule, empty.plan_years_partial) == (
        "",
        "",
        [],
    )


@pytest.mark.django_db
def test_lecturers_without_a_session_of_the_period_are_not_said_to_teach_0(
    report_site,
):
    with scopes_disabled():
        report = build(report_site.center, counting.Period.year(2023))
    assert report.lecturers  # the centre's active lecturers are listed
    (text, *_rest) = vi(pdf._lecturers, report)
    assert "Các buổi học của kỳ này chưa ghi người giảng." in text
    assert "0 tiết" not in text


@pytest.mark.django_db
def test_a_half_years_chart_says_its_last_year_is_not_whole(report_site):
    half = counting.Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    with scopes_disabled():
        report = build(report_site.center, half)
        whole = build(report_site.center)
    chart = vi(charts.by_year, report)
    assert "2026 (đến 30/06): " in chart.description
    assert "2025: " in chart.description  # the years before are whole
    assert "(đến" not in vi(charts.by_year, whole).description
    # Against the plan of the whole year, the cards say so.
    client = Client()
    client.force_login(report_site.director)
    page = client.get(
        reverse("reports:report", args=[report_site.center.slug]),
        {"kind": "dates", "start": "01/01/2026", "end": "30/06/2026"},
    ).content.decode()
    assert "% kế hoạch năm" in page


@pytest.mark.django_db
def test_people_and_sending_units_are_counted_among_the_listed_only(report_site):
    """A class from before the system declares its numbers, nobody by name:
    the report's count of people and of sending units says it covers the
    classes with a list, not the whole total it stands beside."""
    with scopes_disabled():
        report = build(report_site.center)
    assert (report.total.enrolled, report.total.listed) == (37, 7)
    opening = vi(pdf._opening, report)
    assert opening.endswith(
        "Tổng cộng: 4 lớp, 37 lượt học viên; 7 lượt học viên của các lớp có "
        f"danh sách học viên là {report.persons} người."
    ), opening
    sent = [p for p in vi(pdf._who, report) if "cử đi học" in p]
    assert sent and sent[0].startswith(
        "7 lượt học viên của các lớp có danh sách học viên do "
    ), sent
