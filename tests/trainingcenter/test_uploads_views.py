"""Hostile workbooks sent through the trainee-list upload page: the person sees
why in Vietnamese, and nothing is stored."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.conftest import table_snapshot
from tests.enrollment.excel import person, workbook
from tests.factories import make_class
from tests.trainingcenter.test_uploads import (
    DOCTYPES,
    far_cell_files,
    macro_files,
    part,
    replace_parts,
    short_list,
    with_doctype,
)


def hostile_files() -> dict[str, tuple[bytes, str]]:
    plain = workbook([person(1, "Nguyễn Văn An")])
    rels = "xl/_rels/workbook.xml.rels"
    return {
        "a value far below": (far_cell_files()["row 1.048.576"], "A1048576"),
        "a row beyond the grid": (far_cell_files()["row 20.000.000"], "bị hỏng"),
        "a value far right": (short_list((2, 120, "x")), "DP2"),
        "a cell too long": (short_list((3, 4, "chữ " * 600)), "ký tự"),
        "a macro under another name": (
            macro_files()["a VBA project named like data"],
            "macro",
        ),
        "an entity in the relationships": (
            replace_parts(
                plain,
                {rels: with_doctype(part(plain, rels), DOCTYPES["an internal entity"])},
            ),
            "không an toàn",
        ),
    }


@pytest.mark.parametrize("name", list(hostile_files()))
def test_a_hostile_upload_is_refused_on_the_page_and_stores_nothing(site_a, name):
    content, shown = hostile_files()[name]
    with scopes_disabled():
        klass = make_class(site_a.center)
    client = Client()
    client.force_login(site_a.staff)
    before = table_snapshot()
    response = client.post(
        reverse("enrollment:import_upload", args=["trung-tam-a", klass.pk]),
        {"file": SimpleUploadedFile("danh sách.xlsx", content)},
    )
    assert response.status_code == 200
    assert shown in html.unescape(response.content.decode())
    assert table_snapshot() == before
