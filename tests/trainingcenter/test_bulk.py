"""Many rows inserted at once come back exactly as given, in order."""

import datetime

import pytest
from django_scopes import scopes_disabled

from enrollment.models import Enrollment, Trainee
from tests.factories import make_class, make_trainee
from trainingcenter.bulk import array_literal, insert_rows

# Text as lists really hold it, and text that the array syntax gives a meaning.
AWKWARD = [
    "Nguyễn Thị Ánh Tuyết",
    'Lê "Bé" Ba',
    "C:\\danh sach\\",
    "a,b",
    "{Trần}",
    "NULL",
    "null",
    "",
    "  hai khoảng trắng  ",
    "Đặng\tVăn\nĐức",
    "Ông O'Neil",
    '\\"',
]


def test_array_literal_quotes_every_element():
    assert array_literal(['a"b', "c\\d", None, True, datetime.date(2026, 2, 3)]) == (
        '{"a\\"b","c\\\\d",NULL,t,2026-02-03}'
    )


@pytest.mark.django_db
@scopes_disabled()
def test_rows_come_back_as_given_and_in_order(site_a):
    rows = [
        {
            "center_id": site_a.center.pk,
            "full_name": text or "x",
            "given_name": "x",
            "position": text,
            "notes": text[::-1],
            "citizen_id": f"{number:012d}",
            "birth_date": datetime.date(1990, 1, number + 1) if number % 2 else None,
            "birth_year_only": bool(number % 3),
        }
        for number, text in enumerate(AWKWARD)
    ]
    ids = insert_rows(Trainee, rows)
    assert ids == sorted(ids) and len(set(ids)) == len(rows)
    stored = Trainee.objects.in_bulk(ids)
    for pk, row in zip(ids, rows, strict=True):
        person = stored[pk]
        for name, value in row.items():
            assert getattr(person, name) == value, (name, value)
        assert person.party_status == Trainee.PartyStatus.NON_MEMBER  # the default


@pytest.mark.django_db
@scopes_disabled()
def test_defaults_fill_what_a_row_leaves_out(site_a):
    klass = make_class(site_a.center)
    person = make_trainee(site_a.center)
    (pk,) = insert_rows(
        Enrollment, [{"training_class_id": klass.pk, "trainee_id": person.pk}]
    )
    enrollment = Enrollment.objects.get(pk=pk)
    assert enrollment.status == Enrollment._meta.get_field("status").get_default()
    assert enrollment.unit_id is None
