"""Writing plain rows fast: COPY on PostgreSQL, executemany on SQLite.

The generator writes millions of rows; building model instances and saving
them one by one (or even `bulk_create`) would take hours at the nation's
scale. `Writer` takes tuples in column order, checks that every NOT NULL
column is given, and writes them in chunks. `rebuilt_after` loads the big
tables without their foreign keys and secondary indexes and builds them
again afterwards; `analyze` refreshes the planner's statistics.
"""

import io
from collections import Counter
from contextlib import contextmanager

from django.db import connection

from enrollment.demo.generator import GeneratorError

CHUNK = 100_000  # rows per COPY or executemany


class Writer:
    """Writes plain rows fast: COPY on PostgreSQL, executemany on SQLite.

    Ids are reserved from the table's sequence (PostgreSQL) or after its
    highest id inside the write transaction (SQLite), so rows can point at
    each other before they are written. `written` counts the rows per model
    label, in the order the models were first written.
    """

    def __init__(self):
        self.pg = connection.vendor == "postgresql"
        self._next: dict[str, int] = {}
        self.pending: dict[type, tuple[list[str], list[tuple]]] = {}
        self.written: Counter = Counter()

    def reserve(self, model, n: int) -> int:
        """The first of `n` fresh ids for `model`'s table."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.pg:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                    " nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                    [table, table, max(n, 1)],
                )
                return cursor.fetchone()[0] - max(n, 1) + 1
            if table not in self._next:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
                highest = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT seq FROM sqlite_sequence WHERE name = %s", [table]
                )
                row = cursor.fetchone()
                self._next[table] = max(highest, row[0] if row else 0) + 1
            first = self._next[table]
            self._next[table] += n
            return first

    @staticmethod
    def check(model, columns: list[str]) -> None:
        """Every NOT NULL column is given: a new model field fails here, loudly."""
        given = set(columns)
        missing = [
            f.column
            for f in model._meta.concrete_fields
            if not f.null and f.column not in given and not f.primary_key
        ]
        if missing:
            raise GeneratorError(f"{model._meta.db_table}: thiếu cột {missing}")

    def add(self, model, columns: list[str], rows) -> None:
        """Queue rows; `flush()` writes every queue in the order models were added."""
        queued = self.pending.setdefault(model, (columns, []))
        queued[1].extend(rows)

    def queued(self) -> int:
        return sum(len(rows) for _, rows in self.pending.values())

    def flush(self) -> None:
        for model, (columns, rows) in self.pending.items():
            self.write(model, columns, rows)
        self.pending = {}

    def write(self, model, columns: list[str], rows) -> int:
        """Write `rows` (tuples in `columns` order) now; returns how many."""
        self.check(model, columns)
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.pg:
                done = _copy(cursor, table, columns, rows)
            else:
                done = _insert(cursor, table, columns, rows)
        self.written[model._meta.label] += done
        return done


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    """COPY in chunks of text lines (NULL as \\N)."""
    sql = f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
    done, buffer, n = 0, io.StringIO(), 0
    for row in rows:
        buffer.write("\t".join([r"\N" if v is None else str(v) for v in row]))
        buffer.write("\n")
        n += 1
        if n == CHUNK:
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)
            done, buffer, n = done + n, io.StringIO(), 0
    if n:
        buffer.seek(0)
        cursor.copy_expert(sql, buffer)
        done += n
    return done


def _insert(cursor, table: str, columns: list[str], rows) -> int:
    """executemany in chunks of one INSERT per row."""
    marks = ", ".join(["%s"] * len(columns))
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})'
    done, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            cursor.executemany(sql, batch)
            done, batch = done + len(batch), []
    if batch:
        cursor.executemany(sql, batch)
        done += len(batch)
    return done


@contextmanager
def rebuilt_after(models, say):
    """PostgreSQL: load `models`' tables without their foreign keys and non-unique
    indexes, then create them again, in the caller's transaction.

    Inserting 4,2 million enrolments row by row into five indexes, with three
    foreign-key checks a row, took about 4 minutes; loading bare and building
    takes well under one. Primary keys and unique constraints stay, and the
    foreign keys are validated when they are added back. The tables are locked
    until the transaction ends; on any error everything rolls back.
    """
    if not models or connection.vendor != "postgresql":
        yield
        return
    restore = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for model in models:
            restore += _drop_keys_and_indexes(cursor, model._meta.db_table)
    yield
    say(f"Tạo lại {len(restore)} chỉ mục và khóa ngoại…")
    with connection.cursor() as cursor:
        # Indexes first, then the foreign keys.
        for _order, create in sorted(restore, key=lambda r: r[0]):
            cursor.execute(create)


def _drop_keys_and_indexes(cursor, table: str) -> list[tuple[int, str]]:
    """Drop `table`'s foreign keys and non-unique indexes; returns (order,
    statement) pairs that make them again."""
    cursor.execute(
        """
        SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I',
                      conrelid::regclass, conname),
               format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s',
                      conrelid::regclass, conname, pg_get_constraintdef(oid)),
               2
        FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'
        UNION ALL
        SELECT format('DROP INDEX %%s', indexrelid::regclass),
               pg_get_indexdef(indexrelid), 1
        FROM pg_index
        WHERE indrelid = %s::regclass AND NOT indisunique AND NOT indisprimary
        """,
        [table, table],
    )
    restore = []
    for drop, create, order in cursor.fetchall():
        cursor.execute(drop)
        restore.append((order, create))
    return restore


def analyze(models) -> None:
    """Fresh planner statistics for `models`' tables; on PostgreSQL outside a
    transaction, VACUUM too (SQLite analyses the whole file)."""
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
        elif connection.in_atomic_block:
            cursor.execute("ANALYZE " + ", ".join(f'"{t}"' for t in tables))
        else:
            cursor.execute("VACUUM (ANALYZE) " + ", ".join(f'"{t}"' for t in tables))
