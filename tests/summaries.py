"""Checks that the stored per-class counts equal counts made by plain SQL.

The expected numbers are counted here straight from the class, enrolment,
trainee, attendance, certificate and session tables, by SQL written apart
from enrollment/services/summaries.py and rankings.py (the code that stores
them): a wrong count there cannot hide by being made twice the same way.
"""

import datetime

from django.db import connection

from courses.models import TrainingClass
from enrollment.models import ClassLecturerSummary, ClassSummary, ClassUnitSummary
from reports import counting

D = datetime.date

# Enrolment statuses as stored. A withdrawn trainee is left out of every
# count below, except those of outcomes and certificates, which a withdrawn
# enrolment does not have.
WITHDRAWN, PASSED, NOT_PASSED = "withdrawn", "completed", "failed"
# The grade bands' names (fixtures/class_types.json).
EXCELLENT, GOOD, AVERAGE = "Giỏi", "Khá", "Trung bình"

# A certificate that stands: not revoked, and no later certificate replaces it.
STANDING = """
    k.revoked_at IS NULL
    AND NOT EXISTS (
        SELECT 1 FROM enrollment_certificate r WHERE r.replaces_id = k.id
    )
"""

# One pass per table, grouped by class (correlated subqueries per class ran
# for minutes on PostgreSQL without statistics on a fresh test database).
CLASS_ROWS = """
WITH listed AS (
    SELECT e.id, e.training_class_id AS class_id, e.status, e.grade,
        t.gender, t.ethnicity
    FROM enrollment_enrollment e
    JOIN enrollment_trainee t ON t.id = e.trainee_id
    WHERE e.training_class_id IN ({ids})
),
people AS (
    SELECT class_id,
        SUM(CASE WHEN status <> %(withdrawn)s THEN 1 ELSE 0 END) AS enrolled,
        SUM(CASE WHEN status <> %(withdrawn)s AND gender = 'female'
            THEN 1 ELSE 0 END) AS women,
        SUM(CASE WHEN status <> %(withdrawn)s AND ethnicity <> ''
            AND LOWER(ethnicity) <> 'kinh' THEN 1 ELSE 0 END) AS minorities,
        SUM(CASE WHEN status IN (%(passed)s, %(not_passed)s)
            THEN 1 ELSE 0 END) AS completed,
        SUM(CASE WHEN status = %(passed)s THEN 1 ELSE 0 END) AS passed,
        SUM(CASE WHEN status = %(passed)s AND grade = %(excellent)s
            THEN 1 ELSE 0 END) AS excellent,
        SUM(CASE WHEN status = %(passed)s AND grade = %(good)s
            THEN 1 ELSE 0 END) AS good,
        SUM(CASE WHEN status = %(passed)s AND grade = %(average)s
            THEN 1 ELSE 0 END) AS average,
        SUM(CASE WHEN status = %(not_passed)s THEN 1 ELSE 0 END) AS failed
    FROM listed GROUP BY class_id
),
certified AS (
    SELECT l.class_id, COUNT(DISTINCT l.id) AS n
    FROM listed l JOIN enrollment_certificate k ON k.enrollment_id = l.id
    WHERE {standing}
    GROUP BY l.class_id
),
presence AS (
    SELECT l.class_id,
        SUM(CASE WHEN a.present = %(yes)s THEN 1 ELSE 0 END) AS attended,
        COUNT(*) AS records
    FROM enrollment_attendance a JOIN listed l ON l.id = a.enrollment_id
    WHERE l.status <> %(withdrawn)s
    GROUP BY l.class_id
),
venues AS (
    SELECT trainingclass_id AS class_id, COUNT(*) AS n
    FROM courses_trainingclass_venue_communes
    WHERE trainingclass_id IN ({ids}) GROUP BY trainingclass_id
),
partners AS (
    SELECT training_class_id AS class_id, COUNT(*) AS n
    FROM courses_coorganizer
    WHERE training_class_id IN ({ids}) GROUP BY training_class_id
)
SELECT
    c.id, c.center_id, c.start_date, c.class_type_id, c.counted_in_plan,
    c.declared_enrolled, c.declared_completed, c.declared_certified,
    COALESCE(p.enrolled, 0), COALESCE(p.women, 0), COALESCE(p.minorities, 0),
    COALESCE(p.completed, 0), COALESCE(p.passed, 0), COALESCE(k.n, 0),
    COALESCE(p.excellent, 0), COALESCE(p.good, 0), COALESCE(p.average, 0),
    COALESCE(p.failed, 0), COALESCE(r.attended, 0), COALESCE(r.records, 0),
    COALESCE(v.n, 0), COALESCE(o.n, 0),
    c.historic, c.co_organizer_names
FROM courses_trainingclass c
LEFT JOIN people p ON p.class_id = c.id
LEFT JOIN certified k ON k.class_id = c.id
LEFT JOIN presence r ON r.class_id = c.id
LEFT JOIN venues v ON v.class_id = c.id
LEFT JOIN partners o ON o.class_id = c.id
WHERE c.id IN ({ids})
"""

