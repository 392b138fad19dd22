"""The admission-pipeline workbook reads its rows in a fixed number of
queries: a province's tens of thousands of people cost the same statements as
a centre's few (the worker writes it; its time grows with the rows written,
never with queries per row)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from enrollment.models import Enrollment, Trainee
from reports import counting, rollups
from reports.exports import rollups as rollup_workbooks
from tests.factories import make_class, make_class_type
from tests.reports.test_rollups import (
    TODAY,
    _admitted,
    _certificate,
    _person,
    committee_scope,
)


def _more_people(center, awareness, new_members, count: int) -> None:
    """`count` more candidates, and `count` more probationers who finished the
    new-member course (each with a unit, a certificate and an enrolment)."""
    course = make_class(
        center,
        class_type=new_members,
        start_date=datetime.date(2026, 5, 4),
        end_date=datetime.date(2026, 5, 8),
    )
    for i in range(count):
        _certificate(
            _person(center, f"Ứng Viên {i}", Trainee.PartyStatus.NON_MEMBER),
            awareness,
            TODAY + datetime.timedelta(100 + i),
        )
        done = _person(
            center,
            f"Dự Bị {i}",
            Trainee.PartyStatus.PROBATIONARY,
            admission_date=_admitted(30 + i),
        )
        Enrollment.objects.create(
            training_class=course, trainee=done, status=Enrollment.Status.COMPLETED
        )


def _written(target) -> tuple[int, list]:
    """The queries of writing the workbook, and its rows."""
    import io

    import openpyxl

    filters = rollups.Filters(counting.Period.year(2026))
    exporter = rollup_workbooks.exporter("pipeline", target, filters, TODAY)
    with CaptureQueriesContext(connection) as queries:
        content = exporter.export()[2]
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = [row for sheet in book for row in sheet.iter_rows(values_only=True)]
    return len(queries.captured_queries), rows


@pytest.mark.django_db
def test_the_pipeline_workbook_reads_a_fixed_number_of_queries(report_site):
    target, _ = committee_scope(report_site)
    center = report_site.center
    with scopes_disabled():
        awareness = make_class_type()
        new_members = make_class_type(code="dang-vien-moi")
        _more_people(center, awareness, new_members, 2)
        _written(target)  # the scope's units, read once and kept
        few, few_rows = _written(target)
        _more_people(center, awareness, new_members, 25)
        many, many_rows = _written(target)
    assert len(many_rows) == len(few_rows) + 50  # every new person has a row
    names = {value for row in many_rows for value in row}
    assert {"Ứng Viên 24", "Dự Bị 24"} <= names
    assert many == few
