"""Exports of personal data need a purpose and are logged; opening a record
is logged; the director reads the logs and makes a person's own file."""

import datetime
import io
import logging

import openpyxl
import pytest
from django.test import Client
from django_scopes import scopes_disabled
from pypdf import PdfReader

from enrollment.models import AccessLog, ExportLog, RecordChange
from enrollment.services import privacy as privacy_service
from tests.conftest import table_snapshot, url
from tests.factories import make_class, make_enrollment, make_trainee
from trainingcenter.privacy import MaskCitizenIdsFilter, mask_ids_in


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def person(site_a):
    trainee = make_trainee(site_a.center, citizen_id="001095001234")
    make_enrollment(make_class(site_a.center), trainee)
    return trainee


@pytest.mark.django_db
def test_a_staff_export_without_a_purpose_is_refused_and_writes_nothing(site_a, person):
    staff = client_for(site_a.staff)
    asked = staff.get(url("enrollment:registry_export"))
    assert asked.status_code == 200
    assert asked["Content-Type"].startswith("text/html")
    assert "Mục đích xuất dữ liệu" in asked.content.decode()
    before = table_snapshot()
    for data in ({}, {"purpose": "nonsense"}, {"purpose": "other"}):
        refused = staff.post(url("enrollment:registry_export"), data)
        assert refused.status_code == 400
        assert refused["Content-Type"].startswith("text/html")
        assert "Chưa tạo tệp" in refused.content.decode()
    assert "hãy ghi rõ mục đích" in refused.content.decode()
    assert table_snapshot() == before


@pytest.mark.django_db
def test_the_log_holds_the_export_with_its_count_and_the_director_reads_it(
    site_a, person
):
    with scopes_disabled():
        make_trainee(site_a.center, full_name="Trần Văn Bình")
    staff = client_for(site_a.staff)
    response = staff.post(
        url("enrollment:registry_export"),
        {"purpose": "other", "purpose_detail": "Đối chiếu với 001095009999"},
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [v for row in book.active.iter_rows(values_only=True) for v in row]
    assert "••••••••1234" in values and "001095001234" not in values
    with scopes_disabled():
        entry = ExportLog.objects.get()
    assert (entry.user, entry.center, entry.kind) == (
        site_a.staff,
        site_a.center,
        "registry",
    )
    assert entry.people == 2
    assert entry.purpose_detail == "Đối chiếu với ••••••••9999"

    director = client_for(site_a.director)
    page = director.get(url("enrollment:export_log")).content.decode()
    assert site_a.staff.username in page and "Đối chiếu với" in page
    only_roster = director.get(url("enrollment:export_log") + "?kind=roster")
    table = only_roster.content.decode().split("<form")[-1].split("</form>")[-1]
    assert site_a.staff.username not in table
    workbook = director.get(url("enrollment:export_log_xlsx") + "?kind=registry")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if site_a.staff.username in r]
    assert len(rows) == 1 and 2 in rows[0]
    for user in (site_a.staff, site_a.committee):
        assert client_for(user).get(url("enrollment:export_log")).status_code == 403


@pytest.mark.django_db
def test_an_unusual_daily_volume_is_flagged_to_the_director(site_a, person, settings):
    settings.PERSONAL_DATA_DAILY_EXPORT_LIMIT = 1
    staff = client_for(site_a.staff)
    dashboard = url("reports:dashboard")
    staff.post(url("enrollment:registry_export"), {"purpose": "committee_report"})
    assert "bất thường" not in client_for(site_a.director).get(dashboard).text
    with scopes_disabled():
        make_trainee(site_a.center, full_name="Trần Văn Bình")
    staff.post(url("enrollment:registry_export"), {"purpose": "committee_report"})
    flagged = client_for(site_a.director).get(dashboard).text
    assert "bất thường" in flagged and site_a.staff.username in flagged
    assert "bất thường" not in staff.get(dashboard).text


@pytest.mark.django_db
def test_opening_a_record_is_logged_and_the_director_sees_who(site_a, person):
    staff = client_for(site_a.staff)
    page = staff.get(url("enrollment:trainee_detail", person.pk)).text
    assert "••••••••1234" in page and "001095001234" not in page
    with scopes_disabled():
        entry = AccessLog.objects.get()
    assert (entry.user, entry.trainee) == (site_a.staff, person)
    director = client_for(site_a.director)
    page = director.get(url("enrollment:trainee_detail", person.pk)).text
    assert "001095001234" in page
    assert site_a.staff.username in page  # who opened it, on the person's page
    centre = director.get(url("enrollment:access_log")).text
    assert site_a.staff.username in centre and person.full_name in centre
    mine = director.get(url("enrollment:access_log") + f"?user={site_a.director.pk}")
    assert site_a.staff.username not in mine.text.split("</form>")[-1]
    assert staff.get(url("enrollment:access_log")).status_code == 403


