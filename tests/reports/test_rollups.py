"""The committees' rollups on the hand-worked centre-year (conftest.py).

Totals are compared with the report of the same period and scope;
the admission pipeline is checked on both sides of its 12-month and 60-month
boundaries; committees see their own organization's centres only and change
nothing; no sensitive field reaches a page or a workbook.
"""

import datetime
import io
import secrets
from urllib.parse import urlencode

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django_scopes import scopes_disabled

from enrollment.models import Certificate, Enrollment, Trainee
from reports import counting, rollups, scope
from tests.conftest import table_snapshot
from tests.factories import (
    make_class,
    make_class_type,
    make_organization,
    make_trainee,
)
from trainingcenter.dates import add_months
from trainingcenter.models import Organization

D = datetime.date
YEAR = {"kind": "year", "year": 2026}
TODAY = D(2026, 11, 23)


def committee_scope(site):
    with scopes_disabled():
        organization = site.center.organization.parent
        return scope.for_organization(site.committee, organization.pk), organization


def url(organization, name="org_rollups", **query):
    return reverse(name, args=[organization.pk]) + "?" + urlencode({**YEAR, **query})


# What a committee member answers before a workbook that names people.
PURPOSE = {"purpose": "committee_report"}


def get(user, organization, name="org_rollups", **query):
    """The page, or the workbook (asked with a purpose, as the form sends it)."""
    client = Client()
    client.force_login(user)
    if name == "org_rollups_xlsx":
        return client.post(url(organization, name, **query), PURPOSE)
    return client.get(url(organization, name, **query))


