"""Importing a confirmed trainee list: all or nothing, never a duplicate person."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from enrollment.exports import RosterExporter
from enrollment.models import Enrollment, ImportBatch, Trainee
from enrollment.services import imports
from tests.conftest import table_snapshot
from tests.enrollment.excel import person, workbook
from tests.enrollment.trainee_lists import (
    confirm,
    messy_list,
    parse,
    registered_people,
    word,
)
from tests.factories import make_class, make_trainee


@pytest.fixture
def klass(site_a):
    with scope(center=site_a.center):
        yield make_class(site_a.center)


def test_messy_list_is_imported_as_four_people(site_a, klass):
    content, _unit = messy_list(site_a)
    result = confirm(site_a, klass, content)
    assert (result.created, result.matched) == (4, 0)
    with scopes_disabled():
        assert Enrollment.objects.filter(training_class=klass).count() == 4
        assert Trainee.objects.get(full_name="Lê Văn Bình").birth_display == "1979"


def test_a_registered_person_is_enrolled_never_duplicated(site_a, klass):
    known, _by_id = registered_people(site_a)
    people_before = Trainee.objects.count()
    confirm(site_a, klass, workbook([person(1, "Nguyễn Thị Hoà")]))
    assert Trainee.objects.count() == people_before
    assert Enrollment.objects.get().trainee == known


def test_one_bad_row_among_a_thousand_changes_nothing(site_a, klass):
    rows = [
        person(
            i,
            f"Nguyễn Văn {word(i)}",
            f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 40}",
            "Nam",
        )
        for i in range(1000)
    ]
    rows[632][2] = "31/02/1990"  # Excel row 637
    content = workbook(rows)
    parsed = parse(content, klass)
    assert [(r.number, r.errors[0][0]) for r in parsed.rows if r.errors] == [
        (637, "Ngày sinh")
    ]
    before = table_snapshot()
    with pytest.raises(ValidationError, match="1"):
        confirm(site_a, klass, content)
    after = table_snapshot()
    after.pop("enrollment.ImportBatch")
    before.pop("enrollment.ImportBatch")
    assert after == before


def test_five_thousand_rows_import(site_a, klass):
    rows = [
        person(
            i,
            f"Nguyễn Văn {word(i)}",
            f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 45}",
            "Nam",
        )
        for i in range(5000)
    ]
    TrainingClass = type(klass)
    TrainingClass.objects.filter(pk=klass.pk).update(capacity=None)
    klass.refresh_from_db()
    result = confirm(site_a, klass, workbook(rows))
    assert result.created == 5000
    assert Enrollment.objects.filter(training_class=klass).count() == 5000
    batch = ImportBatch.objects.get()
    assert batch.user == site_a.staff and batch.confirmed_at is not None


def test_export_then_import_changes_nothing(site_a, klass):
    hostile = ['=HYPERLINK("http://x")', "+84 912 345 678", "-2+3", "@SUM(A1)"]
    for index, note in enumerate(hostile):
        make_trainee(
            site_a.center,
            full_name=f"Nguyễn Văn {word(index)}",
            notes=note,
            citizen_id=f"00109500000{index}",
        )
    for trainee in Trainee.objects.all():
        Enrollment.objects.create(training_class=klass, trainee=trainee)
    _, _, content = RosterExporter(klass, by=site_a.staff).export()
    exported = openpyxl.load_workbook(io.BytesIO(content))
    header = next(r for r in exported.active.iter_rows(values_only=True) if "STT" in r)
    assert header[:2] == ("STT", "Họ và tên")  # numbered, as lists of people are
    cells = [cell for row in exported.active.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    parsed = parse(content, klass)
    assert parsed.error_count == 0, [r.errors for r in parsed.rows]
    assert {r.kind for r in parsed.rows} == {"enrolled"}
    before = table_snapshot()
    confirm(site_a, klass, content)
    after, before = table_snapshot(), before
    after.pop("enrollment.ImportBatch"), before.pop("enrollment.ImportBatch")
    assert after == before


def test_command_line_import_previews_then_commits(site_a, klass, tmp_path):
    from django.core.management import CommandError, call_command

    site_a.staff.is_superuser = True
    site_a.staff.save()
    good = tmp_path / "ds.xlsx"
    good.write_bytes(workbook([person(1, "Nguyễn Văn An"), person(2, "Trần Thị Bình")]))
    out = io.StringIO()
    call_command("import_trainees", str(klass.pk), str(good), stdout=out)
    assert "new 2" in out.getvalue() and "Dry run" in out.getvalue()
    assert Enrollment.objects.count() == 0
    call_command("import_trainees", str(klass.pk), str(good), "--commit", stdout=out)
    assert Enrollment.objects.count() == 2
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([person(1, "Lê Văn Ba", "31/02/1990")]))
    with pytest.raises(CommandError, match="1 rows have errors"):
        call_command("import_trainees", str(klass.pk), str(bad), "--commit", stdout=out)
    assert Enrollment.objects.count() == 2


def test_a_failure_during_confirm_leaves_nothing(site_a, klass, monkeypatch):
    """The people are inserted, then the enrolments fail: nothing stays."""
    from trainingcenter.bulk import insert_rows

    rows = [person(i, f"Nguyễn Văn {word(i)}") for i in range(900)]
    calls = []

    def fail_second_time(model, rows, **kwargs):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return insert_rows(model, rows, **kwargs)

    monkeypatch.setattr(imports, "insert_rows", fail_second_time)
    before = table_snapshot()
    with pytest.raises(RuntimeError):
        confirm(site_a, klass, workbook(rows))
    assert calls == [900, 900]
    after = table_snapshot()
    after.pop("enrollment.ImportBatch"), before.pop("enrollment.ImportBatch")
    assert after == before
