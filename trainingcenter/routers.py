"""Report reads on a read replica, when one is configured (docs/operations.md).

Reports and rollups only read, and read a lot; a replica a few seconds behind
serves them as well as the primary. Everything else, and every write, stays on
"default", so a page always shows what its user just saved.
"""

import contextlib
import functools
from contextvars import ContextVar

from django.conf import settings

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextlib.contextmanager
def report_reads():
    """Within this block, reads go to settings.REPORT_DATABASE (if set)."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def reads_reports(function):
    """Run `function` inside report_reads()."""

    @functools.wraps(function)
    def wrapped(*args, **kwargs):
        with report_reads():
            return function(*args, **kwargs)

    return wrapped


class ReportReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = getattr(settings, "REPORT_DATABASE", None)
        if alias and _reading_reports.get():
            return alias
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
