"""Production checks: they run in the PostgreSQL pass of make test."""

import pytest
from django.db import connection

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="production runs on PostgreSQL: this runs in the PostgreSQL pass of "
    "make test (scripts/with-postgres.sh)",
)
