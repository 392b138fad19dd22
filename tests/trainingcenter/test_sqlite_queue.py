"""The SQLite default's writers take their turn in the order they came."""

import threading
import time

import pytest
from django.db.utils import OperationalError

from tests.engines import sqlite_only
from trainingcenter.sqlite.base import WriterQueue


def queued(queue: WriterQueue, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(queue._waiting) < count:
        assert time.monotonic() < deadline, "the writer never lined up"
        time.sleep(0.001)


def test_waiting_writers_are_served_first_come_first_served():
    queue, order = WriterQueue(), []
    queue.acquire(timeout=5)

    def writer(number):
        queue.acquire(timeout=5)
        order.append(number)
        queue.release()

    threads = []
    for number in range(5):
        thread = threading.Thread(target=writer, args=(number,))
        thread.start()
        queued(queue, number + 1)
        threads.append(thread)
    queue.release()
    for thread in threads:
        thread.join()
    assert order == [0, 1, 2, 3, 4]


def test_the_holder_may_take_it_again_and_a_waiter_gives_up_at_the_timeout():
    queue = WriterQueue()
    queue.acquire(timeout=5)
    queue.acquire(timeout=5)  # a second alias of the same file, same thread
    outcome = []

    def impatient():
        try:
            queue.acquire(timeout=0.2)
            outcome.append("got it")
        except OperationalError as error:
            outcome.append(str(error))

    thread = threading.Thread(target=impatient)
    thread.start()
    thread.join()
    assert outcome == ["database is locked"] and not queue._waiting
    queue.release()
    queue.release()
    thread = threading.Thread(target=impatient)
    thread.start()
    thread.join()
    assert outcome[-1] == "got it"


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_transaction_gives_its_turn_up_when_it_ends(site_a):
    from django.db import connection, transaction

    queue = connection._writer_queue()
    with transaction.atomic():
        assert queue._owner == threading.get_ident()
    assert queue._owner is None
    with pytest.raises(RuntimeError), transaction.atomic():
        raise RuntimeError("rolled back")
    assert queue._owner is None
