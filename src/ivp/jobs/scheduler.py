"""Deciding which scheduled jobs are due and enqueueing each due slot exactly once (docs/adr/0017-task-queue.md).

`enqueue_due_jobs(now)` is called by `ivp worker` when it starts and then every IVP_SCHEDULE_CHECK_SECONDS. For
every job in the schedule it takes the latest due slot; when there is no ScheduledRun for that job and slot yet,
it inserts one and enqueues `run_scheduled_job` for it in the same transaction. The unique constraint on
(job, slot) decides between workers that check at the same moment: the second insert fails and that worker
leaves the slot alone. So a slot runs once, however many workers run, and a missed slot (no worker running at
that moment) is caught up once the next worker starts (only the latest one).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun
from .schedule import SCHEDULE, Job

logger = logging.getLogger(__name__)


def enqueue_due_jobs(now: dt.datetime | None = None) -> list[ScheduledRun]:
    """Enqueue every job whose latest slot has no run yet; returns the runs this call created."""
    from .tasks import run_scheduled_job

    now = now or timezone.now()
    created = []
    for job in SCHEDULE.values():
        slot = job.cadence.latest_slot(now)
        if ScheduledRun.objects.filter(job=job.key, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.key, slot=slot)
                result = run_scheduled_job.enqueue(run_id=run.pk)
                ScheduledRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
        except IntegrityError:
            logger.info("scheduled job %s (due %s): another worker enqueued it", job.key, slot.isoformat())
            continue
        logger.info("scheduled job %s (due %s) enqueued", job.key, slot.isoformat())
        run.refresh_from_db()
        created.append(run)
    return created


def schedule_overview(now: dt.datetime | None = None) -> list[dict]:
    """Each job with its cadence, its last run and its next due moment (for `ivp worker --schedule`)."""
    now = now or timezone.now()
    rows = []
    for job in SCHEDULE.values():
        last = ScheduledRun.objects.filter(job=job.key).order_by("-slot").first()
        rows.append(_row(job, last, now))
    return rows


def _row(job: Job, last: ScheduledRun | None, now: dt.datetime) -> dict:
    return {
        "job": job.key,
        "cadence": str(job.cadence),
        "function": job.function,
        "description": job.description,
        "last_slot": timezone.localtime(last.slot).isoformat() if last else None,
        "last_status": last.status if last else None,
        "last_message": last.message if last else "",
        "next_slot": timezone.localtime(job.cadence.next_slot(now)).isoformat(),
    }
