"""Two writers at once, overlapping for certain instead of by a sleep.

`Race` hooks a function that the code under test calls inside its
transaction once it holds the lock meant to serialise such writers (a row
lock, an advisory lock; on SQLite the write lock that BEGIN IMMEDIATE takes).
The first thread to call it stops there, after the real call, with the lock
held and its transaction open. Only then is the second thread started, and
the first is not let go until the second is seen waiting for that lock:
PostgreSQL's pg_stat_activity shows its backend waiting on a lock, or on
SQLite the thread is inside BEGIN IMMEDIATE. The first then commits, and the
second must reach the hook only after that.

So the race always happens: both writers are inside their transactions at
once, one holding the lock while the other provably waits. Run one after
the other, the second would never be seen waiting and `run` fails; without
the lock, the second would get past it while the first is held, and `run`
fails too.
"""

import sys
import threading
import time
from collections.abc import Callable

from django.db import connection

# Seconds to wait for each step; below PostgreSQL's lock_timeout (5 s), so the
# waiting writer is still waiting when the first is let go.
STEP = 4.0
NAMES = ("first", "second")


def backend_pid() -> int | None:
    """This thread's PostgreSQL backend (None on SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def waits_for_lock(thread: threading.Thread, pid: int | None) -> bool:
    """Whether `thread` is blocked on a database lock right now."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]
            )
            row = cursor.fetchone()
        return row is not None and row[0] == "Lock"
    # SQLite: one write transaction at a time, taken by BEGIN IMMEDIATE.
    frame = sys._current_frames().get(thread.ident)
    while frame is not None:
        if frame.f_code.co_name == "_start_transaction_under_autocommit":
            return True
        frame = frame.f_back
    return False


class Race:
    """Run two writers so that the second waits on the lock the first holds.

    `module.hold` is where the first writer is held, inside its transaction
    with the lock taken (see above). `module.locked`, by default the same, is
    what each writer calls first once it holds the lock: when a writer can
    stop before `hold` (a code already used), `locked` is what proves that
    it got past the lock at all.
    """

    def __init__(self, monkeypatch, module, hold: str, *, locked: str = ""):
        self.events: list[str] = []
        self._mutex = threading.Lock()
        self._held = threading.Event()
        self._go_on = threading.Event()
        locked = locked or hold

        def arrived() -> None:
            who = threading.current_thread().name
            with self._mutex:
                if who in NAMES and f"{who} past the lock" not in self.events:
                    self.events.append(f"{who} past the lock")

        def hooked(real, name):
            def function(*args, **kwargs):
                if name == locked:
                    arrived()
                result = real(*args, **kwargs)
                if name == hold and threading.current_thread().name == "first":
                    if not self._held.is_set():
                        self._held.set()
                        self._go_on.wait(STEP * 3)
                return result

            return function

        for name in {hold, locked}:
            monkeypatch.setattr(module, name, hooked(getattr(module, name), name))

    def run(self, first: Callable, second: Callable) -> tuple:
        """Each job's return value, or the exception it raised: (first, second)."""
        outcomes, pids = {}, {}

        def runner(name, job):
            try:
                pids[name] = backend_pid()
                outcomes[name] = job()
            except Exception as error:  # returned to the test
                outcomes[name] = error
            finally:
                connection.close()
                self._held.set()  # never leave the test waiting on a failed job

        threads = {
            name: threading.Thread(target=runner, args=(name, job), name=name)
            for name, job in zip(NAMES, (first, second), strict=True)
        }
        threads["first"].start()
        try:
            assert self._held.wait(STEP * 3), "the first writer never took the lock"
            assert self.events == ["first past the lock"], (self.events, outcomes)
            threads["second"].start()
            seen = self._seen_waiting(threads["second"], pids)
            with self._mutex:
                self.events.append("first let go")
        finally:
            self._go_on.set()
            for thread in threads.values():
                if thread.ident is not None:  # started
                    thread.join()
        assert seen, f"the second writer never waited for the lock: {self.events}"
        assert self.events == [
            "first past the lock",
            "second waits",
            "first let go",
            "second past the lock",
        ], self.events
        return outcomes["first"], outcomes["second"]

    def _seen_waiting(self, thread: threading.Thread, pids: dict) -> bool:
        deadline = time.monotonic() + STEP
        while time.monotonic() < deadline and thread.is_alive():
            if "second past the lock" in self.events:
                return False
            if "second" in pids and waits_for_lock(thread, pids["second"]):
                with self._mutex:
                    if "second past the lock" in self.events:
                        return False
                    self.events.append("second waits")
                return True
            time.sleep(0.005)
        return False
