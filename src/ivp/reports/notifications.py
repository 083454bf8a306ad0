"""Notifications of the reports app: a report someone requested is ready (ADR 0016)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ivp.notifications.kinds import KINDS, Kind
from ivp.notifications.services import notify

from .models import ReportRun, ReportRunStatus

KINDS.register("report_ready", Kind(
    label=_("A report you requested is ready"),
    message=_("Your report %(kind)s %(period)s is ready."),
))


def report_run_finished(run: ReportRun) -> None:
    """Called once where a run completes (ivp.reports.services.report_run_execute); only a finished run notifies,
    once per run."""
    if run.status != ReportRunStatus.DONE:
        return
    notify(recipients=[run.created_by], kind="report_ready", occasion=f"report_run:{run.pk}",
           params={"kind": str(run.get_kind_display()), "period": run.period},
           url=reverse("web:report_run_detail", kwargs={"pk": run.pk}), municipality=run.municipality)
