"""The outcome of each generated enrolment, as at the end of the year.

Returns enrolment rows for a class's roster (written later, all centres at
once, by `enrolments`): 1,5% withdrew, 2,5% of a graded class failed (2% of
an ungraded one), the rest completed; graded classes get a score around 7,6
and the grade it earns. The stored party status is the one the trainee had
in that class: probationary in the new-member course, outside the Party in
the awareness course.
"""

import random

from enrollment.demo.generator.people import Trainees
from enrollment.models import Enrollment

# The enrolment columns of each row, before its id (reserved when written)
# and its empty remarks.
ENROLMENT_COLUMNS = [
    "training_class_id", "trainee_id", "unit_id", "party_status", "status",
    "withdrawal_reason", "score", "grade",
]  # fmt: skip
STATUS = ENROLMENT_COLUMNS.index("status")


def enrolment_rows(
    rng: random.Random, programme, class_id: int, roster: list[int], people: Trainees
) -> list[tuple]:
    """One row per person of `roster`, in `ENROLMENT_COLUMNS` order."""
    graded = programme.assessment != "none"
    rows = []
    for t in roster:
        status, reason, score, grade = _outcome(rng, graded)
        party = people.party_status[t]
        if programme.code == "dang-vien-moi":
            party = "probationary"
        elif programme.code == "nhan-thuc-ve-dang":
            party = "non_member"
        rows.append(
            (
                class_id,
                people.first_id + t,
                people.unit_of[t],
                party,
                status,
                reason,
                score,
                grade,
            )
        )
    return rows


def _outcome(rng: random.Random, graded: bool) -> tuple[str, str, str | None, str]:
    """Status, withdrawal reason, score (text, one decimal) and grade."""
    roll = rng.random()
    if roll < 0.015:
        return Enrollment.Status.WITHDRAWN, "Bận công tác", None, ""
    if roll < (0.04 if graded else 0.02):
        if not graded:
            return Enrollment.Status.FAILED, "", None, ""
        score = f"{rng.uniform(2, 4.9):.1f}"
        return Enrollment.Status.FAILED, "", score, "Không đạt"
    if not graded:
        return Enrollment.Status.COMPLETED, "", None, ""
    value = min(10.0, max(5.0, rng.gauss(7.6, 1.1)))
    grade = "Giỏi" if value >= 9 else "Khá" if value >= 7 else "Trung bình"
    return Enrollment.Status.COMPLETED, "", f"{value:.1f}", grade
