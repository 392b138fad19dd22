"""Insert many new rows and get their ids, fast on PostgreSQL.

Django's bulk_create spends most of its time building model instances and
preparing each value of each field in Python: for a 5.000-row trainee list,
about 0,65 s of the confirm (measured with bench/import_bench.py). On
PostgreSQL the rows go instead as one array per column, unnested by the server
in the rows' order, with RETURNING id; elsewhere bulk_create is used.

Each array goes as one literal in PostgreSQL's array syntax ('{"a","b",NULL}'),
not as psycopg2's ARRAY['a', 'b', NULL]: the server then reads one constant
per column instead of parsing one per value. That took the insert of 5.000
people to 42% of its time and of their enrolments to 29% (645 → 270 ms and
255 → 75 ms on a machine three times slower than on a quiet day).
"""

import contextlib
import datetime
import gc
from collections.abc import Iterable, Sequence

from django.db import connection, models

from trainingcenter.encryption import EncryptedCharField, encrypt


def insert_rows(
    model: type[models.Model], rows: Sequence[dict], *, batch_size: int = 5000
) -> list[int]:
    """Insert `rows` (field attname -> plain value) into `model`'s table; their ids.

    Missing fields take their default. Values must be plain (str, int, bool,
    date, Decimal or None); save() and signals do not run, as with bulk_create.
    """
    if not rows:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    if connection.vendor != "postgresql":
        objs = [model(**{**defaults, **row}) for row in rows]
        model._base_manager.bulk_create(objs, batch_size=1000)
        return [obj.pk for obj in objs]
    for field in fields:
        if field.get_internal_type() in ("JSONField", "BinaryField"):
            raise TypeError(f"{model.__name__}.{field.name}: use bulk_create")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    given = ", ".join(f"c{i}" for i in range(len(fields)))  # no clash with a column
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
        f"SELECT {given} FROM unnest({arrays}) WITH ORDINALITY "
        f"AS given ({given}, given_order) ORDER BY given_order "
        f"RETURNING {quote(model._meta.pk.column)}"
    )
    attnames = [f.attname for f in fields]
    # Encrypted fields are written as the tokens their field makes.
    encrypted = [f.attname for f in fields if isinstance(f, EncryptedCharField)]
    if encrypted:
        rows = [
            {**row, **{name: encrypt(row.get(name) or "") for name in encrypted}}
            for row in rows
        ]
    ids = []
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        values = [
            array_literal(row.get(name, defaults[name]) for row in chunk)
            for name in attnames
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            ids.extend(pk for (pk,) in cursor.fetchall())
    return ids


def array_literal(values: Iterable) -> str:
    """PostgreSQL's text form of a one-dimensional array of plain values: each
    element quoted, with backslash before a quote or backslash; None is NULL."""
    return "{" + ",".join(map(_element, values)) + "}"


def _element(value) -> str:
    if value is None:
        return "NULL"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # datetimes too, with their offset
        return value.isoformat()
    text = str(value)
    if "\\" in text or '"' in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


@contextlib.contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while building many small objects.

    Reading and cleaning a 5.000-row list allocates hundreds of thousands of
    objects and none of them form cycles; the collector's passes over them
    took about 40% of the cleaning time (measured with cProfile). Reference
    counting still frees everything; the collector runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
