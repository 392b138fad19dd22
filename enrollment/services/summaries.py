"""Keep each class's counts current on every write.

What the reports add up, per class: ClassSummary (enrolments, outcomes,
grades, attendance, and the distinct-person counts first_in_year and
last_in_year), ClassUnitSummary (per sending unit) and ClassLecturerSummary
(sessions and periods per lecturer). Model signals cover the single-row saves
of the pages and the admin; the services that write many rows (imports,
results, attendance, issuing) wrap their work in `batched()` and call
`touch()` for what bulk_create and bulk_update change, so a class is
recounted once per transaction, in a fixed number of queries whatever the
number of classes.

What counts as what is defined here once and documented in
reports/counting.py, which only adds these rows up.
"""

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from courses.models import ClassSession, CoOrganizer, TrainingClass
from enrollment.models import (
    Certificate,
    ClassLecturerSummary,
    ClassSummary,
    ClassUnitSummary,
    Enrollment,
)
from enrollment.services import rankings
from enrollment.services.rankings import groups_of, rank

_state = threading.local()


# What is copied from the class (for reading a period's rows by index).
CLASS_FIELDS = ["center", "start_date", "class_type", "counted_in_plan", "listed"]


COUNTED_FIELDS = [
    "enrolled",
    "women",
    "minorities",
    "completed",
    "passed",
    "certified",
    "excellent",
    "good",
    "average",
    "failed",
    "attended",
    "attendance_records",
    "at_cluster",
    "co_organized",
]


# Grade names of the catalogue's bands (fixtures/class_types.json).
EXCELLENT, GOOD, AVERAGE = "Giỏi", "Khá", "Trung bình"


def minority_q(prefix: str = "") -> Q:
    """A trainee of an ethnic minority: an ethnicity is recorded and it is not
    Kinh, or was so when the retention period removed it."""
    field = f"{prefix}ethnicity"
    return (~Q(**{field: ""}) & ~Q(**{f"{field}__iexact": "kinh"})) | Q(
        **{f"{prefix}counted_as_minority": True}
    )


def compute(class_ids: Iterable[int]) -> list[ClassSummary]:
    """Fresh counts for these classes, straight from the rows (three queries)."""
    ids = list(set(class_ids))
    if not ids:
        return []
    classes = _class_counts(ids)  # run last, as it is iterated
    certified = _certified_counts(ids)
    attendance = _attendance_counts(ids)
    return [_summary(row, certified, attendance) for row in classes]


def _class_counts(ids: list[int]):
    """Per class, its enrolments by outcome and grade, and its copied fields."""
    active = ~Q(enrollments__status=Enrollment.Status.WITHDRAWN)
    done = Q(
        enrollments__status__in=[Enrollment.Status.COMPLETED, Enrollment.Status.FAILED]
    )
    passed = Q(enrollments__status=Enrollment.Status.COMPLETED)
    counts = {
        "n_enrolled": Count("enrollments", filter=active),
        "n_women": Count(
            "enrollments", filter=active & Q(enrollments__trainee__gender="female")
        ),
        "n_minorities": Count(
            "enrollments", filter=active & minority_q("enrollments__trainee__")
        ),
        "n_completed": Count("enrollments", filter=done),
        "n_passed": Count("enrollments", filter=passed),
        "n_excellent": Count(
            "enrollments", filter=passed & Q(enrollments__grade=EXCELLENT)
        ),
        "n_good": Count("enrollments", filter=passed & Q(enrollments__grade=GOOD)),
        "n_average": Count(
            "enrollments", filter=passed & Q(enrollments__grade=AVERAGE)
        ),
        "n_failed": Count(
            "enrollments", filter=Q(enrollments__status=Enrollment.Status.FAILED)
        ),
        "at_cluster": Exists(
            TrainingClass.venue_communes.through.objects.filter(
                trainingclass_id=OuterRef("pk")
            )
        ),
        "co_organized": Exists(
            CoOrganizer.objects.filter(training_class_id=OuterRef("pk"))
        ),
    }
    return (
        TrainingClass.objects.filter(pk__in=ids)
        .annotate(**counts)
        .values(
            "pk",
            *counts,
            "historic",
            "declared_enrolled",
            "declared_completed",
            "declared_certified",
            "co_organizer_names",
            "center_id",
            "start_date",
            "class_type_id",
            "counted_in_plan",
        )
    )


