"""Uploading, previewing and confirming a list: its owner only, refused files kept
nowhere, formulas never written as formulas."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from enrollment.models import ColumnMapping, Enrollment, ImportBatch, Trainee
from tests.conftest import table_snapshot, url
from tests.enrollment.excel import person, workbook
from tests.enrollment.paperwork import pdf_text
from tests.factories import make_class, make_enrollment, make_organization, make_trainee
from trainingcenter.models import Organization

# The import is asked once; the tests answer yes.
CONFIRMED = {"confirmed": "1"}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def klass(site_a):
    with scopes_disabled():
        return make_class(site_a.center)


def upload(client, klass, content, **extra):
    return client.post(
        url("enrollment:import_upload", klass.pk),
        {"file": SimpleUploadedFile("danh sách.xlsx", content), **extra},
    )


def test_upload_preview_confirm(site_a, klass):
    staff = client_for(site_a.staff)
    response = upload(
        staff,
        klass,
        workbook(
            [person(1, "Nguyễn Văn An"), person(2, "<img src=x onerror=alert(1)> Bình")]
        ),
    )
    preview = staff.get(response["Location"])
    assert "Lỗi: 1" in preview.text  # the hostile name is refused, and shown escaped
    assert "&lt;img src=x onerror=alert(1)&gt;" in preview.text
    assert "<img src=x" not in preview.text
    errors = staff.get(response["Location"] + "errors.xlsx")
    assert errors["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(errors.content))
    assert book.active["B6"].comment is not None
    assert book.active["B6"].value.startswith("<img")
    before = table_snapshot()
    refused = staff.post(response["Location"] + "confirm/", CONFIRMED, follow=True)
    assert "Có 1 dòng bị lỗi" in refused.text
    assert table_snapshot() == before

    response = upload(staff, klass, workbook([person(1, "Nguyễn Văn An")]))
    preview = staff.get(response["Location"])
    assert "Người mới: 1" in preview.text
    done = staff.post(response["Location"] + "confirm/", CONFIRMED, follow=True)
    assert "1 người mới và 0 người đã có" in done.text
    with scopes_disabled():
        assert Enrollment.objects.get().trainee.full_name == "Nguyễn Văn An"
        confirmed = ImportBatch.objects.exclude(confirmed_at=None).get()
    assert confirmed.sheet == {} and confirmed.user == site_a.staff
    # The browser's Back, then the button again: said, and nothing written.
    before = table_snapshot()
    for again in (
        staff.post(response["Location"] + "confirm/", CONFIRMED, follow=True),
        staff.get(response["Location"], follow=True),
    ):
        assert again.redirect_chain[-1][0] == klass.get_absolute_url()
        assert "Danh sách này đã được ghi danh lúc" in again.text
    assert table_snapshot() == before
    assert staff.get(response["Location"] + "errors.xlsx").status_code == 404


def test_an_upload_belongs_to_its_uploader_centre_and_class(site_a, site_b, klass):
    staff = client_for(site_a.staff)
    location = upload(staff, klass, workbook([person(1, "Nguyễn Văn An")]))["Location"]
    with scopes_disabled():
        other_class = make_class(site_a.center)
    before = table_snapshot()
    for other in (site_a.director, site_b.staff):
        client = client_for(other)
        assert client.get(location).status_code == 404
        assert client.post(location + "confirm/", CONFIRMED).status_code == 404
    token = location.rstrip("/").rsplit("/", 1)[1]
    assert (
        staff.get(url("enrollment:import_preview", other_class.pk, token)).status_code
        == 404
    )
    assert table_snapshot() == before


def test_an_old_upload_has_expired(site_a, klass):
    staff = client_for(site_a.staff)
    location = upload(staff, klass, workbook([person(1, "Nguyễn Văn An")]))["Location"]
    with scopes_disabled():
        ImportBatch.objects.update(
            created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        )
    response = staff.post(location + "confirm/", CONFIRMED, follow=True)
    assert "đã hết hạn" in response.text
    with scopes_disabled():
        assert not Enrollment.objects.exists()
    upload(staff, klass, workbook([person(1, "Lê Văn Mới")]))
    with scopes_disabled():
        assert ImportBatch.objects.count() == 1  # the expired one is gone


@pytest.mark.parametrize(
    "content, message",
    [
        (b"Ho ten;Ngay sinh\n", "không phải là tệp Excel"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600, "mật khẩu"),
    ],
)
def test_refused_files_store_nothing(site_a, klass, content, message):
    before = table_snapshot()
    response = upload(client_for(site_a.staff), klass, content)
    assert response.status_code == 200 and message in response.text
    assert table_snapshot() == before


def test_a_director_creates_a_missing_unit_from_the_preview(site_a, klass):
    director = client_for(site_a.director)
    location = upload(
        director, klass, workbook([person(1, "Nguyễn Văn An", unit="Chi bộ Khu 9")])
    )["Location"]
    page = director.get(location)
    assert "Chi bộ Khu 9" in page.text and "Tạo đơn vị này" in page.text
    director.post(
        location + "unit/",
        {
            "name": "Chi bộ Khu 9",
            "parent": site_a.center.organization.parent.pk,
            "kind": "party_cell",
        },
    )
    unit = Organization.objects.get(name="Chi bộ Khu 9")
    assert unit.level == "cell"
    assert "Người mới: 1" in director.get(location).text
    staff = client_for(site_a.staff)
    staff_location = upload(
        staff, klass, workbook([person(1, "Lê Văn Bảy", unit="Chi bộ Khu 10")])
    )["Location"]
    assert "Tạo đơn vị này" not in staff.get(staff_location).text
    assert staff.post(staff_location + "unit/", {"name": "X"}).status_code == 403


def test_column_mapping_is_chosen_and_remembered_for_the_header_row(site_a, klass):
    """The choice is kept for the centre as soon as it is made (a corrected
    file is often uploaded before anything is confirmed), whoever sends the
    next list with the same headers."""
    unit = make_organization(parent=site_a.center.organization.parent, name="Chi bộ A")
    headers = ["TT", "Tên đầy đủ", "Sinh ngày", "Phái"]
    content = workbook([[1, "Nguyễn Văn An", "01/02/1990", "Nam"]], headers=headers)
    staff = client_for(site_a.staff)
    location = upload(staff, klass, content, sending_unit=unit.pk)["Location"]
    page = staff.get(location)
    assert "Không tìm thấy cột “Họ và tên”" in page.text
    indexes = dict(
        re.findall(
            r'<tr><td>([^<]+)</td><td>\s*<select class="form-select '
            r'form-select-sm" name="col-(\d+)"',
            page.text,
        )
    )
    staff.post(
        location,
        {
            f"col-{indexes['Tên đầy đủ']}": "full_name",
            f"col-{indexes['Sinh ngày']}": "birth_date",
            f"col-{indexes['Phái']}": "gender",
        },
    )
    assert "Người mới: 1" in staff.get(location).text
    with scopes_disabled():
        remembered = ColumnMapping.objects.get(center=site_a.center)
        assert remembered.mapping["tendaydu"] == "full_name"
        assert remembered.headers == headers
        second = make_class(site_a.center)
    next_file = workbook([[1, "Trần Thị Bình", "01/02/1991", "Nữ"]], headers=headers)
    location = upload(staff, second, next_file)["Location"]
    page = staff.get(location)
    assert "Người mới: 1" in page.text
    assert "Đã áp dụng cách đọc cột đã lưu" in page.text
    other = workbook([[1, "Trần Thị Bình", "01/02/1991"]], headers=headers[:3])
    page = staff.get(upload(staff, second, other)["Location"])
    assert "Đã áp dụng cách đọc cột đã lưu" not in page.text


def test_template_has_headers_dropdowns_and_the_class_title(site_a, klass):
    response = client_for(site_a.staff).get(url("enrollment:class_template", klass.pk))
    assert response["Cache-Control"] == "no-store"
    assert "filename*=utf-8''" in response["Content-Disposition"].lower() or (
        "filename=" in response["Content-Disposition"]
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert "Bồi dưỡng nhận thức về Đảng" in sheet["A2"].value
    assert [c.value for c in sheet[4]][:3] == ["Họ và tên", "Ngày sinh", "Giới tính"]
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert '"Nam,Nữ"' in lists
    assert any("Đảng viên dự bị" in formula for formula in lists)
    assert "Nguyễn Thị Hòa" in sheet["A3"].value  # the example, above the header
    assert all(cell.value is None for cell in sheet[5])  # row 5 is the first to fill


def test_exports_escape_formulas_keep_numbers_and_are_logged(site_a, klass, caplog):
    hostile = [
        '=HYPERLINK("http://x","y")',
        "=cmd|' /C calc'!A0",
        "+84 912 345 678",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
    ]
    with scopes_disabled():
        for index, note in enumerate(hostile):
            trainee = make_trainee(
                site_a.center,
                full_name=f"Lê Văn Ab{'cdeghi'[index]}",
                notes=note,
                birth_date=datetime.date(1990, 1, 2),
            )
            make_enrollment(klass, trainee)
    staff = client_for(site_a.staff)
    with caplog.at_level("INFO", logger="trainingcenter.audit"):
        purpose = {"purpose": "committee_report"}
        roster = staff.post(url("enrollment:roster_export", klass.pk), purpose)
        registry = staff.post(url("enrollment:registry_export"), purpose)
    for response in (roster, registry):
        assert response["Cache-Control"] == "no-store"
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = [cell for row in book.active.iter_rows() for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        assert {c.value for c in cells} >= set(hostile)
        day = f"Xuất ngày {timezone.localdate():%d/%m/%Y}"  # which day's copy
        assert day in {c.value for c in cells}
        births = [c.value for c in cells if isinstance(c.value, datetime.datetime)]
        assert births and all(b.date() == datetime.date(1990, 1, 2) for b in births)
    import zipfile

    with zipfile.ZipFile(io.BytesIO(roster.content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    logged = [
        r.getMessage() for r in caplog.records if r.name == "trainingcenter.audit"
    ]
    assert any("roster" in m and f"user={site_a.staff.pk}" in m for m in logged)
    assert any("registry" in m for m in logged)


def test_download_name_cannot_inject_headers(site_a):
    with scopes_disabled():
        klass = make_class(site_a.center, intake_label='Lớp "A"\r\nSet-Cookie: x=1')
    response = client_for(site_a.staff).get(url("enrollment:class_template", klass.pk))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers.get("Content-Disposition", "")
    assert "x=1" not in str(response.cookies)
    with scopes_disabled():
        assert Trainee.objects.count() == 0


def test_the_import_is_asked_once_with_its_figures(site_a, klass):
    staff = client_for(site_a.staff)
    location = upload(
        staff, klass, workbook([person(1, "Nguyễn Văn An"), person(2, "Lê Thị Bình")])
    )["Location"]
    before = table_snapshot()
    asked = staff.post(location + "confirm/")
    assert asked.status_code == 200
    for fact in (
        "Số dòng của danh sách sẽ được ghi danh: 2.",
        "Số người mới thêm vào danh sách học viên: 2.",
        "Đơn vị đã tạo cho danh sách này: không có.",
        "Ghi danh 2 người",
    ):
        assert fact in asked.text
    assert table_snapshot() == before
    staff.post(location + "confirm/", CONFIRMED)
    with scopes_disabled():
        assert Enrollment.objects.count() == 2


def test_a_birth_year_alone_stays_a_year_in_exports_and_pages(site_a, klass):
    """Only the year is known: Excel must not read 1992 as a day (14/06/1905)
    and the pages must not invent 01/01/1992."""
    with scopes_disabled():
        trainee = make_trainee(
            site_a.center,
            full_name="Hứa Thị Ánh",
            birth_date=datetime.date(1992, 1, 1),
            birth_year_only=True,
        )
        make_enrollment(klass, trainee)
    staff = client_for(site_a.staff)
    purpose = {"purpose": "committee_report"}
    exports = [
        ("enrollment:roster_export", [klass.pk]),
        ("enrollment:registry_export", []),
    ]
    for name, args in exports:
        response = staff.post(url(name, *args), purpose)
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        row = next(
            [cell.value for cell in row]
            for row in book.active.iter_rows()
            if "Hứa Thị Ánh" in [cell.value for cell in row]
        )
        assert "1992" in row, (name, row)
        assert 1992 not in row and not any(
            isinstance(value, datetime.datetime) for value in row
        ), (name, row)
    pages = [
        url("enrollment:class_detail", klass.pk),
        url("enrollment:trainee_detail", trainee.pk),
        url("enrollment:trainee_list"),
    ]
    for address in pages:
        page = staff.get(address).content.decode()
        assert "01/01/1992" not in page and "1992" in page, address
    printed = pdf_text(staff.get(url("enrollment:roster_pdf", klass.pk)).content)
    assert "01/01/1992" not in printed and "1992" in printed


def test_the_preview_says_the_list_goes_past_the_capacity(site_a, klass):
    """Told before the last click: staff get no button that would be refused;
    the director is told to tick the choice that allows it."""
    with scopes_disabled():
        klass.capacity = 3
        klass.save()
        make_enrollment(klass, make_trainee(site_a.center, full_name="Lê Văn Cũ"))
    rows = [person(n, f"Nguyễn Văn A{'bcd'[n - 1]}") for n in (1, 2, 3)]
    staff = client_for(site_a.staff)
    preview = staff.get(upload(staff, klass, workbook(rows))["Location"]).text
    assert (
        "Lớp có sĩ số tối đa 3 và đã có 1 học viên; danh sách này thêm 3 người."
        in preview
    )
    assert "chỉ giám đốc mới ghi danh vượt sĩ số" in preview.lower()
    assert 'id="import-confirm"' not in preview
    director = client_for(site_a.director)
    preview = director.get(upload(director, klass, workbook(rows))["Location"]).text
    assert 'id="over-capacity"' in preview and 'id="import-confirm"' in preview
    assert 'name="over_capacity"' in preview
    with scopes_disabled():
        klass.capacity = 4
        klass.save()
    preview = director.get(upload(director, klass, workbook(rows))["Location"]).text
    assert 'id="over-capacity"' not in preview


def test_a_corrected_file_keeps_the_unit_chosen_for_the_first(site_a, klass):
    unit = make_organization(parent=site_a.center.organization.parent, name="Chi bộ A")
    staff = client_for(site_a.staff)
    bad = workbook([person(1, "Nguyễn Văn A", "31/02/1990")])
    preview = staff.get(upload(staff, klass, bad, sending_unit=unit.pk)["Location"])
    again = re.search(r'href="([^"]+)">Tải lên tệp đã sửa', preview.text).group(1)
    form = staff.get(again.replace("&amp;", "&")).text
    assert re.search(rf'<option value="{unit.pk}" selected>', form), form
