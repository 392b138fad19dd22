"""How long each transaction holds SQLite's write lock.

On SQLite one write transaction runs at a time: BEGIN IMMEDIATE takes the
lock, COMMIT or ROLLBACK lets it go, and every other writer waits meanwhile
(at most the busy timeout, then "database is locked"). `write_lock_holds`
records, for every transaction begun inside it on any thread, how long the
lock was held and which of the project's functions began it.
"""

import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper

PROJECT_APPS = ("trainingcenter", "courses", "enrollment", "reports", "tests")


@dataclass
class Hold:
    seconds: float
    began_in: str


def _caller() -> str:
    """The innermost project function on the stack (not this module)."""
    base = str(settings.BASE_DIR)
    for frame in reversed(traceback.extract_stack()[:-3]):
        inside = frame.filename.removeprefix(base + "/")
        if inside != frame.filename and inside.startswith(PROJECT_APPS):
            if not inside.startswith("tests/locks.py"):
                return f"{inside}:{frame.lineno} {frame.name}"
    return "?"


@contextmanager
def write_lock_holds():
    """Yield the list of `Hold`s, filled as transactions end."""
    holds: list[Hold] = []
    started: dict[int, tuple[float, str]] = {}
    mutex = threading.Lock()
    begin = DatabaseWrapper._start_transaction_under_autocommit
    commit, rollback = DatabaseWrapper._commit, DatabaseWrapper._rollback

    def timed_begin(self):
        begin(self)
        started[id(self)] = (time.monotonic(), _caller())

    def ended(real):
        def end(self):
            try:
                return real(self)
            finally:
                began = started.pop(id(self), None)
                if began is not None:
                    with mutex:
                        holds.append(Hold(time.monotonic() - began[0], began[1]))

        return end

    DatabaseWrapper._start_transaction_under_autocommit = timed_begin
    DatabaseWrapper._commit = ended(commit)
    DatabaseWrapper._rollback = ended(rollback)
    try:
        yield holds
    finally:
        DatabaseWrapper._start_transaction_under_autocommit = begin
        DatabaseWrapper._commit, DatabaseWrapper._rollback = commit, rollback
