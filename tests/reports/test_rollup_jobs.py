"""A long rollup workbook is written by the background worker.

Beyond ROLLUP_XLSX_INLINE_ROWS rows the Excel button queues a job and shows
its progress page; the file downloaded from it is the workbook the request
would have written. Tests run the job at once (django-tasks' immediate
backend), so the page they are sent to shows the finished job.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from reports import jobs as report_jobs
from reports.exports import rollups as rollup_exports
from reports.models import ReportJob
from tests.conftest import table_snapshot
from tests.reports.test_rollups import PURPOSE, cells, committee_scope, get, url
from trainingcenter.http import XLSX


def downloaded(client, response):
    """Follow the Excel button to its job page and download its file."""
    assert response.status_code == 302
    with scopes_disabled():
        job = ReportJob.objects.get(
            pk=int(response["Location"].strip("/").split("/")[-1])
        )
    assert response["Location"] == reverse("report_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Tệp Excel đã sẵn sàng" in page
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page).group(1)
    assert heading == "Tệp Excel đã sẵn sàng.", heading  # not "Đang chuẩn bị"
    download = reverse("report_job_file", args=[job.pk])
    assert download in page
    return job, client.get(download)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["pipeline", "certified", "units", "centers"])
def test_a_long_rollup_workbook_is_the_same_made_in_the_background(
    report_site, settings, kind
):
    _, organization = committee_scope(report_site)
    inline = get(report_site.committee, organization, "org_rollups_xlsx", rollup=kind)
    assert inline.status_code == 200

    settings.ROLLUP_XLSX_INLINE_ROWS = 0
    client = Client()
    client.force_login(report_site.committee)
    job, response = downloaded(
        client, client.post(url(organization, "org_rollups_xlsx", rollup=kind), PURPOSE)
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == inline["Content-Disposition"]
    assert cells(response)[1] == cells(inline)[1]
    assert (job.kind, job.status, job.steps_done) == (kind, "done", 100)


def body_borders(response) -> set:
    """Whether the body rows are framed (the rows numbered 1, 2…)."""
    return {
        row[1].border.left.style
        for sheet in cells(response)[0].worksheets
        for row in sheet.iter_rows()
        if isinstance(row[0].value, int)
    }


@pytest.mark.django_db
def test_a_pipeline_too_long_to_print_is_written_plain(report_site, settings):
    """Framed for print while short; plain past ROLLUP_XLSX_INLINE_ROWS (the
    same values: the test above)."""
    _, organization = committee_scope(report_site)
    short = get(
        report_site.committee, organization, "org_rollups_xlsx", rollup="pipeline"
    )
    assert body_borders(short) == {"thin"}
    settings.ROLLUP_XLSX_INLINE_ROWS = 0
    client = Client()
    client.force_login(report_site.committee)
    _, long = downloaded(
        client,
        client.post(url(organization, "org_rollups_xlsx", rollup="pipeline"), PURPOSE),
    )
    assert body_borders(long) == {None}


@pytest.mark.django_db
def test_the_progress_bar_moves_as_rows_are_written(report_site, settings, monkeypatch):
    """Every row reports (PROGRESS_EVERY=1): the stored share only grows,
    from "reading" through the rows to the end, with a heartbeat each time."""
    _, organization = committee_scope(report_site)
    settings.ROLLUP_XLSX_INLINE_ROWS = 0
    monkeypatch.setattr(rollup_exports, "PROGRESS_EVERY", 1)
    seen = []
    beat = ReportJob.beat

    def spy(job, **fields):
        beat(job, **fields)
        if "steps_done" in fields:
            seen.append(fields["steps_done"])

    monkeypatch.setattr(ReportJob, "beat", spy)
    client = Client()
    client.force_login(report_site.committee)
    downloaded(
        client,
        client.post(url(organization, "org_rollups_xlsx", rollup="pipeline"), PURPOSE),
    )
    assert seen == sorted(set(seen)), seen
    assert seen[0] == report_jobs.ROLLUP_READ and seen[-1] == 100
    # The fixture's pipeline has two rows: a step between reading and saving.
    assert [s for s in seen if report_jobs.ROLLUP_READ < s < 95], seen


@pytest.mark.django_db
def test_only_its_committee_member_follows_a_rollup_job(report_site, site_b, settings):
    _, organization = committee_scope(report_site)
    settings.ROLLUP_XLSX_INLINE_ROWS = 0
    client = Client()
    client.force_login(report_site.committee)
    job, _ = downloaded(
        client,
        client.post(url(organization, "org_rollups_xlsx", rollup="pipeline"), PURPOSE),
    )
    for user in (site_b.committee, report_site.director, report_site.staff):
        other = Client()
        other.force_login(user)
        for name in ("report_job", "report_job_file"):
            assert other.get(reverse(name, args=[job.pk])).status_code == 404
        assert other.post(reverse("report_job_retry", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_bad_filter_queues_nothing(report_site, site_b, settings):
    _, organization = committee_scope(report_site)
    settings.ROLLUP_XLSX_INLINE_ROWS = 0
    with scopes_disabled():
        other_unit = site_b.center.organization.parent
    before = table_snapshot()
    response = get(
        report_site.committee,
        organization,
        "org_rollups_xlsx",
        rollup="pipeline",
        unit=other_unit.pk,
    )
    assert response.status_code == 400
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert table_snapshot() == before


@pytest.mark.django_db
def test_a_failed_rollup_job_is_made_again_by_its_button(
    report_site, settings, monkeypatch
):
    _, organization = committee_scope(report_site)
    settings.ROLLUP_XLSX_INLINE_ROWS = 0
    client = Client()
    client.force_login(report_site.committee)

    def broken(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(rollup_exports, "workbook", broken)
    response = client.post(
        url(organization, "org_rollups_xlsx", rollup="pipeline"), PURPOSE
    )
    assert response.status_code == 302
    with scopes_disabled():
        job = ReportJob.objects.get(kind="pipeline")
    assert (job.status, job.content, job.error) == (
        "failed",
        None,
        "OSError: disk gone",
    )
    page = client.get(reverse("report_job", args=[job.pk])).content.decode()
    assert "Không tạo được tệp Excel" in page
    assert reverse("report_job_file", args=[job.pk]) not in page
    assert client.get(reverse("report_job_file", args=[job.pk])).status_code == 302

    monkeypatch.undo()
    response = client.post(reverse("report_job_retry", args=[job.pk]))
    _, download = downloaded(client, response)
    names = {row[1] for row in cells(download)[1] if isinstance(row[0], int)}
    assert "Nguyễn Thị Hòa" in names
