"""A committee's workbooks that name people: the purpose asked first, and
the export in the log of each centre of the organization."""

import pytest
from django.test import Client
from django.urls import reverse

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
