import inspect
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.factories import make_center, make_member
from trainingcenter.models import Membership

ROLES = [Membership.Role.STAFF, Membership.Role.DIRECTOR, Membership.Role.COMMITTEE]


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Fixtures build data across centres: run them outside any scope (as pretix)."""
    if inspect.isgeneratorfunction(fixturedef.func):
        yield
    else:
        with scopes_disabled():
            yield


@dataclass
class Site:
    center: object
    staff: object
    director: object
    committee: object

    def user(self, role):
        return getattr(self, role)


@pytest.fixture
def site_a(db):
    center = make_center(slug="trung-tam-a", name="Trung tâm Chính trị A")
    return Site(center, *(make_member(center, role) for role in ROLES))


@pytest.fixture
def site_b(db):
    center = make_center(slug="trung-tam-b", name="Trung tâm Chính trị B")
    return Site(center, *(make_member(center, role) for role in ROLES))


def url(name, *args):
    """A page of centre A (the ``site_a`` fixture's centre)."""
    return reverse(name, args=["trung-tam-a", *args])


def table_snapshot() -> dict:
    """Row count and highest id of every table: a refused or failed request
    must leave every table as it was ("nothing changed")."""
    snapshot = {}
    with scopes_disabled(), connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.db_table.startswith(("django_session", "axes_")):
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            if model._meta.pk.get_internal_type() == "UUIDField":  # no MAX(uuid)
                cursor.execute(f"SELECT COUNT(*), NULL FROM {table}")
            else:
                cursor.execute(f"SELECT COUNT(*), MAX({pk}) FROM {table}")
            snapshot[model._meta.label] = cursor.fetchone()
    return snapshot
