"""A backup holds no citizen ID in clear: `pg_dump` of the seeded database is
searched for every citizen ID of the demo data. And an existing database is
converted by its migration: IDs written in clear before it are encrypted,
hashed and still read back. PostgreSQL only (the dump is PostgreSQL's)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_scopes import scopes_disabled

from enrollment.models import Trainee
from tests.production import postgres_only
from tests.production.test_backup_restore import run_pg

pytestmark = postgres_only

BEFORE = [("enrollment", "0009_header_synonyms_and_mappings_by_header_row")]


@pytest.mark.django_db(transaction=True)
def test_pg_dump_shows_no_citizen_id_of_the_demo_data(tmp_path):
    call_command("seed_demo", password="mot-mat-khau-demo-dai", force=True)
    with scopes_disabled():
        ids = set(
            Trainee.objects.exclude(citizen_id_hash="").values_list(
                "citizen_id", flat=True
            )
        )
    assert len(ids) > 1000 and all(len(i) == 12 and i.isdigit() for i in ids)
    dump = tmp_path / "backup.sql"
    run_pg("pg_dump", "-f", str(dump), connection.settings_dict["NAME"])
    text = dump.read_text()
    assert "COPY public.enrollment_trainee" in text
    assert [i for i in ids if i in text] == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_ids_an_existing_database_holds(site_a):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO enrollment_trainee (center_id, full_name, family_name,"
            " middle_name, given_name, birth_year_only, gender, ethnicity,"
            " position, party_status, citizen_id, notes, name_key, sort_key)"
            " VALUES (%s, 'Lê Văn An', 'Lê', 'Văn', 'An', false, 'male', '', '',"
            " 'non_member', %s, '', 'le van an', 'an') RETURNING id",
            [site_a.center.pk, "001095000777"],
        )
        (pk,) = cursor.fetchone()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT citizen_id, citizen_id_hash FROM enrollment_trainee WHERE id = %s",
            [pk],
        )
        column, digest = cursor.fetchone()
    assert "001095000777" not in column and len(digest) == 64
    with scopes_disabled():
        assert Trainee.objects.with_citizen_id("001095000777").get().pk == pk
        assert Trainee.objects.get(pk=pk).citizen_id == "001095000777"