def _certified_counts(ids: list[int]) -> dict[int, int]:
    """Per class, how many enrolments hold a current certificate."""
    return dict(
        Certificate.objects.current()
        .filter(enrollment__training_class_id__in=ids)
        .values("enrollment__training_class_id")
        .annotate(n=Count("enrollment", distinct=True))
        .values_list("enrollment__training_class_id", "n")
    )


def _attendance_counts(ids: list[int]) -> dict[int, dict]:
    """Per class, attendance records and presences of its active enrolments.

    From the class's enrolments to their attendance (both joins by index):
    the other way round, PostgreSQL without statistics yet (a new table, a
    test database) chose a nested loop over all attendance rows.
    """
    return {
        row["training_class_id"]: row
        for row in Enrollment.objects.filter(training_class_id__in=ids)
        .active()
        .order_by()
        .values("training_class_id")
        .annotate(
            records=Count("attendances"),
            present=Count("attendances", filter=Q(attendances__present=True)),
        )
    }


def _summary(row: dict, certified: dict, attendance: dict) -> ClassSummary:
    """One class's summary from its counted row."""
    summary = ClassSummary(
        training_class_id=row["pk"],
        center_id=row["center_id"],
        start_date=row["start_date"],
        class_type_id=row["class_type_id"],
        counted_in_plan=row["counted_in_plan"],
        listed=not _counts_declared(row),
        women=row["n_women"],
        minorities=row["n_minorities"],
        excellent=row["n_excellent"],
        good=row["n_good"],
        average=row["n_average"],
        failed=row["n_failed"],
        at_cluster=row["at_cluster"],
        co_organized=row["co_organized"] or bool(row["co_organizer_names"]),
        certified=certified.get(row["pk"], 0),
        attended=attendance.get(row["pk"], {}).get("present", 0),
        attendance_records=attendance.get(row["pk"], {}).get("records", 0),
    )
    if not _counts_declared(row):
        summary.enrolled = row["n_enrolled"]
        summary.completed = row["n_completed"]
        summary.passed = row["n_passed"]
    else:
        # A class from before the system counts by its declared numbers. A
        # number not known adds nothing here; reports.counting counts such
        # classes (unknown_counts) and the report says the sum is incomplete.
        summary.enrolled = row["declared_enrolled"] or 0
        summary.completed = summary.passed = row["declared_completed"] or 0
        summary.certified = row["declared_certified"] or 0
    return summary


def _counts_declared(row: dict) -> bool:
    """A class without a roster that counts by the numbers its records declare.

    Classes entered before the `historic` flag existed are known by a
    declared number of trainees.
    """
    if row["n_enrolled"]:
        return False
    return row["historic"] or row["declared_enrolled"] is not None


def _classes(ids: list[int]) -> dict[int, tuple]:
    """Each class's centre and opening day, copied onto its rows per unit/lecturer."""
    return {
        pk: (center, start)
        for pk, center, start in TrainingClass.objects.filter(pk__in=ids).values_list(
            "pk", "center_id", "start_date"
        )
    }


def _places(summaries: list[ClassSummary]) -> dict[int, tuple]:
    """The same, from the summaries just computed (no second query)."""
    return {s.training_class_id: (s.center_id, s.start_date) for s in summaries}


def compute_units(
    class_ids: Iterable[int], classes: dict[int, tuple] | None = None
) -> list[ClassUnitSummary]:
    """Fresh counts per sending unit for these classes (withdrawn left out)."""
    ids = list(class_ids)
    classes = _classes(ids) if classes is None else classes
    certified = {
        (row["enrollment__training_class_id"], row["enrollment__unit"]): row["n"]
        for row in Certificate.objects.current()
        .filter(enrollment__training_class_id__in=ids)
        .order_by()
        .values("enrollment__training_class_id", "enrollment__unit")
        .annotate(n=Count("enrollment", distinct=True))
    }
    return [
        ClassUnitSummary(
            training_class_id=row["training_class_id"],
            unit_id=row["unit"],
            center_id=classes[row["training_class_id"]][0],
            start_date=classes[row["training_class_id"]][1],
            enrolled=row["enrolled"],
            passed=row["passed"],
            certified=certified.get((row["training_class_id"], row["unit"]), 0),
        )
        for row in Enrollment.objects.filter(training_class_id__in=ids)
        .active()
        .order_by()
        .values("training_class_id", "unit")
        .annotate(
            enrolled=Count("pk"),
            passed=Count("pk", filter=Q(status=Enrollment.Status.COMPLETED)),
        )
        if row["training_class_id"] in classes
    ]


