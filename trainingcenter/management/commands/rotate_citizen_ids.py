"""Re-encrypt every encrypted value with the current key, and hash it again.

After a new key is put first in CITIZEN_ID_KEYS (the old ones kept after it),
this rewrites every row of every model with an `EncryptedCharField` under the
new key; the old keys can then be dropped. The hash column is recomputed as
well, so a new CITIZEN_ID_HASH_KEY takes effect by the same run. Rows are
read and written in chunks, each chunk in its own transaction: the command
can be stopped and run again.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from trainingcenter.encryption import EncryptedCharField, lookup_hash

CHUNK = 2000


def encrypted_fields() -> list[tuple[type, EncryptedCharField]]:
    """Every encrypted field of the installed models (history tables too)."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedCharField)
    ]


def rotate(model, field: EncryptedCharField) -> int:
    """Rewrite `field` of every row of `model` that has a value; the count."""
    names = [field.attname] + ([field.hash_field] if field.hash_field else [])
    rows = model._base_manager.exclude(**{f"{field.attname}__isnull": True})
    done, last = 0, 0
    while True:
        chunk = [
            obj
            for obj in rows.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", *names)[:CHUNK]
        ]
        if not chunk:
            return done
        last = chunk[-1].pk
        chunk = [obj for obj in chunk if getattr(obj, field.attname)]
        for obj in chunk:
            if field.hash_field:
                setattr(obj, field.hash_field, lookup_hash(getattr(obj, field.attname)))
        with transaction.atomic():
            # Saving the clear value encrypts it again, with the first key.
            model._base_manager.bulk_update(chunk, names)
        done += len(chunk)


class Command(BaseCommand):
    help = (
        "Re-encrypt every citizen ID with the first key of CITIZEN_ID_KEYS and "
        "recompute its hash with CITIZEN_ID_HASH_KEY."
    )

    def handle(self, *args, **options):
        with scopes_disabled():
            for model, field in encrypted_fields():
                count = rotate(model, field)
                self.stdout.write(
                    f"{model._meta.label}.{field.name}: {count} re-encrypted"
                )
