"""Writes of the courses app: a centre's annual plan, the targets it sets per
programme and year.

The plans page writes through `save_plan`; the report (reports/counting.py)
reads the same AnnualPlan rows and sets the classes counted in the plan
against them.
"""

from collections.abc import Mapping

from django.db import transaction

from courses.models import AnnualPlan
from trainingcenter.logs import audit
from trainingcenter.models import Center


@transaction.atomic
def save_plan(
    center: Center, *, year: int, targets: Mapping[int, tuple[int, int]], by
) -> tuple[int, int]:
    """Set the centre's targets for `year`: programme id -> (classes, trainees).

    All or nothing, in three queries whatever the number of programmes.
    A programme with 0 classes and 0 trainees has no plan: no row is made
    for it and an existing one is deleted, so the report shows no empty plan
    line. Programmes not in `targets` keep what they have. Two directors
    saving at once never fail on the unique (centre, year, programme): the
    write is an upsert and the last save wins. Raises ValidationError on a
    negative number or a year outside the model's range. Returns (rows kept,
    rows deleted).
    """
    kept = [
        AnnualPlan(
            center=center,
            year=year,
            class_type_id=class_type_id,
            target_classes=classes,
            target_trainees=trainees,
        )
        for class_type_id, (classes, trainees) in targets.items()
        if classes or trainees
    ]
    for plan in kept:
        # Field checks only (year range, no negative number): no query per row.
        plan.full_clean(
            exclude=["center", "class_type"],
            validate_unique=False,
            validate_constraints=False,
        )
    AnnualPlan.objects.bulk_create(
        kept,
        update_conflicts=True,
        unique_fields=["center", "year", "class_type"],
        update_fields=["target_classes", "target_trainees"],
    )
    emptied = [
        pk for pk, (classes, trainees) in targets.items() if not classes + trainees
    ]
    deleted, _counts = AnnualPlan.objects.filter(
        center=center, year=year, class_type_id__in=emptied
    ).delete()
    audit(
        "annual plan saved",
        center=center.slug,
        year=year,
        by=getattr(by, "pk", None),
        kept=len(kept),
        deleted=deleted,
    )
    return len(kept), deleted
