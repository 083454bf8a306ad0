"""Carrying out report runs: as a task on the background queue (`queue`, the default) or at once (`inline`).

IVP_REPORT_RUNNER=queue: the run is enqueued as the task `ivp.reports.tasks.execute_report_run` on the
database-backed queue (django-tasks, IVP_TASK_BACKEND). The task row is written in the same transaction as
the run, so a run that was requested is never without its task, and the web server keeps nothing in memory:
a restart loses nothing; `ivp worker` carries the run out (docs/adr/0017-task-queue.md, superseding the
thread runner of ADR 0006).

IVP_REPORT_RUNNER=inline: the run is carried out synchronously in the caller (tests, the command line).
"""

from __future__ import annotations

from django.conf import settings


def is_inline() -> bool:
    return settings.IVP_REPORT_RUNNER == "inline"


def dispatch(run_id: int) -> None:
    """Hand a queued run to the configured runner."""
    if is_inline():
        from .services import report_run_execute

        report_run_execute(run_id=run_id)
        return
    from .tasks import execute_report_run

    execute_report_run.enqueue(run_id=run_id)
