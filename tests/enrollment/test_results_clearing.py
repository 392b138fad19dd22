"""An emptied score cell used to remove a saved result without a word; now
the grid asks first, names whose result would go, and saves nothing until
the removal is confirmed."""

from decimal import Decimal

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from tests.conftest import table_snapshot, url
from tests.factories import make_enrollment, make_running_class, make_trainee


@pytest.mark.django_db
def test_emptying_a_saved_score_is_asked_first(site_a):
    with scopes_disabled():
        klass, _session = make_running_class(site_a.center)
        trung = make_enrollment(
            klass,
            make_trainee(site_a.center, full_name="Lê Thanh Trung"),
            score=Decimal("9.0"),
            grade="Giỏi",
            status="completed",
        )
        other = make_enrollment(
            klass, make_trainee(site_a.center, full_name="Vũ Thị Ánh")
        )
        version = str(klass.version)
    staff = Client()
    staff.force_login(site_a.staff)
    page = url("enrollment:results", klass.pk)
    data = {
        "version": version,
        f"score-{trung.pk}": "",
        f"score-{other.pk}": "7,5",
    }
    before = table_snapshot()
    asked = staff.post(page, data)
    assert asked.status_code == 200
    assert "Chưa lưu gì. Điểm đã lưu của Lê Thanh Trung nay để trống" in asked.text
    assert table_snapshot() == before
    done = staff.post(page, {**data, "clear_confirmed": "1"})
    assert done.status_code == 302
    with scopes_disabled():
        trung.refresh_from_db()
        other.refresh_from_db()
    assert (trung.score, trung.status) == (None, "enrolled")
    assert other.score == Decimal("7.5")