@pytest.mark.django_db
def test_a_persons_file_lists_the_access_and_is_logged(site_a, person):
    site_a.staff.last_name, site_a.staff.first_name = "Trần Văn", "Minh"
    site_a.staff.save()
    site_a.center.director_name = "Võ Thị Ký"
    site_a.center.save()
    client_for(site_a.staff).get(url("enrollment:trainee_detail", person.pk))
    director = client_for(site_a.director)
    purpose = {"purpose": "own_request"}
    pdf = director.post(url("enrollment:person_file_pdf", person.pk), purpose)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "no-store"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert person.full_name in text and "001095001234" in text
    assert "Trần Văn Minh" in text  # who opened it, by name, not by login
    assert "Yêu cầu của chính người học" in text
    assert "Võ Thị Ký" in text  # signed like the centre's other papers
    with scopes_disabled():
        enrolled = person.enrollments.select_related("training_class__class_type")
        klass = enrolled.get().training_class
        changes = privacy_service.person_file(person).changes
    # Each change names the class with its intake, not the programme alone.
    assert changes[0]["what"] == f"{klass.class_type.name} khóa I"
    # The class column is as wide as its names, not a sixth of the table.
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert any("Bồi dưỡng nhận thức về Đảng" in line for line in lines), lines
    xlsx = director.post(url("enrollment:person_file_xlsx", person.pk), purpose)
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    seen = [v for row in book["Người đã xem"].iter_rows(values_only=True) for v in row]
    assert "Trần Văn Minh" in seen and site_a.staff.username not in seen
    exported = [v for row in book["Lần xuất"].iter_rows(values_only=True) for v in row]
    assert site_a.director.username in exported  # the PDF made just before
    with scopes_disabled():
        assert ExportLog.objects.filter(kind="person_file", trainee=person).count() == 2
    staff = client_for(site_a.staff)
    assert (
        staff.post(url("enrollment:person_file_pdf", person.pk), purpose).status_code
        == 403
    )


@pytest.mark.django_db
def test_a_citizen_id_never_goes_into_an_address(site_a, person):
    staff = client_for(site_a.staff)
    by_name = staff.post(url("enrollment:trainee_list"), {"q": "Hòa"})
    assert by_name.status_code == 302 and "q=H" in by_name["Location"]
    by_id = staff.post(url("enrollment:trainee_list"), {"q": "001095001234"})
    assert by_id.status_code == 200  # answered on the POST, by the keyed hash
    assert person.full_name in by_id.text
    assert "q=001095001234" not in by_id.text  # no link carries the ID
    with scopes_disabled():
        make_trainee(site_a.center, full_name="Trần Văn Khác")
    other = staff.post(url("enrollment:trainee_list"), {"q": "001095009999"})
    assert person.full_name not in other.text and "Trần Văn Khác" not in other.text
    typed = staff.get(url("enrollment:trainee_list") + "?q=001095001234")
    assert typed.status_code == 302 and "001095001234" not in typed["Location"]
    with scopes_disabled():
        klass = make_class(site_a.center)
    enrol = staff.get(url("enrollment:enrollment_add", klass.pk) + "?q=001095001234")
    assert enrol.status_code == 302 and "001095001234" not in enrol["Location"]


def test_a_log_line_never_holds_a_citizen_id():
    record = logging.LogRecord(
        "trainingcenter.audit", logging.INFO, __file__, 1,
        "lookup %s failed", ("001095001234",), None,
    )  # fmt: skip
    try:
        raise ValueError("Key (citizen_id)=(079203004567) already exists.")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert MaskCitizenIdsFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert "001095001234" not in formatted and "079203004567" not in formatted
    assert "••••••••1234" in formatted and "••••••••4567" in formatted
    # A longer number (a phone with its country code, an account) is not an ID.
    assert mask_ids_in("0084912345678 and 2026") == "0084912345678 and 2026"
    assert datetime.date.today()  # the filter never drops a record


def test_the_servers_log_handler_masks_an_id_whoever_logs_it():
    """The configured console handler (settings.LOGGING), not only the filter:
    an audit line, a library's warning and a traceback all come out masked."""
    handler = next(
        h for h in logging.getLogger("trainingcenter").handlers if h.name == "console"
    )
    stream, handler.stream = handler.stream, io.StringIO()
    try:
        logging.getLogger("trainingcenter.audit").warning(
            "lookup citizen=%s", "001095001234"
        )
        logging.getLogger("django.request").error("Bad Request: ?q=079203004567")
        written = handler.stream.getvalue()
    finally:
        handler.stream = stream
    assert "001095001234" not in written and "079203004567" not in written
    assert written.count("••••••••") == 2