def cells(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return book, [
        [cell.value for cell in row] for sheet in book for row in sheet.iter_rows()
    ]


@pytest.mark.django_db
def test_by_unit_adds_up_to_the_report(report_site):
    target, _ = committee_scope(report_site)
    period = counting.Period.year(2026)
    with scopes_disabled():
        rollup = rollups.by_unit(target.centers, rollups.Filters(period))
        report = counting.build_report(
            target.centers, period, scope_label="", issuer=target.issuer
        )
    rows = {row.name: row for row in rollup.rows}
    cell, union = rows["Chi bộ Khu phố 1"], rows["Hội Phụ nữ phường"]
    # N1: Hòa, Sáng, Lan (Minh withdrew); N2: Hòa again. Two certificates.
    assert (cell.total.classes, cell.total.sent) == (2, 4)
    assert (cell.total.passed, cell.total.certified) == (3, 2)
    # N2: H'Linh (no result yet); the summer class: Tuấn and Mai.
    assert (union.total.classes, union.total.sent, union.total.passed) == (2, 3, 2)
    codes = {p.pk: p.code for p in rollup.programmes}
    by_code = {codes[pk]: c.sent for pk, c in union.by_programme.items()}
    assert by_code == {"nhan-thuc-ve-dang": 1, "chinh-tri-he": 2}
    # The same enrolments as the report's class lists and its units table.
    total = rollup.total.total
    assert total.sent == report.total.listed == sum(u.enrolled for u in report.units)
    assert total.passed == sum(u.passed for u in report.units)
    # The report's certificates less the 25 the historic class declared.
    assert total.certified == report.total.certified - 25
    # Classes with a list of trainees, each once (the historic one has none).
    assert total.classes == report.total.classes - 1 == 3
    # The historic class is said beside the table, with what it declared.
    classes, enrolled = rollup.without_roster
    assert classes == 1 and total.sent + enrolled == report.total.enrolled


@pytest.mark.django_db
def test_by_center_is_the_reports_biểu_1_total(report_site):
    target, _ = committee_scope(report_site)
    period = counting.Period.year(2026)
    with scopes_disabled():
        rollup = rollups.by_center(target.centers, rollups.Filters(period))
        report = counting.build_report(
            target.centers, period, scope_label="", issuer=target.issuer
        )
    assert [row.name for row in rollup.rows] == ["Trung tâm Chính trị A"]
    (row,) = rollup.rows
    assert (row.classes, row.enrolled) == (report.total.classes, report.total.enrolled)
    assert row.plan_share == report.total.plan_trainees_share
    assert row.plan_classes_share == report.total.plan_classes_share
    assert (rollup.total.classes, rollup.total.enrolled) == (4, 37)
    assert sum(rollup.total.cells(rollup.programmes)) == 37


@pytest.mark.django_db
def test_the_workbooks_are_printable_tables_of_true_numbers(report_site):
    _, organization = committee_scope(report_site)
    response = get(report_site.committee, organization, "org_rollups_xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="tong-hop-theo-don-vi-'
    )
    assert "no-store" in response["Cache-Control"]
    book, _ = cells(response)
    assert book.sheetnames == ["Số học viên cử đi", "Đạt", "Được cấp GCN"]
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows

    def row_of(sheet, first):
        return next(
            [c.value for c in row]
            for row in book[sheet].iter_rows()
            if first in (row[0].value, row[1].value)
        )

    # Classes (N1, N2, the summer class: each once), then per programme
    # (nhận thức, chính trị hè), then the total.
    assert row_of("Số học viên cử đi", "Tổng cộng")[2:] == [3, 5, 2, 7]
    assert row_of("Số học viên cử đi", "Chi bộ Khu phố 1")[2:] == [2, 4, 0, 4]
    assert row_of("Đạt", "Tổng cộng")[2:] == [3, 2, 5]
    assert row_of("Được cấp GCN", "Tổng cộng")[2:] == [2, 0, 2]

    response = get(
        report_site.committee, organization, "org_rollups_xlsx", rollup="centers"
    )
    _, rows = cells(response)
    total = next(row for row in rows if row[0] == "Tổng cộng")
    # Classes, enrolments, then % of plan in classes (3 of 5) and in trainees.
    assert total[2:6] == [4, 37, 0.6, 0.25]
    response = get(
        report_site.committee, organization, "org_rollups_xlsx", rollup="certified"
    )
    _, rows = cells(response)
    names = [row[2] for row in rows if isinstance(row[0], int)]
    assert names == ["Nguyễn Thị Hòa", "Hoàng Văn Sáng"]  # by given name


@pytest.mark.django_db
def test_unit_names_stay_as_they_were_or_follow_the_merger(site_a):
    """A commune merged on 1 July 2025: a 2024 rollup shows it by its old name;
    by today's communes it and its cell are counted under the new commune."""
    center = site_a.center
    with scopes_disabled():
        old = make_organization(name="Xã Cũ", valid_to=D(2025, 6, 30))
        new = make_organization(name="Xã Mới", valid_from=D(2025, 7, 1))
        old.successors.add(new)
        cell = make_organization(name="Chi bộ thôn 1", level="cell", parent=old)
        # A district's union before July 2025: under the district's committee,
        # whose successor (the first, of two) is the new commune.
        district = make_organization(
            name="Huyện ủy Cũ", level="district", valid_to=D(2025, 6, 30)
        )
        district.successors.add(new, make_organization(name="Xã Khác"))
        union = make_organization(
            name="Huyện đoàn Cũ",
            kind="mass_organization",
            level="district",
            parent=district,
        )
        training_class = make_class(
            center, start_date=D(2024, 4, 1), end_date=D(2024, 4, 5)
        )
        for unit in (old, cell, cell, union):
            Enrollment.objects.create(
                training_class=training_class,
                trainee=make_trainee(
                    center, full_name=f"Lê Văn {unit.pk}{secrets.token_hex(2)}"
                ),
                unit=unit,
            )
        period = counting.Period.year(2024)
        centers = center.__class__.objects.filter(pk=center.pk)
        then = rollups.by_unit(centers, rollups.Filters(period))
        today = rollups.by_unit(centers, rollups.Filters(period, by_today=True))
    assert {(r.name, r.total.sent) for r in then.rows} == {
        ("Xã Cũ", 1),
        ("Chi bộ thôn 1", 2),
        ("Huyện đoàn Cũ", 1),
    }
    # One class: once in the row that gathers its three units, and in total.
    assert [(r.name, r.total.sent, r.total.classes) for r in today.rows] == [
        ("Xã Mới", 4, 1)
    ]
    assert (today.total.total.classes, then.total.total.classes) == (1, 1)


def _certificate(trainee, class_type, valid_until, **fields):
    training_class = make_class(
        trainee.center,
        class_type=class_type,
        start_date=D(2022, 3, 1),
        end_date=D(2022, 3, 5),
    )
    enrollment = Enrollment.objects.create(
        training_class=training_class,
        trainee=trainee,
        status=Enrollment.Status.COMPLETED,
    )
    return Certificate.objects.create(
        enrollment=enrollment,
        kind=Certificate.Kind.CERTIFICATE,
        issuer=trainee.center.organization,
        year=2022,
        number=Certificate.objects.count() + 1,
        number_text=f"{Certificate.objects.count() + 1}/GCN",
        issued_on=D(2022, 3, 5),
        valid_until=valid_until,
        code=secrets.token_urlsafe(16),
        **fields,
    )


def _person(center, name, status, **fields):
    return make_trainee(center, full_name=name, party_status=status, **fields)


def _admitted(days_to_end):
    """An admission date whose 12 months end `days_to_end` days from today."""
    ends = TODAY + datetime.timedelta(days_to_end)
    return add_months(ends, -12)


def _candidates_on_both_sides(center, awareness):
    """Certificates for an admission file, valid 60 months (to valid_until):
    expired yesterday, valid today, 60 and 61 days more; a member's; a
    revoked one."""
    non_member = Trainee.PartyStatus.NON_MEMBER
    _certificate(
        _person(center, "Hết Hạn Hôm Qua", non_member),
        awareness,
        TODAY - datetime.timedelta(1),
    )
    _certificate(_person(center, "Còn Hôm Nay", non_member), awareness, TODAY)
    _certificate(
        _person(center, "Còn Sáu Mươi", non_member),
        awareness,
        TODAY + datetime.timedelta(60),
    )
    _certificate(
        _person(center, "Còn Sáu Mốt", non_member),
        awareness,
        TODAY + datetime.timedelta(61),
    )
    _certificate(
        _person(
            center,
            "Đã Vào Đảng",
            Trainee.PartyStatus.PROBATIONARY,
            admission_date=TODAY,
        ),
        awareness,
        TODAY + datetime.timedelta(900),
    )
    revoked = _certificate(
        _person(center, "Bị Thu Hồi", non_member),
        awareness,
        TODAY + datetime.timedelta(900),
    )
    revoked.revoked_at = datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
    revoked.save()


def _probationers_on_both_sides(center, new_members):
    """Probation ending in 60 and 61 days, ended yesterday; one who finished
    the new-member course, one who failed it."""
    probationary = Trainee.PartyStatus.PROBATIONARY
    for name, days in (
        ("Hết Thử Thách Sau 60 Ngày", 60),
        ("Hết Thử Thách Sau 61 Ngày", 61),
        ("Đã Quá Hạn", -1),
    ):
        _person(center, name, probationary, admission_date=_admitted(days))
    done = _person(center, "Đã Học Xong", probationary, admission_date=_admitted(10))
    course = make_class(
        center,
        class_type=new_members,
        start_date=D(2026, 5, 4),
        end_date=D(2026, 5, 8),
    )
    Enrollment.objects.create(
        training_class=course, trainee=done, status=Enrollment.Status.COMPLETED
    )
    failed = _person(center, "Chưa Đạt", probationary, admission_date=_admitted(20))
    Enrollment.objects.create(
        training_class=course, trainee=failed, status=Enrollment.Status.FAILED
    )


@pytest.fixture
def pipeline_centers(site_a):
    """Site A's centre, with people on both sides of each pipeline boundary."""
    center = site_a.center
    with scopes_disabled():
        awareness = make_class_type()
        new_members = make_class_type(code="dang-vien-moi")
        _candidates_on_both_sides(center, awareness)
        _probationers_on_both_sides(center, new_members)
    return center.__class__.objects.filter(pk=center.pk)


@pytest.mark.django_db
def test_the_pipeline_flags_both_sides_of_its_boundaries(pipeline_centers):
    centers = pipeline_centers
    with scopes_disabled():
        result = rollups.pipeline(
            centers, rollups.Filters(counting.Period.year(2026)), TODAY
        )
        # A page reads only its first rows but counts in the database: the
        # same totals and the same flagged count as the whole list.
        page = rollups.pipeline(
            centers, rollups.Filters(counting.Period.year(2026)), TODAY, limit=2
        )
    assert (page.candidate_count, page.probationer_count, page.flagged) == (
        3,
        len(result.probationers),
        3,
    )
    assert page.candidates == result.candidates[:2]
    assert page.probationers == result.probationers[:2]
    candidates = {c.name: c.expires_soon for c in result.candidates}
    # Expired yesterday, revoked, or already a member: not a candidate.
    assert candidates == {
        "Còn Hôm Nay": True,
        "Còn Sáu Mươi": True,
        "Còn Sáu Mốt": False,
    }
    probationers = {p.name: (p.flagged, p.finished_on) for p in result.probationers}
    assert probationers["Hết Thử Thách Sau 60 Ngày"] == (True, None)
    assert probationers["Hết Thử Thách Sau 61 Ngày"] == (False, None)
    assert probationers["Đã Quá Hạn"] == (True, None)
    assert probationers["Đã Học Xong"] == (False, D(2026, 5, 8))
    assert probationers["Chưa Đạt"] == (True, None)
    assert probationers["Đã Vào Đảng"][0] is False  # ends in 12 months
    assert result.flagged == 3


def test_the_last_admission_date_whose_probation_ends_by_a_day():
    """Counted in the database, "flagged" needs the last admission date whose
    12 months end by a day; months clamp (29/02 + 12 months = 28/02), so
    check it against add_months for every day of four years."""
    admitted = [D(2023, 1, 1) + datetime.timedelta(n) for n in range(4 * 366 + 400)]
    for ends_by in (D(2024, 1, 1) + datetime.timedelta(n) for n in range(4 * 366)):
        expected = max(a for a in admitted if add_months(a, 12) <= ends_by)
        assert rollups.admitted_by(ends_by) == expected, ends_by
    assert rollups.admitted_by(D(2025, 2, 28)) == D(2024, 2, 29)


@pytest.mark.django_db
def test_a_committee_sees_only_its_own_organization(report_site, site_b):
    _, organization = committee_scope(report_site)
    with scopes_disabled():
        other = site_b.center.organization.parent
    for name in ("org_rollups", "org_rollups_xlsx"):
        # Another committee, the centre's own staff and director: 404.
        for user in (site_b.committee, report_site.staff, report_site.director):
            assert get(user, organization, name).status_code == 404
        assert get(report_site.committee, other, name).status_code == 404
        # A unit of another organization is not one of the choices.
        response = get(report_site.committee, organization, name, unit=other.pk)
        assert response.status_code == 400
        assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    page = get(report_site.committee, organization).content.decode()
    assert "Người Khác" not in page  # site B's trainee
    assert (
        "Trung tâm Chính trị B"
        not in get(
            report_site.committee, organization, rollup="centers"
        ).content.decode()
    )


@pytest.mark.django_db
def test_rollups_change_nothing_and_answer_no_post(report_site):
    _, organization = committee_scope(report_site)
    client = Client()
    client.force_login(report_site.committee)
    before = table_snapshot()
    assert client.post(url(organization, "org_rollups")).status_code == 405
    # A workbook that names people, asked without a purpose: refused, no file.
    for rollup in ("certified", "pipeline"):
        refused = client.post(url(organization, "org_rollups_xlsx", rollup=rollup))
        assert refused.status_code == 400
        assert "Hãy chọn mục đích" in refused.content.decode()
        assert refused["Content-Type"].startswith("text/html")
    assert table_snapshot() == before


@pytest.mark.django_db
def test_no_sensitive_field_reaches_a_rollup(report_site):
    """No citizen ID, ethnicity, religion or birth date on the pages or in
    the workbooks (the fixture's trainees have ethnicities; give them the rest)."""
    _, organization = committee_scope(report_site)
    with scopes_disabled():
        for number, trainee in enumerate(
            Trainee.objects.filter(center=report_site.center)
        ):
            trainee.citizen_id = f"00109501234{number}"
            trainee.birth_date = D(1991, 8, 19)
            trainee.save()
        hoa = Trainee.objects.get(full_name="Nguyễn Thị Hòa")
        hoa.party_status = Trainee.PartyStatus.PROBATIONARY
        hoa.admission_date = D(2026, 1, 10)
        hoa.save()
    secrets_ = ["0010950123", "19/08/1991", "1991-08-19", "Tày", "Ê Đê"]
    for rollup in ("units", "certified", "centers", "pipeline"):
        page = get(report_site.committee, organization, rollup=rollup)
        assert page.status_code == 200
        text = page.content.decode()
        assert not [s for s in secrets_ if s in text], rollup
        response = get(
            report_site.committee, organization, "org_rollups_xlsx", rollup=rollup
        )
        _, rows = cells(response)
        values = " ".join(str(v) for row in rows for v in row if v is not None)
        assert not [s for s in secrets_ if s in values], rollup
        assert datetime.datetime(1991, 8, 19) not in [v for row in rows for v in row]
    assert (
        "Nguyễn Thị Hòa"
        in get(report_site.committee, organization, rollup="pipeline").content.decode()
    )


@pytest.mark.django_db
def test_unit_names_that_look_like_formulas_stay_text(site_a):
    center = site_a.center
    with scopes_disabled():
        unit = make_organization(
            name='=HYPERLINK("http://evil.example","Xem")',
            parent=center.organization.parent,
        )
        training_class = make_class(center)
        Enrollment.objects.create(
            training_class=training_class,
            trainee=make_trainee(center, full_name="Lê Văn Ba"),
            unit=unit,
        )
        organization = center.organization.parent
    response = get(site_a.committee, organization, "org_rollups_xlsx")
    book, _ = cells(response)
    found = [
        cell
        for row in book.worksheets[0].iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")
    ]
    assert found and all(cell.data_type == "s" for cell in found)
    # Filtered to that unit, the rollup shows only it.
    response = get(site_a.committee, organization, unit=unit.pk)
    assert response.status_code == 200
    assert (
        escape(Organization.objects.get(pk=unit.pk).name) in response.content.decode()
    )


@pytest.mark.django_db
def test_long_lists_show_their_first_rows_and_say_so(report_site, monkeypatch):
    """The page shows the first rows of a long pipeline; the workbook has all."""
    from reports import views

    monkeypatch.setattr(views, "ROWS_ON_PAGE", 1)
    _, organization = committee_scope(report_site)
    page = get(report_site.committee, organization, rollup="pipeline")
    text = page.content.decode()
    assert "Trang hiện 1 trong số 2 người" in text
    assert text.count("Nguyễn Thị Hòa") + text.count("Hoàng Văn Sáng") == 1
    response = get(
        report_site.committee, organization, "org_rollups_xlsx", rollup="pipeline"
    )
    _, rows = cells(response)
    names = {row[1] for row in rows if isinstance(row[0], int)}
    assert {"Nguyễn Thị Hòa", "Hoàng Văn Sáng"} <= names
