"""The task that carries out one scheduled run (enqueued by `ivp.jobs.scheduler.enqueue_due_jobs`)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django_tasks import task

from .models import ScheduledRun, ScheduledRunStatus
from .schedule import SCHEDULE

logger = logging.getLogger(__name__)


@task()
def run_scheduled_job(run_id: int) -> str:
    """Call the job's function and record the outcome on its ScheduledRun. A failure is recorded (status failed,
    the error as message, the traceback in the log and on the task row) and raised again, so the task fails too."""
    claimed = ScheduledRun.objects.filter(pk=run_id, status=ScheduledRunStatus.QUEUED).update(
        status=ScheduledRunStatus.RUNNING, started_at=timezone.now())
    if not claimed:
        logger.warning("scheduled run %s is not queued; not started", run_id)
        return "skipped"
    run = ScheduledRun.objects.get(pk=run_id)
    try:
        job = SCHEDULE[run.job]
        function = import_string(job.function)
        with translation.override(settings.LANGUAGE_CODE):
            summary = function()
    except BaseException as exc:
        # The traceback is on the task row and in django_tasks' log line; here the one-line reason.
        logger.error("scheduled job %s (due %s) failed: %s: %s", run.job, run.slot.isoformat(), type(exc).__name__,
                     exc)
        ScheduledRun.objects.filter(pk=run_id).update(
            status=ScheduledRunStatus.FAILED, finished_at=timezone.now(),
            message=f"{type(exc).__name__}: {exc}"[:4000])
        raise
    message = "" if summary is None else str(summary)
    ScheduledRun.objects.filter(pk=run_id).update(status=ScheduledRunStatus.DONE, finished_at=timezone.now(),
                                                  message=message[:4000])
    return message[:1000]
