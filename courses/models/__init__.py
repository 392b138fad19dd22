"""The programme catalogue and the people and plans a centre's classes use.

One module per sub-domain; every model (and its QuerySet)
is importable from `courses.models`.
"""

from courses.models.catalogue import (
    Block,
    CertificateTemplate,
    ClassType,
    ClassTypeQuerySet,
    GradingBand,
)
from courses.models.classes import (
    ClassSession,
    CoOrganizer,
    TrainingClass,
    TrainingClassQuerySet,
    UnitQuota,
)
from courses.models.lecturers import Lecturer, LecturerActivity, LecturerQuerySet
from courses.models.plans import AnnualPlan, PlanTotal

__all__ = [
    "AnnualPlan",
    "Block",
    "CertificateTemplate",
    "ClassSession",
    "ClassType",
    "ClassTypeQuerySet",
    "CoOrganizer",
    "GradingBand",
    "Lecturer",
    "LecturerActivity",
    "LecturerQuerySet",
    "PlanTotal",
    "TrainingClass",
    "TrainingClassQuerySet",
    "UnitQuota",
]
