"""Report reads go to the read replica when one is configured."""

import pytest
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.factories import make_class, make_enrollment


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_report_reads_go_to_the_replica_and_the_rest_to_the_primary(site_a, client):
    with scopes_disabled():
        klass = make_class(site_a.center)
        make_enrollment(klass)
    client.force_login(site_a.director)
    url = reverse("reports:report", args=[site_a.center.slug])
    detail = reverse("enrollment:class_detail", args=[site_a.center.slug, klass.pk])
    with override_settings(REPORT_DATABASE="replica"):
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections["replica"]) as replica,
        ):
            report = client.get(url, {"year": klass.start_date.year})
        assert report.status_code == 200
        assert "Bồi dưỡng nhận thức về Đảng" in report.text
        # Biểu 1 and the rest were read from the replica…
        assert any("enrollment_classsummary" in q["sql"] for q in replica)
        assert not any("enrollment_classsummary" in q["sql"] for q in primary)
        # …while a staff page reads the primary, which has what was just saved.
        with CaptureQueriesContext(connections["replica"]) as replica:
            assert client.get(detail).status_code == 200
        assert len(replica) == 0
    # Without a replica everything stays on the primary.
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert client.get(url, {"year": klass.start_date.year}).status_code == 200
    assert len(replica) == 0
