"""The report's figures against the hand-worked fixture (conftest.py)."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from courses.models import ClassType
from enrollment.models import ClassSummary
from enrollment.services import summaries
from reports import counting, scope
from tests.factories import make_center, make_class, make_enrollment, make_user
from tests.reports.conftest import EXPECTED, committee_over
from trainingcenter.models import Center, Membership

YEAR = counting.Period.year(2026)
# A report query limited to a scope's centres.
CENTRE_FILTER = re.compile(r'center_id" IN \(SELECT')


def build(center, period=YEAR):
    target = scope.for_center(center)
    return counting.build_report(
        target.centers, period, scope_label=target.label, issuer=target.issuer
    )


def rows_by_code(report):
    return {row.code: row for row in report.programme_rows}


@pytest.mark.django_db
def test_figures_match_the_hand_worked_fixture(report_site):
    with scopes_disabled():
        report = build(report_site.center)
    rows = rows_by_code(report)
    for code in ("nhan-thuc-ve-dang", "dang-vien-moi", "chinh-tri-he"):
        for name, value in EXPECTED[code].items():
            assert getattr(rows[code].figures, name) == value, (code, name)
    for name, value in EXPECTED["total"].items():
        assert getattr(report.total, name) == value, name
    assert report.persons == EXPECTED["persons"]
    assert report.previous_total.classes == EXPECTED["previous"]["classes"]
    assert report.previous_total.enrolled == EXPECTED["previous"]["enrolled"]
    assert report.previous_persons == EXPECTED["previous_persons"]
    assert report.change_enrolled == EXPECTED["change_enrolled"]
    assert {r.name: (r.sessions, r.periods) for r in report.lecturers} == EXPECTED[
        "lecturers"
    ]
    assert [(u.name, u.enrolled, u.passed) for u in report.units] == EXPECTED["units"]
    assert report.partners == EXPECTED["partners"]
    assert rows["chinh-tri-he"].partners == ["Phòng Văn hóa – Xã hội"]


@pytest.mark.django_db
def test_sections_follow_bieu_1(report_site):
    with scopes_disabled():
        make_class(
            report_site.center,
            class_type=ClassType.objects.get(code="so-cap-llct"),
            start_date=datetime.date(2026, 2, 2),
            end_date=datetime.date(2026, 6, 2),
        )
        report = build(report_site.center)
    # The co-organised summer class is not counted in the plan: it is part
    # IV, apart from the classes of the plan.
    assert [s.figures.classes for s in report.sections] == [1, 3, 1]
    training, refresher, outside = report.sections
    assert [r.code for g in training.groups for r in g.rows] == ["so-cap-llct"]
    # Bồi dưỡng is grouped by block, in the blocks' order.
    assert [g.label for g in refresher.groups] == ["A. Khối Đảng"]
    assert outside.outside and not refresher.outside
    assert [r.code for g in outside.groups for r in g.rows] == ["chinh-tri-he"]
    assert [r.number for r in report.programme_rows] == [1, 2, 3, 4]
    # The blocks count the refresher classes of the plan only, as Biểu 1's
    # block rows do: the training class and the summer class are apart.
    assert report.by_block == [("Khối Đảng", 3, 35)]
    assert (report.in_plan.classes, report.outside.classes) == (4, 1)
    assert report.total.classes == 5


@pytest.mark.django_db
def test_a_period_of_dates_and_a_term(report_site):
    with scopes_disabled():
        first_half = build(
            report_site.center,
            counting.Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        )
        term = build(
            report_site.center,
            counting.Period(datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)),
        )
    # Classes count when they open: N1 (March) and the historic class (May).
    assert (first_half.total.classes, first_half.total.enrolled) == (2, 33)
    # Mid-year, the plan is still the whole year's.
    assert first_half.total.target_classes == 5
    # Half a year compares with the same half a year before (cùng kỳ).
    assert first_half.previous_period == counting.Period(
        datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)
    )
    assert first_half.previous_label == (
        "cùng kỳ năm trước (từ ngày 01/01/2025 đến ngày 30/06/2025)"
    )
    # A term sums its years' plans (2025: 9 classes) and its classes.
    assert (term.total.classes, term.total.enrolled) == (5, 39)
    assert term.total.target_classes == 14
    assert term.previous_period.start == datetime.date(2023, 1, 1)


@pytest.mark.django_db
def test_queries_do_not_grow_with_classes(report_site):
    with scopes_disabled():
        with CaptureQueriesContext(connection) as before:
            build(report_site.center)
        for day in range(1, 20):
            training_class = make_class(
                report_site.center,
                start_date=datetime.date(2026, 4, day),
                end_date=datetime.date(2026, 4, day),
            )
            make_enrollment(training_class)
        with CaptureQueriesContext(connection) as after:
            build(report_site.center)
    assert len(after) == len(before)


@pytest.mark.django_db
def test_summaries_follow_every_write(report_site):
    """Whatever path wrote the rows, the stored counts equal a fresh count."""
    with scopes_disabled():
        stored = {s.training_class_id: s for s in ClassSummary.objects.all()}
        fresh = summaries.compute(stored)
        assert fresh
        for row in fresh:
            for name in summaries.COUNTED_FIELDS:
                assert getattr(row, name) == getattr(
                    stored[row.training_class_id], name
                ), (row.training_class_id, name)


@pytest.mark.django_db
def test_report_page_shows_the_figures(report_site):
    client = Client()
    client.force_login(report_site.staff)
    url = reverse("reports:report", args=[report_site.center.slug])
    response = client.get(url, {"kind": "year", "year": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="stat-classes">4<' in page
    assert 'id="stat-enrolled">37<' in page
    assert "60,0%" in page and "25,0%" in page  # of the plan: classes, trainees
    assert "66,7%" in page  # attendance 2 / 3
    assert "Phòng Văn hóa – Xã hội" in page
    assert "Trần Văn Bình" in page
    assert page.count('src="data:image/svg+xml;base64,') == 3  # three charts
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.django_db
def test_the_report_pages_are_under_the_report_tab(report_site):
    client = Client()
    client.force_login(report_site.staff)
    url = reverse("reports:report", args=[report_site.center.slug])
    page = client.get(url, {"kind": "year", "year": 2026}).content.decode()
    assert f'nav-link active" href="{url}"' in page


@pytest.mark.django_db
def test_a_bad_period_is_refused_with_a_message(report_site):
    client = Client()
    client.force_login(report_site.staff)
    url = reverse("reports:report", args=[report_site.center.slug])
    response = client.get(url, {"kind": "term", "from_year": 2026, "to_year": 2020})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    assert 'id="stat-classes"' not in response.content.decode()
    assert client.get(url, {"kind": "year", "year": "abc"}).status_code == 400
    assert client.get(url, {"kind": "year", "year": 1200}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"kind": "year", "year": "20 26'--"}, "year", "Nhập năm."),
        (
            {"kind": "dates", "start": "31/02/2026", "end": "31/12/2026"},
            "start",
            "Nhập một ngày hợp lệ.",
        ),
    ],
)
def test_a_bad_field_is_said_once_and_only_there(report_site, query, field, message):
    """Not Django's "số tổng thể", and no second message on the whole form
    claiming a date is missing when it is mistyped."""
    client = Client()
    client.force_login(report_site.staff)
    url = reverse("reports:report", args=[report_site.center.slug])
    form = client.get(url, query).context["form"]
    assert form.errors == {field: [message]}


@pytest.mark.django_db
def test_organization_report_covers_its_subtree_only(report_site, site_b):
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
    url = reverse("org_report", args=[province.pk])
    response = client.get(url, {"kind": "year", "year": 2026})
    assert response.status_code == 200
    assert response.context["report"].total.enrolled == 37  # site B's class is out
    assert response.context["report"].center_count == 1
    client.force_login(outsider)
    assert client.get(url, {"kind": "year", "year": 2026}).status_code == 404
    # A centre's staff reach no organization report; a missing one is the same 404.
    client.force_login(report_site.staff)
    assert client.get(url).status_code == 404
    assert client.get(reverse("org_report", args=[999999])).status_code == 404
    assert Center.objects.count() == 2


@pytest.mark.django_db
def test_the_committee_above_every_centre_reads_them_unfiltered(report_site, site_b):
    """Its report counts both centres, and its summary queries carry no centre
    filter (a semi-join that keeps every row costs the nation's report a
    quarter of Biểu 1); a committee with a centre outside keeps the filter."""
    top, committee = committee_over(
        report_site.center, site_b.center, code="TW", name="Trung ương", level="central"
    )
    with scopes_disabled():
        everywhere = scope.for_organization(committee, top.pk)
        with CaptureQueriesContext(connection) as queries:
            report = counting.build_report(
                everywhere.centers, YEAR, scope_label="", issuer=everywhere.issuer
            )
        b = build(site_b.center).total.enrolled
        assert b > 0
        assert report.total.enrolled == 37 + b
        assert report.center_count == 2
        assert not [q for q in queries if CENTRE_FILTER.search(q["sql"])]
        # A third centre outside the tree: the committee's scope filters again.
        make_center(slug="trung-tam-c", name="Trung tâm Chính trị C")
        partial = scope.for_organization(committee, top.pk)
        with CaptureQueriesContext(connection) as queries:
            report = counting.build_report(
                partial.centers, YEAR, scope_label="", issuer=partial.issuer
            )
        assert report.total.enrolled == 37 + b
        assert report.center_count == 2
        filtered = [q for q in queries if CENTRE_FILTER.search(q["sql"])]
        assert any("enrollment_classsummary" in q["sql"] for q in filtered)


@pytest.mark.parametrize(
    ("start", "end", "before"),
    [
        # A year, a term: the period of the same length just before.
        ((2026, 1, 1), (2026, 12, 31), ((2025, 1, 1), (2025, 12, 31))),
        ((2015, 1, 1), (2020, 12, 31), ((2009, 1, 1), (2014, 12, 31))),
        ((2024, 7, 1), (2026, 6, 30), ((2022, 7, 1), (2024, 6, 30))),
        # Shorter than a year: the same dates a year before.
        ((2026, 3, 1), (2026, 5, 31), ((2025, 3, 1), (2025, 5, 31))),
        ((2026, 3, 10), (2026, 3, 19), ((2025, 3, 10), (2025, 3, 19))),
        ((2025, 9, 1), (2026, 5, 31), ((2024, 9, 1), (2025, 5, 31))),
        ((2028, 2, 29), (2028, 3, 31), ((2027, 2, 28), (2027, 3, 31))),
        # A month's last day stays its last day: February's 28th and 29th.
        ((2025, 1, 1), (2025, 2, 28), ((2024, 1, 1), (2024, 2, 29))),
        ((2024, 3, 1), (2025, 2, 28), ((2023, 3, 1), (2024, 2, 29))),
    ],
)
def test_the_period_compared_with(start, end, before):
    period = counting.Period(datetime.date(*start), datetime.date(*end))
    assert counting.previous(period) == counting.Period(
        datetime.date(*before[0]), datetime.date(*before[1])
    )


@pytest.mark.django_db
def test_two_units_of_one_name_stay_two_rows(report_site):
    from tests.factories import make_organization

    with scopes_disabled():
        training_class = make_class(report_site.center)
        for code in ("X-1", "X-2"):
            make_enrollment(
                training_class,
                unit=make_organization(code=code, name="Đảng bộ xã Tân Lập"),
            )
        report = build(report_site.center)
    assert [u.enrolled for u in report.units if u.name == "Đảng bộ xã Tân Lập"] == [
        1,
        1,
    ]


@pytest.mark.django_db
def test_years_without_a_plan_are_not_compared_with_one(report_site):
    with scopes_disabled():
        make_class(
            report_site.center,
            start_date=datetime.date(2024, 4, 1),
            end_date=datetime.date(2024, 4, 5),
        )
        term = build(
            report_site.center,
            counting.Period(datetime.date(2024, 1, 1), datetime.date(2026, 12, 31)),
        )
    # 2024 has no plan: its class counts in the total, not against the plan.
    assert term.total.classes == 6
    assert term.total.plan_classes_done == 4  # 2026: 3, 2025: 1
    assert term.total.target_classes == 14


@pytest.mark.django_db
def test_the_charts_follow_the_figures_when_they_change(report_site):
    """Charts are drawn once for the same figures: a class added since must
    show in them the next time the page is opened, not the earlier picture."""
    import base64

    client = Client()
    client.force_login(report_site.staff)
    url = reverse("reports:report", args=[report_site.center.slug])

    def charts():
        page = client.get(url, {"kind": "year", "year": 2026}).content.decode()
        enrolled = re.search(r'id="stat-enrolled">([\d.]+)<', page)[1]
        uris = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
        return enrolled, [base64.b64decode(uri).decode() for uri in uris]

    before, drawn = charts()
    with scopes_disabled():
        programme = ClassType.objects.get(code="nhan-thuc-ve-dang")
        added = make_class(
            report_site.center,
            class_type=programme,
            start_date=datetime.date(2026, 11, 2),
            end_date=datetime.date(2026, 11, 6),
        )
        for _ in range(50):
            make_enrollment(added)
        summaries.refresh([added.pk])
    after, redrawn = charts()
    assert (before, after) == ("37", "87")
    by_year, by_block = drawn[0], drawn[1]
    assert ">37<" in by_year and ">87<" not in by_year
    assert ">87<" in redrawn[0]  # the year's bar, with its new figure
    assert redrawn[1] != by_block
