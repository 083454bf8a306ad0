"""Two saves at the same moment, each in its own thread with its own database connection.

Use in `@pytest.mark.django_db(transaction=True)` tests marked `postgres_only`: the data the threads read must be
committed, and SQLite's in-memory test database serialises its connections anyway (there the sequential tests
cover the same rules).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import ExitStack
from unittest import mock

import pytest
from django.db import connection, connections
from django.db.models.query import QuerySet

from ivp.core.locking import StaleEdit

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="two real connections at the same moment need PostgreSQL")


def race(*saves: Callable[[], object], pause_before_writing=None, timeout: float = 30) -> list:
    """Run each save in its own thread and return what each returned or raised.

    The threads start together. With `pause_before_writing=Model`, each thread also waits, right before its first
    UPDATE or INSERT of that model, until every thread got there: both have read the same version and are inside
    their transactions, so the database itself must decide (leave it out for services that lock a row with
    SELECT ... FOR UPDATE first: the second thread waits there, before the pause)."""
    start = threading.Barrier(len(saves), timeout=timeout)
    before_write = threading.Barrier(len(saves), timeout=timeout)
    paused = threading.local()

    def pausing(method):
        def wrapper(self, *args, **kwargs):
            if self.model is pause_before_writing and not getattr(paused, "done", False):
                paused.done = True
                before_write.wait()
            return method(self, *args, **kwargs)
        return wrapper

    results: list = [None] * len(saves)

    def run(index: int, save) -> None:
        try:
            start.wait()
            results[index] = save()
        except Exception as exc:  # noqa: BLE001  (returned to the test, which asserts on it)
            results[index] = exc
        finally:
            connections.close_all()  # this thread's own connection

    with ExitStack() as stack:
        if pause_before_writing is not None:
            for name in ("update", "create"):
                stack.enter_context(mock.patch.object(QuerySet, name, pausing(getattr(QuerySet, name))))
        threads = [threading.Thread(target=run, args=(i, save)) for i, save in enumerate(saves)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)
        assert not any(thread.is_alive() for thread in threads), "a save did not finish"
    return results


def one_won(results: list):
    """Exactly one save returned; the other raised StaleEdit. Returns the winner's result."""
    refused = [r for r in results if isinstance(r, StaleEdit)]
    other_errors = [r for r in results if isinstance(r, Exception) and not isinstance(r, StaleEdit)]
    assert not other_errors, other_errors
    assert len(refused) == len(results) - 1, results
    return next(r for r in results if not isinstance(r, Exception))
