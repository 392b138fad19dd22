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
    # The answer covers the people named, not a cell emptied afterwards.
    other_saved = {f"score-{other.pk}": "", "clear_confirmed": str(trung.pk)}
    with scopes_disabled():
        other.score = Decimal("6.0")
        other.save()
    asked_again = staff.post(page, {**data, **other_saved})
    assert "Vũ Thị Ánh, Lê Thanh Trung nay để trống" in asked_again.text
    with scopes_disabled():
        other.refresh_from_db()
    assert other.score == Decimal("6.0")
    done = staff.post(page, {**data, "clear_confirmed": str(trung.pk)})
    assert done.status_code == 302
    with scopes_disabled():
        trung.refresh_from_db()
        other.refresh_from_db()
    assert (trung.score, trung.status) == (None, "enrolled")
    assert other.score == Decimal("7.5")


@pytest.mark.django_db
def test_a_stale_grid_is_refused_before_any_question(site_a):
    """Someone saved a score after this grid was opened: the grid is told it
    is stale, not asked to remove a score it never showed."""
    with scopes_disabled():
        klass, _session = make_running_class(site_a.center)
        saved_by_other = make_enrollment(
            klass,
            make_trainee(site_a.center, full_name="Ngô Văn Ba"),
            score=Decimal("8.0"),
            status="completed",
        )
        klass.version += 1  # the other user's save
        klass.save()
    staff = Client()
    staff.force_login(site_a.staff)
    before = table_snapshot()
    response = staff.post(
        url("enrollment:results", klass.pk),
        {"version": str(klass.version - 1), f"score-{saved_by_other.pk}": ""},
    )
    assert "Người khác đã lưu kết quả của lớp này" in response.text
    assert "nay để trống" not in response.text
    assert table_snapshot() == before
