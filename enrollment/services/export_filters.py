"""The filters an export was made with, in words a director reads: "Lớp:
Bồi dưỡng nhận thức về Đảng khóa 7 (07/12/2026)", "Năm 2026", "Bảng: Danh
sách xét kết nạp Đảng", not "class=30, kind=year, rollup=pipeline".

An export log row keeps its filters as the request gave them (ids and form
values). The names are looked up for a whole page or chunk at once: one
query per kind of record, however many rows.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from courses.models import ClassType, TrainingClass
from enrollment.models import ExportLog
from enrollment.paperwork.wording import KINDS
from trainingcenter.models import Organization

CHUNK = 1000
# Filters naming a record: the key, and which records its id is among.
RECORDS = {
    "class": "class",
    "issuer": "organization",
    "unit": "organization",
    "programme": "programme",
}


def with_filter_texts(entries: Iterable[ExportLog]) -> Iterator[ExportLog]:
    """`entries`, each with `filters_text` set, looked up a chunk at a time."""
    chunk = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) == CHUNK:
            yield from describe(chunk)
            chunk = []
    yield from describe(chunk)


def describe(entries: list[ExportLog]) -> list[ExportLog]:
    """Set `filters_text` on each of `entries` (in place) and return them."""
    names = _names(entries)
    for entry in entries:
        entry.filters_text = "; ".join(_parts(entry, names))
    return entries


def _names(entries: list[ExportLog]) -> dict[str, dict[int, str]]:
    wanted = defaultdict(set)
    for entry in entries:
        for key, kind in RECORDS.items():
            value = str(entry.filters.get(key, ""))
            if value.isascii() and value.isdecimal():
                wanted[kind].add(int(value))
    classes = TrainingClass.objects.filter(pk__in=wanted["class"]).select_related(
        "class_type"
    )
    return {
        "class": {c.pk: str(c) for c in classes},
        "organization": dict(
            Organization.objects.filter(pk__in=wanted["organization"]).values_list(
                "pk", "name"
            )
        ),
        "programme": dict(
            ClassType.objects.filter(pk__in=wanted["programme"]).values_list(
                "pk", "name"
            )
        ),
    }


def _parts(entry: ExportLog, names: dict[str, dict[int, str]]) -> Iterator[str]:
    filters = dict(entry.filters)
    filters.pop("rollup", None)  # the log's kind of export already names it
    kind = filters.pop("kind", None)
    year, first, last = (filters.pop(k, None) for k in ("year", "from_year", "to_year"))
    start, end = filters.pop("start", None), filters.pop("end", None)
    if year and kind in (None, "year"):
        yield _("Year %(year)s") % {"year": year}
    if first and last and kind == "term":
        yield _("Years %(first)s–%(last)s") % {"first": first, "last": last}
    if start and end and kind == "dates":
        yield _("From %(start)s to %(end)s") % {"start": start, "end": end}
    if filters.pop("by_today", None):
        yield _("Group units under today's communes")
    if entry.trainee_id and filters.pop("trainee", None):
        yield _("Trainee: %(name)s") % {"name": entry.trainee.full_name}
    labels = {
        "class": _("Class"),
        "issuer": _("Issued by"),
        "unit": _("Unit"),
        "programme": _("Programme"),
    }
    for key, label in labels.items():
        value = filters.pop(key, None)
        if value is not None:
            name = (
                names[RECORDS[key]].get(int(value))
                if str(value).isascii() and str(value).isdecimal()
                else None
            )
            yield f"{label}: {name or value}"
    if paper := filters.pop("paper", None):  # a class's paper naming trainees
        paper_kind = KINDS.get(paper)
        yield _("Paper: %(kind)s") % {"kind": paper_kind.label if paper_kind else paper}
    for key, label in (
        ("certificate", _("Certificate number")),
        ("document", _("Document number")),
    ):
        if value := filters.pop(key, None):
            yield f"{label}: {value}"
    for key, value in sorted(filters.items()):  # a filter of another day
        yield f"{key}={value}"
