"""The demo centre's annual plans, set near what was done.

Writes one `AnnualPlan` row per programme and year (a single row each, so no
service is involved). Read the counts after the year's classes are recounted:
the targets are derived from the stored per-class summaries.
"""

import math
import random

from django.db.models import Count, Sum

from courses.models import AnnualPlan, TrainingClass
from trainingcenter.models import Center


def build_plans(center: Center, *, years) -> int:
    """The annual plan of each year, near what was done: some programmes above
    their target, some below (a report reads "đạt 105% kế hoạch" as well as
    "đạt 92%").

    Only classes counted in the plan set it. A plan already there is kept
    (the director may have changed it on the plans page); returns how many
    plan rows were made.
    """
    made = 0
    for year in years:
        rng = random.Random(f"plan-{year}")
        done = (
            TrainingClass.objects.filter(
                center=center, start_date__year=year, counted_in_plan=True
            )
            .order_by("class_type__order", "class_type__code")
            .values("class_type")
            .annotate(classes=Count("pk"), trainees=Sum("summary__enrolled"))
        )
        for number, row in enumerate(done):
            # Every other programme misses its target a little, the rest beat it.
            short = number % 2 == 0
            ratio = rng.uniform(1.03, 1.15) if short else rng.uniform(0.85, 0.97)
            classes = row["classes"]
            if short and rng.random() < 0.4:
                classes += 1
            elif not short and classes > 1 and rng.random() < 0.4:
                classes -= 1
            _plan, created = AnnualPlan.objects.get_or_create(
                center=center,
                year=year,
                class_type_id=row["class_type"],
                defaults={
                    "target_classes": classes,
                    "target_trainees": _round_ten(
                        (row["trainees"] or 0) * ratio, up=short
                    ),
                },
            )
            made += created
    return made


def _round_ten(number: float, *, up: bool) -> int:
    """Targets are round numbers: up or down to the next ten (at least ten)."""
    tens = math.ceil(number / 10) if up else math.floor(number / 10)
    return max(10, tens * 10)
