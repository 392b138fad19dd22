"""Tests that belong to one database engine. `make test` runs the suite twice,
on SQLite and then on PostgreSQL, so each of these runs in one of the passes
and is skipped, with the pass named, in the other."""

import pytest
from django.db import connection

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="production runs on PostgreSQL: this runs in the PostgreSQL pass of "
    "make test (scripts/with-postgres.sh)",
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="it measures the embedded default's single write lock and writer "
    "queue (PostgreSQL locks rows): this runs in the SQLite pass of make test",
)
