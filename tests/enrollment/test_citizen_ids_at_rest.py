"""Citizen IDs at rest: encrypted in the database, readable after a key
rotation, and still found by the list import and the registry search through
their keyed hash."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from enrollment.models import Enrollment, Trainee
from tests.enrollment.excel import person, workbook
from tests.enrollment.trainee_lists import confirm, parse
from tests.factories import make_class, make_trainee

OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()
IDS = ["001095000123", "038201009999", "079187004321"]


def stored(pk: int) -> tuple[str, str]:
    """The citizen ID column and its hash as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT citizen_id, citizen_id_hash FROM enrollment_trainee WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


@pytest.fixture
def klass(site_a):
    with scope(center=site_a.center):
        yield make_class(site_a.center)


def test_the_database_holds_no_citizen_id_in_clear(site_a):
    with scope(center=site_a.center):
        trainee = make_trainee(site_a.center, citizen_id=IDS[0])
        other = make_trainee(site_a.center, citizen_id=IDS[0][:-1] + "4")
        without = make_trainee(site_a.center)
        column, digest = stored(trainee.pk)
        assert IDS[0] not in column and len(column) > 60
        assert len(digest) == 64 and IDS[0] not in digest
        # The same ID encrypts differently each time, and hashes the same.
        trainee.save()
        again, same = stored(trainee.pk)
        assert again != column and same == digest
        assert stored(other.pk)[1] != digest
        assert stored(without.pk) == ("", "")
        assert Trainee.objects.get(pk=trainee.pk).citizen_id == IDS[0]
        assert list(Trainee.objects.with_citizen_id(IDS[0])) == [trainee]
        # Comparing tokens in the database would silently find no one.
        with pytest.raises(FieldError):
            Trainee.objects.filter(citizen_id=IDS[0]).exists()


def test_key_rotation_keeps_every_id_readable(site_a):
    with override_settings(CITIZEN_ID_KEYS=[OLD_KEY]), scope(center=site_a.center):
        people = [make_trainee(site_a.center, citizen_id=pk) for pk in IDS]
        old_tokens = [stored(p.pk)[0] for p in people]
    # A new key first, the old one kept for reading: every ID still reads.
    with (
        override_settings(CITIZEN_ID_KEYS=[NEW_KEY, OLD_KEY]),
        scopes_disabled(),
    ):
        assert sorted(Trainee.objects.values_list("citizen_id", flat=True)) == IDS
        call_command("rotate_citizen_ids", stdout=open("/dev/null", "w"))
        new_tokens = [stored(p.pk)[0] for p in people]
    assert all(new != old for new, old in zip(new_tokens, old_tokens, strict=True))
    # Once rotated, the old key can go.
    with override_settings(CITIZEN_ID_KEYS=[NEW_KEY]), scopes_disabled():
        assert sorted(Trainee.objects.values_list("citizen_id", flat=True)) == IDS
        assert Trainee.objects.with_citizen_id(IDS[1]).get().pk == people[1].pk


def test_a_new_hash_key_takes_effect_after_the_rotation_command(site_a):
    with scope(center=site_a.center):
        trainee = make_trainee(site_a.center, citizen_id=IDS[2])
    with override_settings(CITIZEN_ID_HASH_KEY="another-hash-key"), scopes_disabled():
        assert not Trainee.objects.with_citizen_id(IDS[2]).exists()
        call_command("rotate_citizen_ids", stdout=open("/dev/null", "w"))
        assert Trainee.objects.with_citizen_id(IDS[2]).get() == trainee


def test_the_import_finds_a_registered_person_by_citizen_id(site_a, klass):
    with scope(center=site_a.center):
        known = make_trainee(
            site_a.center, full_name="Nguyễn Văn Dậu", citizen_id=IDS[0]
        )
        # Another name and birth date: only the ID can tell it is the same person.
        content = workbook(
            [
                person(1, "Nguyễn Văn Dâu", "02/02/1990", citizen_id=IDS[0]),
                person(2, "Lê Thị Hoa", "03/03/1991", citizen_id=IDS[1]),
            ]
        )
        with translation.override("vi"):
            first, second = parse(content, klass).rows
        assert first.match_id == known.pk and second.match_id is None
        result = confirm(site_a, klass, content)
        assert result.created == 1
        added = Trainee.objects.exclude(pk=known.pk).get()
        assert added.citizen_id == IDS[1]
        assert IDS[1] not in stored(added.pk)[0]
        assert set(Enrollment.objects.values_list("trainee_id", flat=True)) == {
            known.pk,
            added.pk,
        }


def test_the_registry_search_finds_a_person_by_citizen_id(site_a):
    with scope(center=site_a.center):
        known = make_trainee(
            site_a.center, full_name="Trần Văn Bình", citizen_id=IDS[1]
        )
        make_trainee(site_a.center, full_name="Trần Văn Cường", citizen_id=IDS[2])
        assert list(site_a.center.trainees.matching(IDS[1])) == [known]
        assert site_a.center.trainees.matching("Trần Văn").count() == 2


def test_a_second_record_with_the_same_citizen_id_is_refused(site_a):
    client = Client()
    client.force_login(site_a.staff)
    with scope(center=site_a.center):
        make_trainee(site_a.center, citizen_id=IDS[0])
    url = reverse("enrollment:trainee_create", args=[site_a.center.slug])
    with translation.override("vi"):
        page = client.post(
            url,
            {
                "full_name": "Phạm Văn Em",
                "gender": "male",
                "party_status": "non_member",
                "citizen_id": IDS[0],
            },
            HTTP_ACCEPT_LANGUAGE="vi",
        )
    assert page.status_code == 200
    assert "citizen_id" in page.context["form"].errors
    with scopes_disabled():
        assert Trainee.objects.count() == 1
