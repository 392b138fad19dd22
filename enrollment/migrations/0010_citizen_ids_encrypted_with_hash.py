"""Citizen IDs encrypted at rest, matched through a keyed hash.

Existing IDs are encrypted with the current key of CITIZEN_ID_KEYS and hashed
with CITIZEN_ID_HASH_KEY (development values only with DEBUG); the one-ID-per-
centre rule moves to the hash. Reversible: going back decrypts them.
"""

import django.core.validators
from django.db import migrations, models

import trainingcenter.encryption
from trainingcenter.encryption import decrypt, encrypt, lookup_hash

try:  # a development tool, absent in production
    from django_migration_linter import IgnoreMigration
except ImportError:  # pragma: no cover
    IgnoreMigration = None

CHUNK = 2000


def _convert(apps, change) -> None:
    Trainee = apps.get_model("enrollment", "Trainee")
    rows = Trainee._base_manager.exclude(citizen_id="").only("pk", "citizen_id")
    batch = []
    for trainee in rows.order_by("pk").iterator(chunk_size=CHUNK):
        change(trainee)
        batch.append(trainee)
        if len(batch) == CHUNK:
            Trainee._base_manager.bulk_update(batch, ["citizen_id", "citizen_id_hash"])
            batch = []
    Trainee._base_manager.bulk_update(batch, ["citizen_id", "citizen_id_hash"])


def encrypt_ids(apps, schema_editor) -> None:
    def change(trainee):
        trainee.citizen_id_hash = lookup_hash(trainee.citizen_id)
        trainee.citizen_id = encrypt(trainee.citizen_id)

    _convert(apps, change)


def decrypt_ids(apps, schema_editor) -> None:
    def change(trainee):
        trainee.citizen_id = decrypt(trainee.citizen_id)
        trainee.citizen_id_hash = ""

    _convert(apps, change)


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0009_header_synonyms_and_mappings_by_header_row"),
    ]

    # The linter flags the wider column, the index swap and the new unique
    # constraint: all unavoidable here, and the data step rewrites every row
    # with an ID anyway, so this upgrade runs in a maintenance window
    # (widening a varchar does not rewrite the table on PostgreSQL).
    operations = ([IgnoreMigration()] if IgnoreMigration else []) + [
        migrations.RemoveConstraint(
            model_name="trainee",
            name="enrollment_trainee_citizen_id_once_per_center",
        ),
        # Room for the token; still a plain column while the rows are converted.
        migrations.AlterField(
            model_name="trainee",
            name="citizen_id",
            field=models.CharField(blank=True, max_length=255, verbose_name="citizen ID"),
        ),
        migrations.AddField(
            model_name="trainee",
            name="citizen_id_hash",
            field=models.CharField(
                blank=True,
                db_default="",
                db_index=True,
                default="",
                editable=False,
                max_length=64,
            ),
        ),
        migrations.RunPython(encrypt_ids, decrypt_ids),
        migrations.AlterField(
            model_name="trainee",
            name="citizen_id",
            field=trainingcenter.encryption.EncryptedCharField(
                blank=True,
                clear_max_length=12,
                hash_field="citizen_id_hash",
                max_length=255,
                validators=[
                    django.core.validators.RegexValidator(
                        "^\\d{12}$", "A citizen ID has 12 digits."
                    )
                ],
                verbose_name="citizen ID",
            ),
        ),
        migrations.AddConstraint(
            model_name="trainee",
            constraint=models.UniqueConstraint(
                condition=models.Q(("citizen_id_hash", ""), _negated=True),
                fields=("center", "citizen_id_hash"),
                name="enrollment_trainee_citizen_id_once_per_center",
            ),
        ),
    ]
