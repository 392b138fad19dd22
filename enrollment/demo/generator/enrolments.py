"""Every generated enrolment of the run, and the attendance of each session.

Writes the `Enrollment` rows of all centres at once, in random class order
by default (the worst case for reading one centre: its rows are spread over
the whole table) or class by class, and at centre scale one `Attendance` row
per session for each enrolment not withdrawn, 96% present. Plain rows
through the writer: the roster service's checks and history records would
cost minutes at the country's 4,2 million enrolments.
"""

import random

from enrollment.demo.generator import fmt
from enrollment.demo.generator.results import ENROLMENT_COLUMNS, STATUS
from enrollment.demo.generator.run import Run
from enrollment.models import Attendance, Enrollment


def write_enrolments(
    run: Run, rng: random.Random, enrolments: list[tuple], order: str
) -> int:
    """Write `enrolments` (shuffled first if `order` is "random"); returns the
    id of the first, the others following in list order."""
    if order == "random":
        rng.shuffle(enrolments)
    first = run.writer.reserve(Enrollment, len(enrolments))
    run.writer.write(
        Enrollment,
        ["id", *ENROLMENT_COLUMNS, "remarks"],
        ((first + i, *row, "") for i, row in enumerate(enrolments)),
    )
    run.say(f"Đã ghi {fmt(len(enrolments))} lượt ghi danh (thứ tự: {order}).")
    return first


def write_attendance(
    run: Run,
    rng: random.Random,
    enrolments: list[tuple],
    first: int,
    sessions_of: dict[int, list[int]],
) -> None:
    """One row per session of the class for every enrolment not withdrawn;
    two absences in three excused, with a reason (picked from the ids, not
    drawn: the generator's later draws stay as they were)."""
    rows = [
        (first + i, session, present, "" if present else _reason(first + i, session))
        for i, row in enumerate(enrolments)
        if row[STATUS] != Enrollment.Status.WITHDRAWN
        for session in sessions_of[row[0]]
        for present in (rng.random() > 0.04,)
    ]
    columns = ["enrollment_id", "class_session_id", "present", "absence_reason"]
    run.writer.write(Attendance, columns, rows)
    run.say(f"Đã ghi {fmt(len(rows))} dòng điểm danh.")


ABSENCE_REASONS = ("Ốm", "Đi công tác", "Việc gia đình", "Trực cơ quan")


def _reason(enrolment: int, session: int) -> str:
    key = enrolment * 31 + session
    return "" if key % 3 == 0 else ABSENCE_REASONS[key % len(ABSENCE_REASONS)]
