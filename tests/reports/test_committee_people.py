"""Whose people a committee sees: the people of the units under it, whichever
centre trained them (and of the communes merged into it), never a neighbour's
people trained at its own centre; its figures by centre (Biểu 4) still follow
the centres under it."""

import datetime
import io
import secrets
from urllib.parse import urlencode

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from enrollment.models import Certificate, Enrollment
from reports import counting, rollups, scope
from reports.exports.rollups import workbook
from tests.factories import (
    make_center,
    make_class,
    make_class_type,
    make_organization,
    make_trainee,
    make_user,
)
from trainingcenter.models import Membership, Organization

D = datetime.date
TODAY = D(2026, 11, 23)
PERIOD = counting.Period.year(2026)


def _cell(commune, name):
    return make_organization(
        name=name,
        parent=commune,
        kind=Organization.Kind.PARTY_CELL,
        level=Organization.Level.CELL,
    )


def _trained(center, cell, name, number):
    """A non-member of `cell` who passed the awareness course at `center`
    and holds its certificate, still valid for an admission file."""
    person = make_trainee(center, full_name=name, unit=cell)
    enrollment = Enrollment.objects.create(
        training_class=make_class(center, class_type=make_class_type()),
        trainee=person,
        unit=cell,
        status=Enrollment.Status.COMPLETED,
    )
    Certificate.objects.create(
        enrollment=enrollment,
        kind=Certificate.Kind.CERTIFICATE,
        issuer=center.organization,
        year=2026,
        number=number,
        number_text=f"{number}/GCN",
        issued_on=D(2026, 3, 6),
        valid_until=D(2031, 3, 6),
        code=secrets.token_urlsafe(16),
    )
    return person


@pytest.fixture
def communes(db):
    """Province P with communes X and Y; X's centre; the provincial school;
    an old commune merged into X. Y's person trained at X's centre, X's and
    the old commune's people at the provincial school."""
    with scopes_disabled():
        province = make_organization(
            name="Tỉnh ủy Thử", level=Organization.Level.PROVINCE
        )
        x = make_organization(name="Đảng ủy xã X", parent=province)
        y = make_organization(name="Đảng ủy xã Y", parent=province)
        old = make_organization(
            name="Đảng ủy xã Cũ", parent=province, valid_to=D(2025, 6, 30)
        )
        old.successors.add(x)
        x_centre = make_center(parent=x, slug="ttct-x", name="Trung tâm Chính trị X")
        school = make_center(parent=province, slug="truong-tinh", name="Trường tỉnh")
        people = {
            "y": _trained(x_centre, _cell(y, "Chi bộ thôn Y1"), "Người Của Y", 1),
            "x": _trained(school, _cell(x, "Chi bộ thôn X1"), "Người Của X", 2),
            "old": _trained(school, _cell(old, "Chi bộ thôn Cũ"), "Người Xã Cũ", 3),
        }
        committees = {}
        for key, organization in (("x", x), ("y", y)):
            user = make_user()
            Membership.objects.create(
                user=user, role=Membership.Role.COMMITTEE, organization=organization
            )
            committees[key] = (user, organization)
    return committees, people, x_centre


def _seen(user, organization):
    """The names each rollup of the committee shows, and its centres."""
    with scopes_disabled():
        target = scope.for_organization(user, organization.pk)
        filters = rollups.Filters(PERIOD)
        units = rollups.by_unit(target.centers, filters, target.units)
        certified = rollups.certified(target.centers, filters, target.units)
        pipeline = rollups.pipeline(target.centers, filters, TODAY, units=target.units)
        centres = rollups.by_center(target.centers, filters)
        return {
            "units": sorted(row.name for row in units.rows),
            "sent": units.total.total.sent,
            "certified": sorted(row[1] for row in certified),
            "candidates": sorted(c.name for c in pipeline.candidates),
            "centres": sorted(row.name for row in centres.rows if row.enrolled),
        }


@pytest.mark.django_db
def test_a_committee_sees_its_own_people_wherever_they_trained(communes):
    committees, people, _ = communes
    seen = _seen(*committees["x"])
    assert seen["units"] == ["Chi bộ thôn Cũ", "Chi bộ thôn X1"]
    assert seen["sent"] == 2
    assert seen["certified"] == ["Người Của X", "Người Xã Cũ"]
    assert seen["candidates"] == ["Người Của X", "Người Xã Cũ"]
    # Its figures by centre are still its own centre's, the neighbour's
    # trainee counted there (Biểu 4 counts what the centre taught).
    assert seen["centres"] == ["Trung tâm Chính trị X"]


@pytest.mark.django_db
def test_a_committee_sees_its_people_trained_at_a_neighbours_centre(communes):
    committees, *_ = communes
    seen = _seen(*committees["y"])
    assert seen["units"] == ["Chi bộ thôn Y1"]
    assert seen["certified"] == ["Người Của Y"] == seen["candidates"]
    assert seen["centres"] == []  # no centre under Y


@pytest.mark.django_db
def test_the_pages_and_workbooks_name_no_one_of_another_commune(communes):
    committees, people, _ = communes
    user, organization = committees["x"]
    client = Client()
    client.force_login(user)
    with scopes_disabled():
        target = scope.for_organization(user, organization.pk)
    for kind in ("units", "certified", "pipeline"):
        query = urlencode({"kind": "year", "year": 2026, "rollup": kind})
        page = client.get(reverse("org_rollups", args=[organization.pk]) + "?" + query)
        assert page.status_code == 200
        text = page.content.decode()
        assert "Người Của Y" not in text and "Chi bộ thôn Y1" not in text
        if kind != "units":
            assert "Người Của X" in text
        with scopes_disabled():
            content = workbook(kind, target, rollups.Filters(PERIOD), TODAY)
        book = openpyxl.load_workbook(io.BytesIO(content))
        values = {
            str(cell.value)
            for sheet in book
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        }
        assert not {"Người Của Y", "Chi bộ thôn Y1"} & values
        assert "Chi bộ thôn X1" in values