def compute_lecturers(
    class_ids: Iterable[int], classes: dict[int, tuple] | None = None
) -> list[ClassLecturerSummary]:
    """Fresh sessions and periods per lecturer for these classes."""
    ids = list(class_ids)
    classes = _classes(ids) if classes is None else classes
    return [
        ClassLecturerSummary(
            training_class_id=row["training_class_id"],
            lecturer_id=row["lecturer"],
            center_id=classes[row["training_class_id"]][0],
            start_date=classes[row["training_class_id"]][1],
            sessions=row["sessions"],
            periods=row["periods"],
        )
        for row in ClassSession.objects.filter(training_class_id__in=ids)
        .exclude(lecturer=None)
        .order_by()
        .values("training_class_id", "lecturer")
        .annotate(sessions=Count("pk"), periods=Coalesce(Sum("periods"), 0))
        if row["training_class_id"] in classes
    ]


def _sync(model, ids: list[int], fresh: list, key: str, fields: list[str]) -> None:
    """Bring `model`'s rows of these classes to `fresh`, writing only changes."""
    stored = {
        (row.training_class_id, getattr(row, key)): row
        for row in model.objects.filter(training_class_id__in=ids)
    }
    new, changed = [], []
    for row in fresh:
        old = stored.pop((row.training_class_id, getattr(row, key)), None)
        if old is None:
            new.append(row)
        elif any(getattr(old, name) != getattr(row, name) for name in fields):
            for name in fields:
                setattr(old, name, getattr(row, name))
            changed.append(old)
    if stored:
        model.objects.filter(pk__in=[row.pk for row in stored.values()]).delete()
    model.objects.bulk_update(changed, fields, batch_size=1000)
    model.objects.bulk_create(new, batch_size=1000)


def refresh(class_ids: Iterable[int], *, ranks: bool = True) -> None:
    """Recount these classes now, and rank the groups they are (or were) in.

    `ranks=False` leaves the ranking alone: for changes that keep every
    trainee's classes and their dates, such as results and attendance.

    The classes' rows are locked first, in id order, so two transactions that
    change the same class recount one after the other and the later count
    sees the earlier one's rows (no lost update under READ COMMITTED).
    """
    ids = sorted(set(class_ids))
    if not ids:
        return
    with transaction.atomic():
        centres = {
            center
            for _, center in TrainingClass.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "center_id")
        }
        if ranks:
            rankings.lock_centres(centres)
        summaries = compute(ids)
        if summaries:
            ClassSummary.objects.bulk_create(
                summaries,
                update_conflicts=True,
                unique_fields=["training_class"],
                update_fields=CLASS_FIELDS + COUNTED_FIELDS,
                batch_size=1000,
            )
        places = _places(summaries)
        _sync(
            ClassUnitSummary,
            ids,
            compute_units(ids, places),
            "unit_id",
            ["center_id", "start_date", "enrolled", "passed", "certified"],
        )
        _sync(
            ClassLecturerSummary,
            ids,
            compute_lecturers(ids, places),
            "lecturer_id",
            ["center_id", "start_date", "sessions", "periods"],
        )
        if ranks:
            rank(groups_of(ids))


def touch(class_ids: Iterable[int], *, ranks: bool = True) -> None:
    """These classes changed: recount now, or at the end of the `batched()` block
    (which ranks them too). `ranks=False`: who is in which class did not change."""
    pending = getattr(_state, "pending", None)
    if pending is None:
        refresh(class_ids, ranks=ranks)
    else:
        pending.update(class_ids)


@contextmanager
def batched():
    """Collect the classes touched inside the block and recount each once at its end.

    Nested blocks join the outer one. When the block raises, its transaction
    rolls back and nothing is recounted.
    """
    if getattr(_state, "pending", None) is not None:
        yield
        return
    _state.pending = set()
    try:
        yield
        pending = _state.pending
    finally:
        _state.pending = None
    refresh(pending)


def refresh_all(classes=None, chunk: int = 2000) -> int:
    """Recount every class (or those of `classes`), in chunks; returns how many."""
    ids = (classes if classes is not None else TrainingClass.objects.all()).values_list(
        "pk", flat=True
    )
    done = 0
    batch = []
    for pk in ids.iterator(chunk_size=chunk):
        batch.append(pk)
        if len(batch) == chunk:
            with transaction.atomic():
                refresh(batch)
            done, batch = done + len(batch), []
    if batch:
        with transaction.atomic():
            refresh(batch)
        done += len(batch)
    return done
