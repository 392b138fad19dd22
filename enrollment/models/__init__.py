"""The enrollment app's models, one module per sub-domain; all importable from here."""

from enrollment.models.certificates import (
    Certificate,
    CertificateBatch,
    CertificateEvent,
    CertificateQuerySet,
    Verification,
)
from enrollment.models.feedback import (
    FeedbackAnswer,
    FeedbackAttempt,
    FeedbackCode,
    FeedbackResponse,
    FeedbackTally,
    Rating,
    Survey,
)
from enrollment.models.imports import (
    ColumnMapping,
    HeaderSynonym,
    ImportBatch,
    ListField,
)
from enrollment.models.paperwork import PaperWording
from enrollment.models.privacy import (
    AccessLog,
    ExportLog,
    RecordChange,
    SubjectRequest,
)
from enrollment.models.summaries import (
    ClassLecturerSummary,
    ClassPartSummary,
    ClassSummary,
    ClassUnitSummary,
)
from enrollment.models.trainees import (
    Attendance,
    Enrollment,
    EnrollmentQuerySet,
    Trainee,
    TraineeQuerySet,
)

__all__ = [
    "AccessLog",
    "Attendance",
    "Certificate",
    "CertificateBatch",
    "CertificateEvent",
    "CertificateQuerySet",
    "ClassLecturerSummary",
    "ClassPartSummary",
    "ClassSummary",
    "ClassUnitSummary",
    "ColumnMapping",
    "Enrollment",
    "EnrollmentQuerySet",
    "ExportLog",
    "FeedbackAnswer",
    "FeedbackAttempt",
    "FeedbackCode",
    "FeedbackResponse",
    "FeedbackTally",
    "HeaderSynonym",
    "ImportBatch",
    "ListField",
    "PaperWording",
    "Rating",
    "RecordChange",
    "SubjectRequest",
    "Survey",
    "Trainee",
    "TraineeQuerySet",
    "Verification",
]
