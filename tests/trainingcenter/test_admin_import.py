"""An administrator loads a province's units from Excel and exports them again."""

import datetime
import io

import openpyxl
import pytest
import tablib
from django.test import Client
from django.urls import reverse

from courses.admin import ClassTypeResource
from courses.models import ClassType
from tests.conftest import table_snapshot
from trainingcenter.admin import OrganizationResource
from trainingcenter.models import Organization

HEADERS = [
    "code",
    "name",
    "kind",
    "level",
    "parent",
    "valid_from",
    "valid_to",
    "successors",
]
ROWS = [
    # Children first: the import puts parents before them.
    [
        "PT-VT-CB1",
        "Chi bộ Khu 1",
        "Chi bộ",
        "Chi bộ",
        "PT-VT",
        "01/07/2025",
        None,
        None,
    ],
    [
        "PT-VT",
        "Đảng bộ phường Việt Trì",
        "Cấp ủy, đảng bộ",
        "Xã, phường, đặc khu",
        "PT",
        datetime.datetime(2025, 7, 1),
        None,
        None,
    ],
    [
        "PT-HVT",
        "Thành ủy Việt Trì",
        "party_committee",
        "district",
        "PT",
        None,
        "30/06/2025",
        "PT-VT",
    ],
    ["PT", "Đảng bộ tỉnh Phú Thọ", "Cấp ủy, đảng bộ", "Tỉnh", None, None, None, None],
    [
        "PT-HLHPN",
        "Hội Liên hiệp Phụ nữ phường Việt Trì",
        "Mặt trận, đoàn thể",
        "Xã, phường, đặc khu",
        "PT-VT",
        "01/07/2025",
        None,
        None,
    ],
]


def workbook(rows, headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def admin_client(db):
    from tests.factories import make_user

    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def upload(client, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("admin:trainingcenter_organization_import"),
        {
            "import_file": SimpleUploadedFile("don-vi.xlsx", content),
            "format": "0",
            "resource": "0",
        },
    )


def test_admin_imports_units_with_parents_validity_and_successors(admin_client):
    response = upload(admin_client, workbook(ROWS))
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.context["result"].base_errors
    response = admin_client.post(
        reverse("admin:trainingcenter_organization_process_import"),
        confirm.initial,
        follow=True,
    )
    assert response.status_code == 200
    assert Organization.objects.count() == 5
    ward = Organization.objects.get(code="PT-VT")
    assert ward.parent.code == "PT"
    assert ward.kind == Organization.Kind.PARTY_COMMITTEE
    assert ward.level == Organization.Level.COMMUNE
    assert ward.valid_from == datetime.date(2025, 7, 1)
    old_city = Organization.objects.get(code="PT-HVT")
    assert old_city.valid_to == datetime.date(2025, 6, 30)
    assert list(old_city.successors.values_list("code", flat=True)) == ["PT-VT"]
    assert Organization.objects.get(code="PT-VT-CB1").parent == ward
    assert Organization.objects.get(code="PT-HLHPN").kind == "mass_organization"


def test_a_bad_row_imports_nothing_and_names_the_problem(admin_client):
    rows = [*ROWS, ["PT-X", "Đơn vị lạ", "Câu lạc bộ", "Tỉnh", "PT", None, None, None]]
    before = table_snapshot()
    response = upload(admin_client, workbook(rows))
    assert response.context.get("confirm_form") is None
    assert "Giá trị không hợp lệ “Câu lạc bộ”" in response.text
    assert table_snapshot() == before


def test_export_round_trips(admin_client):
    resource = OrganizationResource()
    resource.import_data(tablib.Dataset(*ROWS, headers=HEADERS), raise_errors=True)
    exported = resource.export()
    book = openpyxl.load_workbook(io.BytesIO(exported.export("xlsx")))
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == HEADERS
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["PT-VT"][4] == "PT"
    assert values["PT-HVT"][7] == "PT-VT"
    assert values["PT-VT"][3] == "Xã, phường, đặc khu"

    again = tablib.Dataset().load(exported.export("xlsx"), format="xlsx")
    before = table_snapshot()
    result = OrganizationResource().import_data(again, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert table_snapshot() == before


def test_catalogue_round_trips_through_excel(admin_client):
    from django.core.management import call_command

    call_command("loaddata", "class_types", verbosity=0)
    exported = ClassTypeResource().export()
    data = tablib.Dataset().load(exported.export("xlsx"), format="xlsx")
    assert len(data) == 16
    ClassType.objects.filter(code="chinh-tri-he").update(name="Tên sai")
    result = ClassTypeResource().import_data(data, dry_run=False)
    assert not result.has_errors()
    assert ClassType.objects.get(code="chinh-tri-he").name == "Bồi dưỡng chính trị hè"
    assert ClassType.objects.count() == 16  # the catalogue fixture


def test_admin_pages_open(admin_client):
    for name in (
        "admin:trainingcenter_organization_changelist",
        "admin:trainingcenter_center_changelist",
        "admin:trainingcenter_membership_changelist",
        "admin:courses_classtype_changelist",
        "admin:courses_lecturer_changelist",
        "admin:courses_block_changelist",
        "admin:trainingcenter_organization_import",
        "admin:trainingcenter_organization_export",
    ):
        assert admin_client.get(reverse(name)).status_code == 200, name


def test_non_superuser_staff_cannot_use_the_admin(site_a):
    client = Client()
    client.force_login(site_a.director)
    response = client.get(reverse("admin:trainingcenter_organization_changelist"))
    assert response.status_code == 302


def test_admin_imports_roll_back_on_any_invalid_row():
    from django.contrib import admin

    from courses.models import ClassType
    from trainingcenter.models import Organization

    for model in (Organization, ClassType):
        model_admin = admin.site._registry[model]
        assert model_admin.get_import_data_kwargs()["rollback_on_validation_errors"]
