"""The plan's targets at the level that has them, over one centre or many
and one year or several.

A centre's plan may give targets per programme (AnnualPlan), per block and
for the whole centre (PlanTotal). For each centre and year, a block's target
is its own where it has one, else the sum of its refresher programmes'; the
centre's is its own, else the sum of its blocks' and of its other
programmes' (training, study sessions); classes and trainees separately.
Over several centres or years these add up, so that a centre with a total
and one with programme targets only are both counted. Two queries.
"""

from collections import defaultdict
from typing import NamedTuple

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from courses.models import ClassType

OTHER = "other"  # training and study sessions: no block target covers them


class LevelTargets(NamedTuple):
    by_block: dict[int, dict]  # blocks some centre set a target for
    by_center: dict[int, tuple[int, int]]
    total: dict | None  # None when no level above the programmes has one


def _pick(own: tuple[int, int] | None, below: list[int]) -> tuple[int, int]:
    own = own or (0, 0)
    return (own[0] or below[0], own[1] or below[1])


def level_targets(plans: QuerySet, levels: QuerySet | None) -> LevelTargets:
    """`plans`: the AnnualPlan rows in scope; `levels`: the PlanTotal rows,
    or None to read the programmes' targets only."""
    below: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for row in (
        plans.order_by()
        .values("center", "year", "class_type__block", "class_type__kind")
        .annotate(
            classes=Coalesce(Sum("target_classes"), 0),
            trainees=Coalesce(Sum("target_trainees"), 0),
        )
    ):
        refresher = row["class_type__kind"] == ClassType.Kind.REFRESHER
        part = below[
            (
                row["center"],
                row["year"],
                row["class_type__block"] if refresher else OTHER,
            )
        ]
        part[0] += row["classes"]
        part[1] += row["trainees"]
    own: dict[tuple, tuple[int, int]] = {}
    if levels is not None:
        for center, year, block, classes, trainees in levels.order_by().values_list(
            "center", "year", "block", "target_classes", "target_trainees"
        ):
            own[(center, year, block)] = (classes, trainees)
    # Each centre-year's blocks and other programmes, at their own level.
    parts: dict[tuple, dict] = defaultdict(dict)
    for center, year, key in {*below, *(k for k in own if k[2] is not None)}:
        parts[(center, year)][key] = _pick(
            own.get((center, year, key)), below[(center, year, key)]
        )
    blocks_with_own = {key[2] for key in own if key[2] is not None}
    by_block: dict[int, dict] = {}
    for block in blocks_with_own:
        picked = [p[block] for p in parts.values() if block in p]
        by_block[block] = {
            "classes": sum(c for c, _t in picked),
            "trainees": sum(t for _c, t in picked),
        }
    by_center: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    units = set(parts) | {(k[0], k[1]) for k in own if k[2] is None}
    for center, year in units:
        keyed = parts.get((center, year), {})
        summed = [
            sum(c for c, _t in keyed.values()),
            sum(t for _c, t in keyed.values()),
        ]
        classes, trainees = _pick(own.get((center, year, None)), summed)
        before = by_center[center]
        by_center[center] = (before[0] + classes, before[1] + trainees)
    total = None
    if own:
        total = {
            "classes": sum(c for c, _t in by_center.values()),
            "trainees": sum(t for _c, t in by_center.values()),
        }
    return LevelTargets(by_block, dict(by_center), total)
