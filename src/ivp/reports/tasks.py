"""The report run as a background task (enqueued by `ivp.reports.runner.dispatch`, run by `ivp worker`)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task


@task()
def execute_report_run(run_id: int) -> str:
    """Carry out a queued report run. A failure of the report itself is recorded on the run (failed, with a
    message for the user) and the audit trail, not raised: the task then ends normally with the status."""
    from .services import report_run_execute

    with translation.override(settings.LANGUAGE_CODE):
        run = report_run_execute(run_id=run_id)
    return "skipped" if run is None else str(run.status)