COUNTS = ["enrolled", "women", "minorities", "completed", "passed", "certified"]
COUNTS += ["excellent", "good", "average", "failed", "attended"]
COUNTS += ["attendance_records"]

# A person's first (or last) class of a calendar year at a centre: the
# enrolment (not withdrawn) that comes first (last) among the same person's at
# that centre in that year, by start date and then class id. Each class then
# counts its distinct such persons. A window over the enrolments of the
# classes' people, not a correlated NOT EXISTS per enrolment: on a fresh
# PostgreSQL without statistics under load, the latter ran past the 30 s
# statement timeout.
FIRST_OR_LAST = """
WITH ranked AS (
    SELECT e.trainee_id, c.id AS class_id, ROW_NUMBER() OVER (
        PARTITION BY e.trainee_id, c.center_id, {year_c}
        ORDER BY c.start_date {order}, c.id {order}
    ) AS place
    FROM enrollment_enrollment e
    JOIN courses_trainingclass c ON c.id = e.training_class_id
    WHERE e.status <> %(withdrawn)s AND e.trainee_id IN (
        SELECT trainee_id FROM enrollment_enrollment
        WHERE training_class_id IN ({ids})
    )
)
SELECT class_id, COUNT(DISTINCT trainee_id) FROM ranked
WHERE place = 1 AND class_id IN ({ids})
GROUP BY class_id
"""

UNIT_ROWS = """
SELECT e.training_class_id, e.unit_id, COUNT(*),
    SUM(CASE WHEN e.status = %(passed)s THEN 1 ELSE 0 END)
FROM enrollment_enrollment e
WHERE e.training_class_id IN ({ids}) AND e.status <> %(withdrawn)s
GROUP BY e.training_class_id, e.unit_id
"""

UNIT_CERTIFIED = """
SELECT e.training_class_id, e.unit_id, COUNT(DISTINCT e.id)
FROM enrollment_enrollment e
JOIN enrollment_certificate k ON k.enrollment_id = e.id
WHERE e.training_class_id IN ({ids}) AND {standing}
GROUP BY e.training_class_id, e.unit_id
"""

LECTURER_ROWS = """
SELECT s.training_class_id, s.lecturer_id, c.center_id, c.start_date,
    COUNT(*), COALESCE(SUM(s.periods), 0)
FROM courses_classsession s
JOIN courses_trainingclass c ON c.id = s.training_class_id
WHERE s.training_class_id IN ({ids}) AND s.lecturer_id IS NOT NULL
GROUP BY s.training_class_id, s.lecturer_id, c.center_id, c.start_date
"""

PARAMS = {
    "withdrawn": WITHDRAWN,
    "passed": PASSED,
    "not_passed": NOT_PASSED,
    "excellent": EXCELLENT,
    "good": GOOD,
    "average": AVERAGE,
    "yes": True,
}


def _select(sql: str, ids: list[int], **parts) -> list[tuple]:
    """Run `sql` for these classes; `{ids}` becomes one placeholder each."""
    names = {f"id{i}": pk for i, pk in enumerate(ids)}
    placeholders = ", ".join(f"%({name})s" for name in names)
    with connection.cursor() as cursor:
        cursor.execute(
            sql.format(ids=placeholders, standing=STANDING, **parts),
            PARAMS | names,
        )
        return cursor.fetchall()


