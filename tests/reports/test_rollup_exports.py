"""A committee's workbooks: those that name people ask the purpose first and
are in the log of each centre of the organization; each says what it leaves
out."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from reports import counting, rollups, scope
from tests.reports.test_rollups import cells, committee_scope, get, url


@pytest.mark.django_db
def test_a_committees_export_of_people_is_in_its_centres_export_log(
    report_site, site_b
):
    """The purpose page says the directors concerned read the log: the
    director of a centre in the organization does; another one does not."""
    _, organization = committee_scope(report_site)
    client = Client()
    client.force_login(report_site.committee)
    asked = client.get(url(organization, "org_rollups_xlsx", rollup="certified"))
    assert "người có giấy chứng nhận (Excel)" in asked.text  # the workbook
    made = get(
        report_site.committee, organization, "org_rollups_xlsx", rollup="certified"
    )
    assert made.status_code == 200
    director = Client()
    director.force_login(report_site.director)
    log = reverse("enrollment:export_log", args=[report_site.center.slug])
    page = director.get(log).content.decode()
    assert organization.name in page and "Báo cáo cấp ủy" in page
    workbook = director.get(
        reverse("enrollment:export_log_xlsx", args=[report_site.center.slug])
    )
    _, rows = cells(workbook)
    assert any(organization.name in str(row[1]) for row in rows)
    other = Client()
    other.force_login(site_b.director)
    elsewhere = reverse("enrollment:export_log", args=[site_b.center.slug])
    assert organization.name not in other.get(elsewhere).content.decode()


@pytest.mark.django_db
def test_by_unit_says_what_it_leaves_out_on_the_page_and_in_excel(report_site):
    _, organization = committee_scope(report_site)
    with scopes_disabled():
        target = scope.for_organization(report_site.committee, organization.pk)
        declared = rollups.by_unit(
            target.centers, rollups.Filters(counting.Period.year(2026))
        ).without_roster[1]
    said = (
        f"Không có trong bảng này: 1 lớp của kỳ chỉ nhập số liệu ({declared} lượt "
        "học viên)"
    )
    page = get(report_site.committee, organization, rollup="units").content.decode()
    assert said in page
    _book, rows = cells(
        get(report_site.committee, organization, "org_rollups_xlsx", rollup="units")
    )
    assert any(isinstance(v, str) and v.startswith(said) for row in rows for v in row)


@pytest.mark.django_db
def test_biểu_4_says_a_chosen_unit_does_not_narrow_it(report_site):
    _, organization = committee_scope(report_site)
    with scopes_disabled():
        unit = organization.children.first() or organization
    page = get(
        report_site.committee, organization, rollup="centers", unit=unit.pk
    ).content.decode()
    assert 'id="unit-not-applied"' in page and unit.name in page
    _book, rows = cells(
        get(
            report_site.committee,
            organization,
            "org_rollups_xlsx",
            rollup="centers",
            unit=unit.pk,
        )
    )
    heading = next(v for row in rows for v in row if str(v).startswith("năm 2026"))
    assert unit.name not in heading, heading
    page = get(report_site.committee, organization, rollup="centers").content.decode()
    assert 'id="unit-not-applied"' not in page
