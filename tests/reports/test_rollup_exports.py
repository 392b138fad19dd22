"""A committee's workbooks: those that name people ask the purpose first and
are in the log of each centre of the organization; each says what it leaves
out."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from courses.models import ClassType
from enrollment.models import Enrollment, Trainee
from reports import counting, rollups, scope
from tests.factories import make_class, make_trainee
from tests.reports.test_rollups import (  # noqa: F401 (a fixture)
    TODAY,
    D,
    cells,
    committee_scope,
    get,
    pipeline_centers,
    url,
)


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


@pytest.mark.django_db
def test_the_pipeline_counts_who_passed_but_awaits_a_certificate(
    site_a,
    pipeline_centers,  # noqa: F811 (the fixture imported above)
    time_machine,
):
    """Not candidates yet, and said so: passed recently, no certificate. Not:
    a pass too old to count, nor the fixture's "Bị Thu Hồi", whose pass is
    recent enough but whose certificate was revoked, nor its candidates."""
    with scopes_disabled():
        center = pipeline_centers.get()
        awareness = ClassType.objects.get(
            code="nhan-thuc-ve-dang", award_validity_months__isnull=False
        )
        for name, ended in (
            ("Chờ Cấp Giấy", D(2026, 10, 9)),
            ("Đạt Từ Lâu", D(2019, 3, 5)),
        ):
            person = make_trainee(
                center, full_name=name, party_status=Trainee.PartyStatus.NON_MEMBER
            )
            klass = make_class(
                center,
                class_type=awareness,
                start_date=ended - datetime.timedelta(4),
                end_date=ended,
            )
            Enrollment.objects.create(
                training_class=klass, trainee=person, status=Enrollment.Status.COMPLETED
            )
        result = rollups.pipeline(
            pipeline_centers, rollups.Filters(counting.Period.year(2026)), TODAY
        )
    assert result.awaiting_certificate == 1
    assert "Chờ Cấp Giấy" not in {c.name for c in result.candidates}
    time_machine.move_to(datetime.datetime(2026, 11, 23, 9, 0))
    _, organization = committee_scope(site_a)
    page = get(site_a.committee, organization, rollup="pipeline").content.decode()
    note = page[page.index('id="awaiting-certificate"') :]
    assert "Còn 1 người quần chúng đã đạt" in note[:200]
    # The workbook says it too, under its list of candidates.
    made = get(site_a.committee, organization, "org_rollups_xlsx", rollup="pipeline")
    book, _rows = cells(made)
    candidates = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row]
    assert any(v.startswith("Còn 1 người quần chúng đã đạt") for v in candidates)
