"""Writing a confirmed trainee list: every row in one transaction, or none."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import TrainingClass
from enrollment.matching import apply_choices
from enrollment.models import Enrollment, Trainee
from enrollment.services import summaries
from trainingcenter.bulk import insert_rows, paused_gc
from trainingcenter.encryption import lookup_hash
from trainingcenter.models import Membership
from trainingcenter.text import search_key


@dataclass
class ImportResult:
    created: int
    matched: int


def load_batch_sheet(batch):
    """The cells of a stored upload, as read (and checked) when it was uploaded."""
    from trainingcenter.uploads import Sheet

    return Sheet.from_json(batch.sheet)


@paused_gc()
@transaction.atomic
def import_trainee_list(
    batch,
    *,
    by,
    membership: Membership,
    over_capacity_confirmed: bool = False,
    sheet=None,
    choices=None,
) -> ImportResult:
    """Enrol every person of an uploaded list, creating those not yet registered.

    All or nothing: the list is read and checked again against the registry as
    it is now; any row error, a closed class or (unless a director confirms) an
    exceeded capacity refuses the whole list and writes nothing. New people are
    created with one bulk insert, enrolments with another. `choices` holds the
    user's answer for each row that is probably a registered person
    ("person-<row>": the person's id, or "new"); without one, the registered
    person is taken.
    """
    training_class = TrainingClass.objects.select_for_update().get(
        pk=batch.training_class_id
    )
    if training_class.is_closed:
        raise ValidationError(
            _("The class is closed; nobody can be enrolled any more."), code="closed"
        )
    parsed = _parse_clean(batch, training_class, sheet)
    apply_choices(parsed.rows, choices or {})
    rows = [row for row in parsed.rows if not row.already_enrolled]
    _check_capacity(
        training_class,
        rows,
        membership=membership,
        over_capacity_confirmed=over_capacity_confirmed,
    )
    new_rows, people = _create_people(batch, rows)
    _enroll(training_class, rows, new_rows, people)
    summaries.touch([training_class.pk])
    _close_batch(batch, parsed)
    return ImportResult(created=len(new_rows), matched=len(rows) - len(new_rows))


def _parse_clean(batch, training_class: TrainingClass, sheet):
    """The list read again, refused unless it has a header, people and no error."""
    from enrollment.importing import parse_batch

    # Warnings were for the preview; they never refuse a list.
    parsed = parse_batch(batch, training_class, sheet=sheet, warnings=False)
    if not parsed.header_row:
        raise ValidationError(_("No column “Họ và tên” was found."), code="no_header")
    if parsed.error_count:
        raise ValidationError(
            _("%(count)s rows have errors; fix them and upload the file again.")
            % {"count": parsed.error_count},
            code="row_errors",
        )
    if not parsed.rows:
        raise ValidationError(_("The list has no trainee."), code="empty")
    return parsed


def _check_capacity(
    training_class: TrainingClass,
    rows: list,
    *,
    membership: Membership,
    over_capacity_confirmed: bool,
) -> None:
    """Beyond the class's capacity, only a director who confirmed may enrol."""
    if training_class.capacity:
        taken = (
            Enrollment.objects.filter(training_class=training_class).active().count()
        )
        if taken + len(rows) > training_class.capacity and not (
            over_capacity_confirmed and membership.is_director
        ):
            raise ValidationError(
                _(
                    "The class holds %(capacity)s trainees and has %(taken)s; "
                    "only a director can enrol beyond that."
                )
                % {"capacity": training_class.capacity, "taken": taken},
                code="capacity",
            )


def _create_people(batch, rows: list) -> tuple[list, list[dict]]:
    """Insert the people the registry does not know, in one bulk insert, and
    point their rows at the new records. Returns (their rows, their fields)."""
    fields = {f.attname for f in Trainee._meta.concrete_fields}
    new_rows = [row for row in rows if not row.match_id]
    people = []
    for row in new_rows:
        person = {k: v for k, v in row.values.items() if k in fields}
        person.setdefault("party_status", Trainee.PartyStatus.NON_MEMBER)
        person.update(
            Trainee.name_fields(person["full_name"]),
            center_id=batch.center_id,
            citizen_id_hash=lookup_hash(person.get("citizen_id") or ""),
        )
        people.append(person)
    for row, pk in zip(new_rows, insert_rows(Trainee, people), strict=True):
        row.match_id = pk
    return new_rows, people


def _enroll(training_class: TrainingClass, rows: list, new_rows, people) -> None:
    """One enrolment per row, in one bulk insert.

    The enrolment keeps unit and party status as they are now: from the new
    records; for people already registered, as their row gives them (the unit
    chosen for the whole list included: it sent them), else as the registry
    has them. The batch itself records who imported the list and when; the
    history tables start with the first change of a result.
    """
    now = {
        row.match_id: (person.get("unit_id"), person["party_status"])
        for row, person in zip(new_rows, people, strict=True)
    }
    matched = {row.match_id for row in rows if row.match_id not in now}
    now.update(
        (pk, (unit_id, status))
        for pk, unit_id, status in Trainee.objects.filter(pk__in=matched).values_list(
            "pk", "unit_id", "party_status"
        )
    )
    for row in rows:
        if row.match_id in matched:
            unit_id, status = now[row.match_id]
            listed = row.values.get("unit_id")
            now[row.match_id] = (
                listed or unit_id,
                row.values.get("party_status") or status,
            )
    enrollments = [
        {
            "training_class_id": training_class.pk,
            "trainee_id": row.match_id,
            "unit_id": now[row.match_id][0],
            "party_status": now[row.match_id][1],
        }
        for row in rows
    ]
    insert_rows(Enrollment, enrollments)


def _close_batch(batch, parsed) -> None:
    """Keep the record of who imported what and drop the file's personal data."""
    batch.confirmed_at = timezone.now()
    batch.sheet = {}
    batch.save(update_fields=["confirmed_at", "sheet"])


@transaction.atomic
def choose_columns(batch, *, headers: tuple, mapping: dict[str, str], by) -> None:
    """Read the upload with the columns the user chose, and remember the choice
    for the centre's next list with the same header row (`headers`, as in the
    file), whoever sends it."""
    from enrollment.models import ColumnMapping
    from enrollment.models.imports import header_row_key

    batch.mapping = mapping
    batch.mapping_remembered = False
    batch.save(update_fields=["mapping", "mapping_remembered"])
    key = header_row_key(headers)
    if not key:
        return
    fields = {
        "mapping": mapping,
        "headers": [" ".join(str(c).split()) for c in headers if c is not None][:60],
        "sending_unit_id": batch.sending_unit_id,
        "updated_at": timezone.now(),
    }
    kept = ColumnMapping.objects.filter(center_id=batch.center_id, header_row=key)
    if not kept.update(**fields):
        ColumnMapping.objects.create(
            center_id=batch.center_id, header_row=key, **fields
        )


def create_unit(*, name: str, parent, kind: str, by):
    """A unit that a list names but the catalogue lacks, added by a director."""
    from django.utils.text import slugify

    from trainingcenter.models import Organization

    level = (
        Organization.Level.COMMUNE
        if parent.level == Organization.Level.PROVINCE
        else Organization.Level.CELL
        if kind == Organization.Kind.PARTY_CELL
        else Organization.Level.GRASSROOTS
    )
    base = f"{parent.code}-{slugify(search_key(name))[:24]}".upper()
    code, number = base, 1
    while Organization.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    return Organization.objects.create(
        code=code, name=" ".join(name.split()), kind=kind, level=level, parent=parent
    )