def _day(value) -> str:
    """A date as ISO text, whether the driver gives a date or a string."""
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _year(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(YEAR FROM {column})"
    return f"strftime('%%Y', {column})"


def expected_classes(ids: list[int]) -> dict[int, dict]:
    """Each class's row as it should be stored, counted by plain SQL."""
    expected = {}
    for row in _select(CLASS_ROWS, ids):
        pk, center, start, class_type, in_plan = row[:5]
        declared_enrolled, declared_completed, declared_certified = row[5:8]
        counts = dict(zip(COUNTS, map(int, row[8:20]), strict=True))
        historic, co_organizer_names = bool(row[22]), row[23]
        declared = counts["enrolled"] == 0 and (
            historic or declared_enrolled is not None
        )
        if declared:
            # A class from before the system, without a list: its declared
            # numbers stand for the list's (a number not known adds nothing).
            counts["enrolled"] = declared_enrolled or 0
            counts["completed"] = counts["passed"] = declared_completed or 0
            counts["certified"] = declared_certified or 0
        expected[pk] = counts | {
            "center_id": center,
            "start_date": _day(start),
            "class_type_id": class_type,
            "counted_in_plan": bool(in_plan),
            "listed": not declared,
            "at_cluster": row[20] > 0,
            "co_organized": row[21] > 0 or bool(co_organizer_names),
            "first_in_year": 0,
            "last_in_year": 0,
            "ranked_year": int(_day(start)[:4]),
        }
    year = _year("c.start_date")
    for field, order in (("first_in_year", "ASC"), ("last_in_year", "DESC")):
        for pk, persons in _select(FIRST_OR_LAST, ids, order=order, year_c=year):
            expected[pk][field] = int(persons)
    return expected


def stored_classes(ids: list[int]) -> dict[int, dict]:
    fields = [*COUNTS, "center_id", "start_date", "class_type_id"]
    fields += ["counted_in_plan", "listed", "at_cluster", "co_organized"]
    fields += ["first_in_year", "last_in_year", "ranked_year"]
    stored = {}
    for row in ClassSummary.objects.filter(training_class__in=ids).values(
        "training_class_id", *fields
    ):
        pk = row.pop("training_class_id")
        stored[pk] = row | {"start_date": _day(row["start_date"])}
    return stored


def expected_units(ids: list[int]) -> list[tuple]:
    places = {
        pk: (center, _day(start))
        for pk, center, start in TrainingClass.objects.filter(pk__in=ids).values_list(
            "pk", "center_id", "start_date"
        )
    }
    certified = {(pk, unit): int(n) for pk, unit, n in _select(UNIT_CERTIFIED, ids)}
    return sorted(
        (
            (pk, unit, *places[pk], int(enrolled), int(passed))
            + (certified.get((pk, unit), 0),)
            for pk, unit, enrolled, passed in _select(UNIT_ROWS, ids)
        ),
        key=str,
    )


def stored_units(ids: list[int]) -> list[tuple]:
    rows = ClassUnitSummary.objects.filter(training_class__in=ids).values_list(
        "training_class_id",
        "unit_id",
        "center_id",
        "start_date",
        "enrolled",
        "passed",
        "certified",
    )
    return sorted(((*row[:3], _day(row[3]), *row[4:]) for row in rows), key=str)


def expected_lecturers(ids: list[int]) -> list[tuple]:
    return sorted(
        (pk, lecturer, center, _day(start), int(sessions), int(periods))
        for pk, lecturer, center, start, sessions, periods in _select(
            LECTURER_ROWS, ids
        )
    )


def stored_lecturers(ids: list[int]) -> list[tuple]:
    rows = ClassLecturerSummary.objects.filter(training_class__in=ids).values_list(
        "training_class_id",
        "lecturer_id",
        "center_id",
        "start_date",
        "sessions",
        "periods",
    )
    return sorted((*row[:3], _day(row[3]), *row[4:]) for row in rows)


def stored_counts_match_sql(class_ids) -> None:
    """The summary rows of these classes (per class, per unit, per lecturer)
    equal what plain SQL counts from the rows they summarise."""
    ids = sorted(set(class_ids))
    expected, stored = expected_classes(ids), stored_classes(ids)
    assert sorted(stored) == sorted(expected) == ids
    for pk in ids:
        for field, value in expected[pk].items():
            assert stored[pk][field] == value, (pk, field, stored[pk][field], value)
    assert stored_units(ids) == expected_units(ids)
    assert stored_lecturers(ids) == expected_lecturers(ids)


def distinct_persons(center, start, end) -> int:
    """The definition: distinct trainees among the enrolments (not withdrawn)
    in the centre's classes that start within the period."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(DISTINCT e.trainee_id)
            FROM enrollment_enrollment e
            JOIN courses_trainingclass c ON c.id = e.training_class_id
            WHERE c.center_id = %s AND c.start_date BETWEEN %s AND %s
            AND e.status <> %s
            """,
            [center.pk, start, end, WITHDRAWN],
        )
        return cursor.fetchone()[0]


def assert_persons_add_up(center, years, *, every_date=True) -> None:
    """Periods from 1 January, or to 31 December, of these years, counted from
    the summaries, equal the distinct count of their enrolments: the whole
    years, the halves, and (`every_date`) those ending or starting at each
    class's date."""
    classes = TrainingClass.objects.filter(center=center)
    dates = sorted(set(classes.values_list("start_date", flat=True)))
    for year in years:
        periods = [
            counting.Period(D(year, 1, 1), D(year, 12, 31)),
            counting.Period(D(year, 1, 1), D(year, 6, 30)),
            counting.Period(D(year, 7, 1), D(year, 12, 31)),
        ]
        for day in dates if every_date else ():
            if day.year == year:
                periods.append(counting.Period(D(year, 1, 1), day))
                periods.append(counting.Period(day, D(year, 12, 31)))
                if day > D(year, 1, 1):
                    before = day - datetime.timedelta(days=1)
                    periods.append(counting.Period(D(year, 1, 1), before))
        for period in periods:
            assert counting.persons(classes, period) == distinct_persons(
                center, period.start, period.end
            ), period
