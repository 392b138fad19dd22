"""Production checks: they run in the PostgreSQL pass of make test."""

from tests.engines import postgres_only

__all__ = ["postgres_only"]
