"""The generated centres' classes of a year: found, refused, or deleted with --force.

A second run for the same year would double the classes, so it is refused
unless --force, which deletes the generated centres' classes of that year and
everything hanging from them (attendance, certificates, enrolments and their
history, sessions, partners, venues, per-class summaries), the year's plans
and the trainees left without an enrolment. The deletes are raw: going
through the models would send a signal per enrolment, each recounting its
class, and collect every related row in memory first.
"""

import datetime

from courses.models import AnnualPlan, ClassSession, CoOrganizer, TrainingClass
from enrollment.demo.generator import GeneratorError
from enrollment.demo.generator.run import Run
from enrollment.demo.generator.structure import GeneratedCentre
from enrollment.models import (
    Attendance,
    Certificate,
    ClassLecturerSummary,
    ClassSummary,
    ClassUnitSummary,
    Enrollment,
    Trainee,
)


def year_classes(centres: list[GeneratedCentre], year: int):
    """The classes of `centres` that start in `year`."""
    return TrainingClass.objects.filter(
        center__in=[c.center.pk for c in centres],
        start_date__gte=datetime.date(year, 1, 1),
        start_date__lte=datetime.date(year, 12, 31),
    )


def clear_year(run: Run, centres: list[GeneratedCentre], *, force: bool) -> None:
    """Refuse to add a second generated year on top of the first, unless `force`."""
    ids = [c.center.pk for c in centres]
    classes = year_classes(centres, run.year)
    plans = AnnualPlan.objects.filter(center__in=ids, year=run.year)
    taken = sorted(
        set(classes.values_list("center__slug", flat=True))
        | set(plans.values_list("center__slug", flat=True))
    )
    if not taken:
        return
    if not force:
        shown = ", ".join(taken[:5]) + ("…" if len(taken) > 5 else "")
        raise GeneratorError(
            f"Năm {run.year} đã có dữ liệu sinh ở {len(taken)} trung tâm "
            f"({shown}). Không ghi gì; thêm --force để xóa dữ liệu năm đó "
            "của các trung tâm sinh này và sinh lại."
        )
    run.say(f"--force: xóa dữ liệu năm {run.year} của {len(taken)} trung tâm…")
    class_ids = classes.values("pk")
    enrollments = Enrollment.objects.filter(training_class__in=class_ids)
    for rows in (
        Attendance.objects.filter(enrollment__in=enrollments.values("pk")),
        Certificate.objects.filter(enrollment__in=enrollments.values("pk")),
        Enrollment.history.model.objects.filter(training_class_id__in=class_ids),
        enrollments,
        ClassSession.objects.filter(training_class__in=class_ids),
        CoOrganizer.objects.filter(training_class__in=class_ids),
        TrainingClass.venue_communes.through.objects.filter(
            trainingclass_id__in=class_ids
        ),
        ClassSummary.objects.filter(training_class__in=class_ids),
        ClassUnitSummary.objects.filter(training_class__in=class_ids),
        ClassLecturerSummary.objects.filter(training_class__in=class_ids),
        classes,
        plans,
        Trainee.objects.filter(center__in=ids, enrollments__isnull=True),
    ):
        rows._raw_delete(rows.db)