@pytest.mark.django_db
def test_opening_a_record_costs_one_insert(site_a, person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = client_for(site_a.staff)
    staff.get(url("enrollment:trainee_detail", person.pk))  # session, caches
    with CaptureQueriesContext(connection) as queries:
        assert staff.get(url("enrollment:trainee_detail", person.pk)).status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]  # the login's own bookkeeping
    ]
    assert len(writes) == 1 and "accesslog" in writes[0].lower()


@pytest.mark.django_db
def test_the_log_says_what_each_export_was_filtered_by_in_words(site_a, person):
    """Not "class=30" or "kind=year, rollup=pipeline": the director reads the
    class's name and the year (the rollup is the export's kind), on the page
    and in the workbook."""
    director = client_for(site_a.director)
    with scopes_disabled():
        klass = person.enrollments.get().training_class
        ExportLog.objects.create(
            center=site_a.center,
            user=site_a.director,
            kind="pipeline",
            file_format="xlsx",
            filters={"kind": "year", "year": "2026", "rollup": "pipeline"},
            people=3,
            purpose="committee_report",
        )
    director.post(
        url("enrollment:roster_export", klass.pk),
        {"purpose": "other", "purpose_detail": "Kiểm tra"},
    )
    page = director.get(url("enrollment:export_log")).content.decode()
    workbook = director.get(url("enrollment:export_log_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    cells = {v for row in sheet.iter_rows(values_only=True) for v in row}
    for said in (
        f"Lớp: {klass}",
        "Năm 2026",
    ):
        assert said in page and said in cells, said
    assert f"class={klass.pk}" not in page and "rollup=" not in page


@pytest.mark.django_db
def test_a_correction_of_a_record_is_logged_and_in_the_persons_file(site_a, person):
    """Which fields, who and when; not the values (the record holds them)."""
    staff = client_for(site_a.staff)
    edit = url("enrollment:trainee_update", person.pk)
    form = staff.get(edit).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields
    }
    data["unit"] = data.get("unit") or ""
    assert staff.post(edit, data).status_code == 302  # as it was: nothing logged
    with scopes_disabled():
        assert not RecordChange.objects.exists()
    response = staff.post(
        edit, {**data, "position": "Bí thư chi bộ", "ethnicity": "Tày"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        change = RecordChange.objects.get()
    assert (change.user, change.trainee, sorted(change.fields)) == (
        site_a.staff,
        person,
        ["ethnicity", "position"],
    )
    director = client_for(site_a.director)
    page = director.get(url("enrollment:trainee_detail", person.pk)).content.decode()
    history = page[page.index('id="record-history"') :]
    assert "đã sửa: " in history and "Chức vụ" in history
    book = openpyxl.load_workbook(
        io.BytesIO(
            director.post(
                url("enrollment:person_file_xlsx", person.pk),
                {"purpose": "own_request"},
            ).content
        )
    )
    rows = [r for r in book["Lịch sử thay đổi"].iter_rows(values_only=True)]
    (row,) = [r for r in rows if r[2] and str(r[2]).startswith("Hồ sơ cá nhân")]
    assert "Chức vụ" in row[2] and row[-1] == "Sửa hồ sơ"
    assert "Bí thư chi bộ" not in str(rows) and "Tày" not in str(rows)


@pytest.mark.django_db
def test_the_director_reads_how_long_identifying_details_are_kept(site_a):
    director = client_for(site_a.director)
    page = director.get(url("enrollment:export_log")).content.decode()
    assert "Trung tâm chưa đặt thời hạn lưu giữ" in page
    site_a.center.retention_months = 60
    site_a.center.save()
    page = director.get(url("enrollment:export_log")).content.decode()
    assert "Thông tin định danh được lưu 60 tháng sau lớp học cuối cùng" in page
    assert "chưa đặt thời hạn" not in page


@pytest.mark.django_db
def test_log_filters_name_staff_and_no_form_shows_djangos_dashes(site_a, person):
    site_a.staff.last_name, site_a.staff.first_name = "Trần Văn", "Minh"
    site_a.staff.save()
    director = client_for(site_a.director)
    for page in (
        director.get(url("enrollment:export_log")).text,
        director.get(url("enrollment:access_log")).text,
        director.get(url("enrollment:trainee_update", person.pk)).text,
    ):
        assert "---------" not in page
    log = director.get(url("enrollment:access_log")).text
    assert f'<option value="{site_a.staff.pk}">Trần Văn Minh</option>' in log
