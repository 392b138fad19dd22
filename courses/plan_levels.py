"""The plan's targets above the programmes: per block and for the whole
centre, classes and trainees separately.

Centres' plans often state only their totals ("mở 34 lớp, 2.400 lượt học
viên"), or a figure per block. The plan page shows two more inputs per block
and two for the centre beside the programmes' ones; the report compares each
level with its own target where there is one (reports/programmes.py).
"""

from collections.abc import Mapping

from django.db.models import Q

from courses.forms import (
    MAX_PLANNED_CLASSES,
    MAX_PLANNED_TRAINEES,
    AnnualPlanForm,
    PlanRow,
    TargetField,
)
from courses.models import PlanTotal
from trainingcenter.logs import audit
from trainingcenter.models import Center


class PlanLevelsForm(AnnualPlanForm):
    """The programmes' targets, then each block's and the centre's own.

    Field names: "block_classes_<block id>", "block_trainees_<block id>",
    "total_classes", "total_trainees"; blank means no target at that level.
    """

    def __init__(self, *args, levels: Mapping, **kwargs):
        super().__init__(*args, **kwargs)
        blocks = {row.class_type.block for row in self.rows}
        self.level_rows: dict = {}
        for block in sorted(blocks, key=lambda b: (b.order, b.name)):
            self.level_rows[block.pk] = self._level(
                f"block_{block.pk}", levels.get(block.pk)
            )
        self.total_row = self._level("total", levels.get(None))

    def _level(self, key: str, plan) -> PlanRow:
        for prefix, limit, initial in (
            ("classes", MAX_PLANNED_CLASSES, plan and plan.target_classes),
            ("trainees", MAX_PLANNED_TRAINEES, plan and plan.target_trainees),
        ):
            name = f"{key}_{prefix}" if key == "total" else f"block_{prefix}_{key[6:]}"
            field = TargetField(limit=limit, initial=initial)
            field.disabled = not self.editable or (
                self.is_bound and name not in self.data
            )
            field.widget.attrs["aria-labelledby"] = (
                f"plan-level-{key} plan-col-{prefix}"
            )
            self.fields[name] = field
        names = [n for n in self.fields if n.startswith(("block_", "total_"))][-2:]
        return PlanRow(None, self[names[0]], self[names[1]])

    def levels(self) -> dict:
        """Block id (None: the centre) -> (classes, trainees), once valid."""
        result = {
            pk: (
                self.cleaned_data[row.classes.name],
                self.cleaned_data[row.trainees.name],
            )
            for pk, row in self.level_rows.items()
        }
        result[None] = (
            self.cleaned_data[self.total_row.classes.name],
            self.cleaned_data[self.total_row.trainees.name],
        )
        return result


def save_levels(
    center: Center, *, year: int, levels: Mapping, existing: set, by
) -> None:
    """Set the centre's block and whole-centre targets for `year`; a level
    with 0 classes and 0 trainees has no row. `existing`: the levels that had
    a row (block ids, None for the centre). One delete for the emptied ones,
    then an update (or an insert) per level that has a target: a handful of
    blocks, whatever the number of programmes or classes. Call it inside the
    transaction that saves the programmes' targets."""
    rows = PlanTotal.objects.filter(center=center, year=year)
    emptied = [
        pk for pk, (classes, trainees) in levels.items() if not classes + trainees
    ]
    if set(emptied) & existing:
        gone = Q(block__in=[pk for pk in emptied if pk is not None])
        if None in emptied:
            gone |= Q(block__isnull=True)
        rows.filter(gone).delete()
    for block_id, (classes, trainees) in levels.items():
        if not classes + trainees:
            continue
        level = (
            rows.filter(block_id=block_id)
            if block_id
            else rows.filter(block__isnull=True)
        )
        if not level.update(target_classes=classes, target_trainees=trainees):
            PlanTotal.objects.create(
                center=center,
                year=year,
                block_id=block_id,
                target_classes=classes,
                target_trainees=trainees,
            )
    audit(
        "plan levels saved",
        center=center.slug,
        year=year,
        by=getattr(by, "pk", None),
        levels=len(levels) - len(emptied),
    )
