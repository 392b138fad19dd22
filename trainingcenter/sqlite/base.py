"""SQLite, the embedded default, with writers served in turn.

SQLite runs one write transaction at a time: BEGIN IMMEDIATE takes the lock
and a writer that finds it taken sleeps and tries again (up to 100 ms between
tries) until the busy timeout. Those tries are not served in order: a thread
that has just committed begins its next transaction at once, while the others
are asleep, and on a busy machine a waiting writer can miss every free moment
for the whole timeout and fail with "database is locked" although no
transaction held the lock for long.

So within the process (the threads of `manage.py runserver`, a test's
threads) writers line up first: a thread takes the database's `WriterQueue`
before BEGIN IMMEDIATE and gives it up at COMMIT or ROLLBACK, and the queue
hands it to the longest waiting thread. SQLite's own lock still orders this
process against others (the background worker); nothing else changes.
"""

import threading
from collections import deque

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError


class WriterQueue:
    """A first-come, first-served lock, re-entrant for the thread holding it
    (one thread may write through two aliases of one file, as tests do)."""

    def __init__(self):
        self._mutex = threading.Lock()
        self._waiting: deque[tuple[int, threading.Lock]] = deque()
        self._owner: int | None = None
        self._depth = 0

    def acquire(self, timeout: float) -> None:
        me = threading.get_ident()
        with self._mutex:
            if self._owner == me:
                self._depth += 1
                return
            if self._owner is None:  # free: nobody waits for a free queue
                self._owner, self._depth = me, 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append((me, turn))
        if turn.acquire(timeout=timeout):
            return  # handed over by `release`
        with self._mutex:
            if (me, turn) in self._waiting:
                self._waiting.remove((me, turn))
                raise OperationalError("database is locked")
        # Handed over between the timeout and the mutex: it is ours.

    def release(self) -> None:
        with self._mutex:
            if self._owner != threading.get_ident():
                return
            self._depth -= 1
            if self._depth:
                return
            self._owner = None
            if self._waiting:
                self._owner, turn = self._waiting.popleft()
                self._depth = 1
                turn.release()


_queues: dict[str, WriterQueue] = {}
_queues_mutex = threading.Lock()


def writer_queue(name: str) -> WriterQueue:
    """The one queue of the database file `name` in this process."""
    with _queues_mutex:
        return _queues.setdefault(str(name), WriterQueue())


class DatabaseWrapper(base.DatabaseWrapper):
    _in_queue = False

    def _writer_queue(self) -> WriterQueue:
        return writer_queue(self.settings_dict["NAME"])

    def _start_transaction_under_autocommit(self):
        timeout = self.settings_dict["OPTIONS"].get("timeout", 5)
        self._writer_queue().acquire(timeout)
        self._in_queue = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_queue()
            raise

    def _leave_queue(self, *, closing: bool = False):
        """Give the queue up once the transaction is over (a failed COMMIT
        leaves it open until the ROLLBACK that follows)."""
        if not self._in_queue:
            return
        if closing or self.connection is None or not self.connection.in_transaction:
            self._in_queue = False
            self._writer_queue().release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._leave_queue()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._leave_queue()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._leave_queue(closing=True)
