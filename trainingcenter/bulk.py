"""Insert many new rows and get their ids, fast on PostgreSQL.

Django's bulk_create spends most of its time preparing each value of each
field in Python; for a 5,000-row trainee list that is about 0.4 s of 0.5 s
(measured, bench/import_bench.py). On PostgreSQL the rows go instead through
psycopg2's own `execute_values`, which adapts plain values in C, with
RETURNING id; elsewhere bulk_create is used unchanged.
"""

from collections.abc import Sequence

from django.db import connection, models


def insert_rows(objs: Sequence[models.Model], *, batch_size: int = 5000) -> None:
    """Insert unsaved `objs` of one model and set their primary keys.

    Values are taken as they are on the instances (plain str, int, bool, date,
    Decimal or None); fields needing conversion are not supported here, and
    save() signals do not run, as with bulk_create.
    """
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model._base_manager.bulk_create(objs, batch_size=1000)
        return
    from psycopg2.extras import execute_values

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for field in fields:
        if field.get_internal_type() in ("JSONField", "BinaryField"):
            raise TypeError(f"{model.__name__}.{field.name}: use bulk_create")
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES %s RETURNING {}".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        quote(model._meta.pk.column),
    )
    for start in range(0, len(objs), batch_size):
        chunk = objs[start : start + batch_size]
        rows = [tuple(getattr(obj, f.attname) for f in fields) for obj in chunk]
        with connection.cursor() as cursor:
            ids = execute_values(
                cursor.cursor, sql, rows, page_size=len(rows), fetch=True
            )
        for obj, (pk,) in zip(chunk, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = connection.alias
