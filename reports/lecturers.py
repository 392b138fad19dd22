"""Biểu 2: the lecturers of the period, what each taught and their records,
and the total rows by kind (full-time, concurrent, guests)."""

from collections.abc import Iterable

from courses.models import Lecturer
from reports.tables import LecturerKindTotal, LecturerRow


def lecturer_kinds(lecturers: list[LecturerRow]) -> list[LecturerKindTotal]:
    """Biểu 2's total rows: full-time, then concurrent, then guests."""
    return [
        LecturerKindTotal(
            label=str(label),
            count=len(rows),
            periods=sum(r.periods for r in rows),
            peer_teaching=sum(r.peer_teaching for r in rows),
            observations=sum(r.observations for r in rows),
            prizes=sum(r.prizes for r in rows),
        )
        for kind, label in Lecturer.Kind.choices
        if (rows := [r for r in lecturers if r.kind == kind])
    ]


# The lecturers' values, as `lecturer_rows` reads them.
LECTURER_FIELDS = (
    "pk",
    "full_name",
    "kind",
    "position",
    "unit__name",
    "qualifications",
    "center__name",
    "is_active",
)


def lecturer_rows(
    lecturers: Iterable[tuple], taught: dict[int, dict], activities: dict[int, dict]
) -> list[LecturerRow]:
    """Biểu 2's rows from the lecturers' values (LECTURER_FIELDS), by centre
    and name, what each taught (`taught`: sessions and periods) and their
    records (`activities`): by centre, full-time first, then concurrent, then
    guests. Inactive lecturers appear only when they did something."""
    # Plain values, labels translated once: a country has 9.000 lecturers.
    kinds = {kind: str(label) for kind, label in Lecturer.Kind.choices}
    rows = [
        LecturerRow(
            name=name,
            kind=kind,
            kind_label=kinds[kind],
            position=", ".join(part for part in (position, unit or "") if part),
            qualifications=qualifications,
            center=center,
            sessions=taught.get(pk, {}).get("sessions", 0),
            periods=taught.get(pk, {}).get("periods", 0),
            **activities.get(pk, {}),
        )
        for pk, name, kind, position, unit, qualifications, center, active in (
            lecturers
        )
        # Active ones, and whoever taught or has a record in the period
        # (filtered here: the ids of a country's lecturers make a slow query
        # parameter).
        if active or pk in taught or pk in activities
    ]
    kind_order = {kind: i for i, kind in enumerate(Lecturer.Kind.values)}
    rows.sort(key=lambda r: (r.center, kind_order[r.kind]))
    return rows
