"""Keeping the queue table small: finished task rows are kept for TASK_RESULT_DAYS days, then deleted."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

#: Finished (successful or failed) task rows older than this are deleted; the scheduled runs stay.
TASK_RESULT_DAYS = 30


def prune_finished_tasks(now: dt.datetime | None = None) -> str:
    """The daily scheduled job `prune_task_results` (ivp.jobs.scheduled)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=TASK_RESULT_DAYS)
    deleted, _per_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return f"{deleted} finished task(s) older than {TASK_RESULT_DAYS} days deleted"
