"""Signal receivers that keep the per-class counts in step with single-row saves."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from courses.models import ClassSession, CoOrganizer, TrainingClass
from enrollment.models import (
    Attendance,
    Certificate,
    Enrollment,
    Trainee,
)
from enrollment.services.summaries import touch


def _enrollment_changed(sender, instance, **kwargs):
    touch([instance.training_class_id])


# ranks=False below: attendance, certificates, sessions, co-organisers and a
# trainee's own details change no one's classes nor their dates, so the
# year's distinct-person ranking stays as it is (and the write stays short).


def _attendance_changed(sender, instance, **kwargs):
    touch(
        Enrollment.objects.filter(pk=instance.enrollment_id).values_list(
            "training_class_id", flat=True
        ),
        ranks=False,
    )


def _certificate_changed(sender, instance, **kwargs):
    touch(
        Enrollment.objects.filter(pk=instance.enrollment_id).values_list(
            "training_class_id", flat=True
        ),
        ranks=False,
    )


def _class_changed(sender, instance, **kwargs):
    if kwargs.get("signal") is post_delete:
        # Nothing to rank again: a class with enrolments cannot be deleted.
        return
    touch([instance.pk])


def _class_part_changed(sender, instance, **kwargs):
    """A co-organiser or a session of a class: recount the class, unless the
    row goes because the class itself is being deleted."""
    if TrainingClass.objects.filter(pk=instance.training_class_id).exists():
        touch([instance.training_class_id], ranks=False)


def _venue_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:
        touch(pk_set or [])
    else:
        touch([instance.pk])


def _trainee_changed(sender, instance, created, **kwargs):
    if not created:
        touch(
            instance.enrollments.values_list("training_class_id", flat=True),
            ranks=False,
        )


def connect():
    post_save.connect(_enrollment_changed, sender=Enrollment, dispatch_uid="sum-enr")
    post_delete.connect(
        _enrollment_changed, sender=Enrollment, dispatch_uid="sum-enr-d"
    )
    post_save.connect(_attendance_changed, sender=Attendance, dispatch_uid="sum-att")
    post_delete.connect(
        _attendance_changed, sender=Attendance, dispatch_uid="sum-att-d"
    )
    post_save.connect(_certificate_changed, sender=Certificate, dispatch_uid="sum-cert")
    post_save.connect(_class_changed, sender=TrainingClass, dispatch_uid="sum-class")
    post_save.connect(_class_part_changed, sender=CoOrganizer, dispatch_uid="sum-co")
    post_delete.connect(
        _class_part_changed, sender=CoOrganizer, dispatch_uid="sum-co-d"
    )
    m2m_changed.connect(
        _venue_changed,
        sender=TrainingClass.venue_communes.through,
        dispatch_uid="sum-venue",
    )
    post_save.connect(_trainee_changed, sender=Trainee, dispatch_uid="sum-trainee")
    post_save.connect(_class_part_changed, sender=ClassSession, dispatch_uid="sum-ses")
    post_delete.connect(
        _class_part_changed, sender=ClassSession, dispatch_uid="sum-ses-d"
    )
