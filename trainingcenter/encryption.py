"""Sensitive values at rest: encrypted with a rotatable key, found by a keyed hash.

A citizen ID is stored as a Fernet token (AES with an HMAC, from the
`cryptography` package) made with the first key of `CITIZEN_ID_KEYS`; the
other keys are kept only to read tokens made before a rotation
(`MultiFernet`), and `manage.py rotate_citizen_ids` re-encrypts every row
with the current key. A token is different every time, so the database can
neither compare nor index it: a person is found by the HMAC-SHA256 of the
clear value under `CITIZEN_ID_HASH_KEY`, kept in its own indexed column
(`lookup_hash`). Neither key is ever stored in the database.
"""

import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _keys() -> MultiFernet:
    return _fernet(tuple(settings.CITIZEN_ID_KEYS))


def encrypt(text: str) -> str:
    """The token of `text` under the current key ("" stays "")."""
    return _keys().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    """The clear text of a token made under any configured key."""
    return _keys().decrypt(token.encode()).decode() if token else ""


def lookup_hash(text: str) -> str:
    """The keyed hash a value is matched by without decrypting ("" stays "")."""
    if not text:
        return ""
    key = settings.CITIZEN_ID_HASH_KEY.encode()
    return hmac.digest(key, text.encode(), "sha256").hex()


class EncryptedCharField(models.CharField):
    """Text kept encrypted in the database and clear in Python.

    The column holds the token (about 100 characters for a 12-character
    value); forms limit the clear value to `clear_max_length`. The database
    cannot compare tokens, so only `isnull` may be looked up: filter on the
    hash column named by `hash_field` instead (`lookup_hash`).
    """

    def __init__(self, *args, clear_max_length=None, hash_field="", **kwargs):
        self.clear_max_length = clear_max_length
        self.hash_field = hash_field
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.clear_max_length is not None:
            kwargs["clear_max_length"] = self.clear_max_length
        if self.hash_field:
            kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.name} is encrypted: filter on {self.hash_field or 'its hash'}"
            )
        return super().get_lookup(lookup_name)

    def formfield(self, **kwargs):
        if self.clear_max_length is not None:
            kwargs.setdefault("max_length", self.clear_max_length)
        return super().formfield(**kwargs)
