"""Carrying out report runs: in the background (`thread`, the default) or at once (`inline`).

IVP_REPORT_RUNNER=thread: each process keeps a small pool of daemon threads (at most MAX_WORKERS) fed by a
queue; a run is queued once the transaction that created it has committed. Each thread closes its database
connections after a run. The runs a process accepted run in that process; when it stops (restart, crash) a
run it was busy with stays "running" and shows as interrupted after IVP_REPORT_STALE_MINUTES (see
docs/adr/0006-report-runs.md).

IVP_REPORT_RUNNER=inline: the run is carried out synchronously in the caller (tests, the command line).
"""

from __future__ import annotations

import contextvars
import logging
import os
import queue
import threading

from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)

MAX_WORKERS = 2

_lock = threading.Lock()
_queue: queue.SimpleQueue | None = None
_workers: list[threading.Thread] = []
_pid: int | None = None
_pending = 0
_idle = threading.Condition(_lock)


def dispatch(run_id: int) -> None:
    """Hand a queued run to the configured runner."""
    if settings.IVP_REPORT_RUNNER == "inline":
        from .services import report_run_execute

        report_run_execute(run_id=run_id)
        return
    transaction.on_commit(lambda: _submit(run_id))


def _submit(run_id: int) -> None:
    global _pending
    # The audit origin (web/cli, IP address) and the active language travel with the run.
    context = contextvars.copy_context()
    with _lock:
        _ensure_workers()
        _pending += 1
    _queue.put((run_id, context))


def _ensure_workers() -> None:
    """Start the worker threads on first use in this process (again after a fork: threads do not survive one)."""
    global _queue, _pid
    if _pid != os.getpid():
        _queue, _pid = queue.SimpleQueue(), os.getpid()
        _workers.clear()
    _workers[:] = [w for w in _workers if w.is_alive()]
    while len(_workers) < MAX_WORKERS:
        worker = threading.Thread(target=_work, args=(_queue,), name=f"ivp-report-{len(_workers) + 1}", daemon=True)
        worker.start()
        _workers.append(worker)


def _work(jobs: queue.SimpleQueue) -> None:
    global _pending
    while True:
        run_id, context = jobs.get()
        try:
            context.run(_execute, run_id)
        finally:
            with _lock:
                _pending -= 1
                _idle.notify_all()


def _execute(run_id: int) -> None:
    from .services import report_run_execute

    close_old_connections()
    try:
        report_run_execute(run_id=run_id)
    except Exception:
        logger.exception("report run %s: the runner failed", run_id)
    finally:
        connections.close_all()


def wait_until_idle(timeout: float | None = None) -> bool:
    """Wait until this process has no queued or running runs (for tests and an orderly shutdown)."""
    with _idle:
        return _idle.wait_for(lambda: _pending == 0, timeout=timeout)
