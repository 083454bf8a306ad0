"""`ivp worker`: django-tasks-db's database worker, plus the schedule (docs/adr/0017-task-queue.md).

The loop is django_tasks_db's `Worker.run` with one addition: when it starts, and then every
IVP_SCHEDULE_CHECK_SECONDS, it enqueues the scheduled jobs that are due (`enqueue_due_jobs`). Claiming a task
(a locked `SELECT ... FOR UPDATE SKIP LOCKED`, an exclusive transaction on SQLite), running it and recording
the result are the package's own code (`get_locked`, `claim`, `run_task`). Each task runs in Dutch (the
default language), with the audit origin "system".
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django.utils import translation
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .scheduler import enqueue_due_jobs

logger = logging.getLogger("ivp.jobs.worker")


def _close_old_connections() -> None:
    """Drop expired or broken connections between tasks, as Django does between requests; not inside an outer
    transaction (a --burst run inside a test's transaction), whose connection must stay."""
    if not connection.in_atomic_block:
        close_old_connections()


class IvpWorker(Worker):
    def __init__(self, *, schedule: bool = True, schedule_interval: float | None = None, **options):
        super().__init__(**options)
        self.schedule = schedule
        self.schedule_interval = (settings.IVP_SCHEDULE_CHECK_SECONDS if schedule_interval is None
                                  else schedule_interval)
        self._schedule_checked_at: float | None = None

    def check_schedule(self) -> None:
        if not self.schedule:
            return
        now = time.monotonic()
        if self._schedule_checked_at is not None and now - self._schedule_checked_at < self.schedule_interval:
            return
        self._schedule_checked_at = now
        try:
            enqueue_due_jobs()
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            self._schedule_checked_at = None  # SQLite was busy: try again on the next pass

    def _next_task(self) -> tuple[DBTaskResult | None, bool]:
        """Claim the next ready task: (the task or None, whether the queue could be read at all)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)  # so no other worker takes it
                return task_result, True
            except OperationalError as exc:
                if is_locked_database_exception(exc):
                    return None, False
                raise

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s schedule=%s", self.worker_id,
                    ",".join(self.queue_names), "on" if self.schedule else "off")
        while self.running:
            _close_old_connections()
            self.check_schedule()
            task_result, retrieved = self._next_task()
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and retrieved and task_result is None:
                logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Ran the maximum of %d tasks on worker_id=%s - exiting.", self._run_tasks,
                            self.worker_id)
                return
            _close_old_connections()
            if self.running and not task_result:
                time.sleep(self.interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            super().run_task(db_task_result)
