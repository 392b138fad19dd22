"""Walk every page and export that can carry a sensitive field, as every
role, against the need-to-know table (trainingcenter/privacy.py), the same
table the docs print (docs/privacy.md)."""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from enrollment.models import Trainee
from tests.factories import make_certificate
from tests.reports.test_rollups import committee_scope
from trainingcenter import privacy
from trainingcenter.privacy import MASKED, NO_ACCESS, SHOWN

CITIZEN_ID = "001095067890"
ETHNICITY = "Sán Dìu"
ADMITTED = datetime.date(2025, 2, 3)
PURPOSE = {"purpose": "other", "purpose_detail": "Kiểm tra"}
CENTRE, ABOVE = {"staff", "director"}, {"committee", "administrator"}


def _text(response) -> str:
    """What a user reads in the answer: a page, a workbook's cells, a PDF's text."""
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "".join(
            p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages
        )
    if "spreadsheet" in kind:
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        values = []
        for sheet in book:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    if isinstance(value, datetime.datetime):
                        value = f"{value:%d/%m/%Y}"
                    if value is not None:
                        values.append(str(value))
        return " ".join(values)
    return response.content.decode()


@pytest.fixture
def marked(report_site):
    """A certified person of the report's centre with every sensitive field
    set, and every other trainee of the centre given a citizen ID."""
    with scopes_disabled():
        certificate = make_certificate(report_site.center)
        person = certificate.enrollment.trainee
        person.citizen_id = CITIZEN_ID
        person.ethnicity = ETHNICITY
        person.party_status = Trainee.PartyStatus.PROBATIONARY
        person.admission_date = ADMITTED
        person.save()
        for number, trainee in enumerate(
            Trainee.objects.filter(center=report_site.center).exclude(pk=person.pk)
        ):
            trainee.citizen_id = f"00209900{number:04d}"
            trainee.save()
    return certificate


def _places(site, certificate, organization):
    """place -> the requests that show it: (method, address)."""
    slug = site.center.slug
    person = certificate.enrollment.trainee
    klass = certificate.enrollment.training_class_id
    register = f"?year=2026&issuer={certificate.issuer_id}"
    report = "?start=01%2F01%2F2026&end=31%2F12%2F2026"

    def centre(name, *args, query=""):
        return reverse(f"enrollment:{name}", args=[slug, *args]) + query

    def rollup(kind):
        base = reverse("org_rollups", args=[organization.pk])
        query = f"?rollup={kind}&start=01%2F01%2F2026&end=31%2F12%2F2026"
        return [
            ("get", base + query),
            ("post", reverse("org_rollups_xlsx", args=[organization.pk]) + query),
        ]

    return {
        "trainee_list": [("get", centre("trainee_list"))],
        "trainee_detail": [("get", centre("trainee_detail", person.pk))],
        "trainee_form": [("get", centre("trainee_update", person.pk))],
        "class_roster": [("get", centre("class_detail", klass))],
        "roster_export": [("post", centre("roster_export", klass))],
        "roster_pdf": [("get", centre("roster_pdf", klass))],
        "registry_export": [("post", centre("registry_export"))],
        "certificate_register": [
            ("get", centre("register", query=register)),
            ("post", centre("register_pdf", query=register)),
            ("post", centre("register_xlsx", query=register)),
        ],
        # The centre's report for its members, the organization's for the
        # committee and the administrator.
        "report_workbook": [
            ("get", reverse("reports:report", args=[slug]) + report, CENTRE),
            ("get", reverse("reports:report_xlsx", args=[slug]) + report, CENTRE),
            ("get", reverse("reports:report_pdf", args=[slug]) + report, CENTRE),
            ("get", reverse("org_report", args=[organization.pk]) + report, ABOVE),
            ("get", reverse("org_report_xlsx", args=[organization.pk]) + report, ABOVE),
        ],
        "rollup_certified": rollup("certified"),
        "rollup_pipeline": rollup("pipeline"),
        "person_file": [
            ("post", centre("person_file_pdf", person.pk)),
            ("post", centre("person_file_xlsx", person.pk)),
        ],
    }


def _check(place, role, text, fields):
    """Each field as the table says; `place, role` name the failure."""
    where = (place, role)
    masked = privacy.mask_citizen_id(CITIZEN_ID)
    if fields["citizen_id"] == SHOWN:
        assert CITIZEN_ID in text, where
    else:
        assert CITIZEN_ID not in text, where
        assert (masked in text) == (fields["citizen_id"] == MASKED), where
    assert (ETHNICITY in text) == (fields["ethnicity"] == SHOWN), where
    dates = f"{ADMITTED:%d/%m/%Y}" in text or ADMITTED.isoformat() in text
    if place.startswith("rollup"):
        # A rollup lists many people: only what it must never show is checked
        # here (who is in it is the rollup tests' concern).
        assert not dates or fields["party_dates"] == SHOWN, where
        return
    assert dates == (fields["party_dates"] == SHOWN), where
    if place == "trainee_form":
        selected = re.search(r'value="probationary"[^>]*selected', text)
        assert bool(selected) == (fields["party_status"] == SHOWN), where
    else:
        party = "Đảng viên dự bị" in text
        assert party == (fields["party_status"] == SHOWN), where


@pytest.mark.django_db
def test_every_page_and_export_shows_what_the_table_says(report_site, marked):
    _, organization = committee_scope(report_site)
    with scopes_disabled():
        places = _places(report_site, marked, organization)
        admin = User.objects.create_superuser("quan-tri", password="x")
    assert set(places) == set(privacy.TABLE), "every place of the table is walked"
    users = {
        "staff": report_site.staff,
        "director": report_site.director,
        "committee": report_site.committee,
        "administrator": admin,
    }
    walked = 0
    for place, requests in places.items():
        for role, user in users.items():
            client = Client()
            client.force_login(user)
            fields = privacy.visible(place, role)
            for method, address, *only in requests:
                if only and role not in only[0]:
                    continue
                if method == "post":
                    response = client.post(address, PURPOSE)
                else:
                    response = client.get(address)
                if set(fields.values()) == {NO_ACCESS}:
                    assert response.status_code in (403, 404), (place, role, address)
                    continue
                assert response.status_code == 200, (place, role, address)
                _check(place, role, _text(response), fields)
                walked += 1
    assert walked > 30


def test_the_docs_print_the_table():
    docs = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"
    assert privacy.markdown_table() in docs.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_a_committee_download_is_logged_like_a_centres(report_site):
    from enrollment.models import ExportLog

    _, organization = committee_scope(report_site)
    client = Client()
    client.force_login(report_site.committee)
    address = reverse("org_rollups_xlsx", args=[organization.pk])
    query = "?rollup=pipeline&start=01%2F01%2F2026&end=31%2F12%2F2026"
    asked = client.get(address + query)
    assert asked.status_code == 200 and "Mục đích xuất dữ liệu" in asked.text
    response = client.post(address + query, {"purpose": "admission"})
    assert response["Content-Type"].startswith("application/vnd.openxml")
    with scopes_disabled():
        entry = ExportLog.objects.get()
    assert (entry.user, entry.organization, entry.center) == (
        report_site.committee,
        organization,
        None,
    )
    assert (entry.kind, entry.purpose) == ("pipeline", "admission")
    assert entry.people > 0 and entry.filters["rollup"] == "pipeline"
    units = client.get(address + query.replace("pipeline", "units"))
    assert units["Content-Type"].startswith("application/vnd.openxml")
    with scopes_disabled():
        assert ExportLog.objects.count() == 1  # counts only: no purpose, no log
