"""Who the people of a trainee list are: found in the centre's registry by
citizen ID or by name and date of birth, offered when only a birth year
links them, and what the list says otherwise than their record. Nothing here
writes; enrollment/importing.py reads the list with these."""

from collections import defaultdict
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from trainingcenter.encryption import lookup_hash
from trainingcenter.text import search_key

if TYPE_CHECKING:  # the list's types; importing.py imports this module
    from courses.models import TrainingClass
    from enrollment.importing import ListRow


def match_registry(rows: list["ListRow"], training_class: "TrainingClass") -> None:
    """Offer the registry's record for a person already known, so that a list
    never makes a second record of someone already registered.

    Same citizen ID, or same birth date and a name that differs only by
    diacritics placement, spacing or case. Where the list or the registry
    gives only a birth year, a registered person of the same name born that
    year is "probably the same person": taken unless the user chooses
    otherwise, never made new silently. A person already in the class is left
    as it is (an exported roster imports back as no change). Three queries
    whatever the number of rows.
    """
    center = training_class.center
    ids = {row.values.get("citizen_id") for row in rows} - {"", None}
    names = {
        search_key(row.values["full_name"])
        for row in rows
        if row.values.get("full_name")
    }
    # Through the keyed hash: the stored IDs are encrypted, and none is decrypted.
    hashes = {lookup_hash(citizen_id): citizen_id for citizen_id in ids}
    by_id = {
        hashes[digest]: pk
        for digest, pk in center.trainees.filter(
            citizen_id_hash__in=hashes
        ).values_list("citizen_id_hash", "pk")
    }
    by_name, by_year = {}, defaultdict(list)
    for person in (
        center.trainees.filter(name_key__in=names)
        .exclude(birth_date=None)
        .order_by("pk")
        .values("pk", "name_key", "birth_date", "birth_year_only", "full_name")
    ):
        if not person["birth_year_only"]:
            by_name[(person["name_key"], person["birth_date"])] = person["pk"]
        by_year[(person["name_key"], person["birth_date"].year)].append(person)
    enrolled = set(training_class.enrollments.values_list("trainee_id", flat=True))
    by_citizen_id, by_name_and_birth = (
        _("same citizen ID"),
        _("same name and date of birth"),
    )
    for row in rows:
        values = row.values
        pk = by_id.get(values.get("citizen_id"))
        how = by_citizen_id
        if pk is None and values.get("full_name") and values.get("birth_date"):
            key = search_key(values["full_name"])
            if not values.get("birth_year_only"):
                pk = by_name.get((key, values["birth_date"]))
                how = by_name_and_birth
            if pk is None:
                _offer_candidates(
                    row, by_year[(key, values["birth_date"].year)], enrolled
                )
                continue
        if pk is None:
            continue
        row.match_id, row.match_how = pk, how
        row.already_enrolled = pk in enrolled


def note_registry_differences(rows: list["ListRow"]) -> None:
    """Say where a row found in the registry disagrees with its record: a
    citizen ID or a birth date that differs (perhaps another person, or a
    typing error), a party status the list gives otherwise. The record is not
    changed by a list; the enrolment takes the list's party status. One query."""
    matched = defaultdict(list)
    for row in rows:
        # Not a row left as it is (already in the class), nor one whose
        # person the user still has to choose among namesakes.
        if row.match_id and not row.already_enrolled and not row.candidates:
            matched[row.match_id].append(row)
    if not matched:
        return
    from enrollment.models import Trainee

    statuses = dict(Trainee.PartyStatus.choices)
    for person in Trainee.objects.filter(pk__in=matched).values(
        "pk", "citizen_id_hash", "birth_date", "birth_year_only", "party_status"
    ):
        for row in matched[person["pk"]]:
            _note_differences(row, person, statuses)


def _note_differences(row: "ListRow", person: dict, statuses: dict) -> None:
    """The warnings and notes of one row against its registered record."""
    values = row.values
    citizen_id = values.get("citizen_id")
    if (
        citizen_id
        and person["citizen_id_hash"]
        and lookup_hash(citizen_id) != person["citizen_id_hash"]
    ):
        row.warnings.append(
            _(
                "The citizen ID differs from the registered record's: check "
                "that this is the same person."
            )
        )
    birth = values.get("birth_date")
    if (
        birth
        and person["birth_date"]
        and not (values.get("birth_year_only") or person["birth_year_only"])
        and birth != person["birth_date"]
    ):
        row.warnings.append(
            _(
                "The list gives the date of birth %(listed)s, the record "
                "%(recorded)s; the record is kept."
            )
            % {
                "listed": f"{birth:%d/%m/%Y}",
                "recorded": f"{person['birth_date']:%d/%m/%Y}",
            }
        )
    status = values.get("party_status")
    if status and status != person["party_status"]:
        row.notes.append(
            _(
                "The list says %(listed)s, the record %(recorded)s: this "
                "enrolment follows the list; correct the record if the "
                "list is right."
            )
            % {
                "listed": statuses[status],
                "recorded": statuses[person["party_status"]],
            }
        )


def _offer_candidates(row: "ListRow", people: list[dict], enrolled: set[int]) -> None:
    """Registered people of the row's name and birth year, when one side gives
    only the year: the first is taken unless the user chooses otherwise."""
    only_year = row.values.get("birth_year_only")
    row.candidates = [
        (
            person["pk"],
            _("%(name)s, born %(birth)s")
            % {
                "name": person["full_name"],
                "birth": f"{person['birth_date']:%Y}"
                if person["birth_year_only"]
                else f"{person['birth_date']:%d/%m/%Y}",
            },
            person["pk"] in enrolled,
        )
        for person in people
        if only_year or person["birth_year_only"]
    ]
    if row.candidates:
        pk, _label, in_class = row.candidates[0]
        row.match_id, row.already_enrolled = pk, in_class
        row.match_how = _(
            "Probably the same person as a registered one (same name, born the "
            "same year): confirm it in the box “Probably already registered” "
            "above the list."
        )


def apply_choices(rows: list["ListRow"], choices) -> None:
    """The user's answer for each probable match: a registered person's id
    ("person-<row>" = pk) or "new"; without an answer, the first candidate."""
    for row in rows:
        if not row.candidates:
            continue
        chosen = str(choices.get(f"person-{row.number}", ""))
        if chosen == "new":
            row.match_id, row.already_enrolled, row.match_how = None, False, ""
            continue
        for pk, _label, in_class in row.candidates:
            if chosen == str(pk):
                row.match_id, row.already_enrolled = pk, in_class
