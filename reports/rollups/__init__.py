"""Rollups for the party committees: what a committee downloads.

Four tables for a committee (reports.scope): the people of the units under
it, whichever centre trained them, for the first and the last; the centres
under it for Biểu 4:
- by sending unit (units.py): classes attended, trainees sent, passed and
  certified, per programme and in total (ClassUnitSummary rows, added up in
  the database), and the certified trainees of each unit (one row per
  current certificate);
- by centre (centers.py, Biểu 4): classes, enrolments, % of plan, and
  enrolments per programme (ClassSummary rows, with counting's own sums);
- the admission pipeline (admission.py), as of a day: non-members whose
  admission-file certificate still counts, and probationary members with the
  date their probation ends and whether they have finished the new-member
  course.

Units are the unit each enrolment recorded at the time, so a period before a
merger shows the names they had then; `by_today` gathers them under today's
commune by the parent and successor links. Nothing here writes; every query
is limited to the scope's centres or units (`filters.whose`).
"""

from reports.rollups.admission import (
    Candidate,
    Pipeline,
    Probationer,
    admitted_by,
    pipeline,
)
from reports.rollups.centers import CenterRollup, by_center
from reports.rollups.filters import Filters, opened_classes
from reports.rollups.units import UnitRollup, by_unit, certified, unit_names

__all__ = [
    "Candidate",
    "CenterRollup",
    "Filters",
    "Pipeline",
    "Probationer",
    "UnitRollup",
    "admitted_by",
    "by_center",
    "by_unit",
    "certified",
    "opened_classes",
    "pipeline",
    "unit_names",
]
