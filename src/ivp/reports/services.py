"""Report runs: requesting a council report and carrying it out (see docs/adr/0006-report-runs.md).

- `report_run_request` checks the role (the coordinator for every area and the base team; an advisor for
  their own municipality), validates the request through `ivp.reports.api.validate_request` and only then
  writes a queued run, and hands it to the runner (`ivp.reports.runner`).
- `report_run_execute` claims a queued run, builds and renders the report with `ivp.reports.api`, writing the
  progress on the row as it goes (visible to other connections at once), and stores the file. A failure
  leaves a failed run with a message for the user; the details go to the log, never to the page.

Both are audited: `report_run.request` (success / denied / error) and `report_run.execute` (success = done,
error = failed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ivp.core.audit.models import AuditResult
from ivp.core.audit.recorder import audited, record_event
from ivp.core.models import Organisation
from ivp.core.roles import OrganisationKind

from . import api
from .models import ReportRun, ReportRunStatus
from .selectors import can_request_report

logger = logging.getLogger(__name__)

# How the progress of one run is spread over its two phases (percent).
BUILD_SPAN = (1, 60)
RENDER_SPAN = (60, 99)
_STATE_FIELDS = ["status", "progress", "step", "error", "filename", "content_type", "size", "sha256", "started_at",
                 "finished_at"]
# At most one progress write per this many seconds (a new step is always written).
PROGRESS_INTERVAL = 0.5


def normalise_area_code(area_code: str) -> str:
    code = (area_code or "").strip()
    return api.BASE_TEAM_AREA if code.lower() == api.BASE_TEAM_AREA else code.upper()


def _municipality_of(area_code: str) -> Organisation | None:
    if area_code == api.BASE_TEAM_AREA:
        return None
    return Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, cbs_code=area_code).first()


class ReportRateLimited(PermissionDenied):
    """The user requested IVP_REPORT_RATE_LIMIT reports in the last IVP_REPORT_RATE_WINDOW_MINUTES minutes."""

    def __init__(self, retry_after_seconds: int):
        self.retry_after_seconds = retry_after_seconds
        minutes = settings.IVP_REPORT_RATE_WINDOW_MINUTES
        super().__init__(_("You have requested %(count)d reports in the last %(minutes)d minutes; that is the limit. "
                           "Wait until earlier reports are done and try again later.")
                         % {"count": settings.IVP_REPORT_RATE_LIMIT, "minutes": minutes})


def _check_rate(actor) -> None:
    """Each report run costs seconds of CPU and memory: a user may request at most IVP_REPORT_RATE_LIMIT in any
    IVP_REPORT_RATE_WINDOW_MINUTES minutes. Counted on the runs table rather than in a cache, so the limit holds
    across all server processes (the default cache is per process) and survives a restart."""
    window = dt.timedelta(minutes=settings.IVP_REPORT_RATE_WINDOW_MINUTES)
    since = timezone.now() - window
    recent = list(ReportRun.objects.filter(created_by=actor, created_at__gte=since)
                  .order_by("-created_at").values_list("created_at", flat=True)[:settings.IVP_REPORT_RATE_LIMIT])
    if len(recent) >= settings.IVP_REPORT_RATE_LIMIT:
        # Free again when the oldest of the last LIMIT runs leaves the window.
        retry_after = (recent[-1] + window - timezone.now()).total_seconds()
        raise ReportRateLimited(max(1, math.ceil(retry_after)))


def report_run_request(*, actor, area_code: str, kind: str, period: str, fmt: str) -> ReportRun:
    """Request a report of an area (a municipality's CBS code, or "basisteam"); returns the queued run (with the
    inline runner: already done or failed). Raises ReportRateLimited (a PermissionDenied, audited as denied)
    when the user has requested too many reports lately."""
    area_code = normalise_area_code(area_code)
    municipality = _municipality_of(area_code)
    with audited(actor=actor, action="report_run.request", municipality=municipality) as event:
        if not can_request_report(actor, municipality.pk if municipality else None):
            if municipality is None:
                raise PermissionDenied(_("Only the coordinator of the base team may make a report of the base "
                                         "team as a whole."))
            raise PermissionDenied(_("You may not make a report of %(name)s.") % {"name": municipality})
        _check_rate(actor)
        api.validate_request(area_code=area_code, kind=kind, period=period, fmt=fmt)
        run = ReportRun.objects.create(municipality=municipality, area_code=area_code, kind=kind, period=period,
                                       fmt=fmt, created_by=actor)
        event.target = run
        event.changes = {"kind": [None, kind], "period": [None, period], "fmt": [None, fmt]}
    from . import runner

    runner.dispatch(run.pk)
    run.refresh_from_db(fields=_STATE_FIELDS)  # the inline runner has finished it already
    return run


class _ProgressWriter:
    """The `progress(step, fraction)` callback: writes percentage and step on the row, throttled."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.span = BUILD_SPAN
        self.percent = 0
        self.step = ""
        self.written_at = 0.0

    def phase(self, span: tuple[int, int]) -> _ProgressWriter:
        self.span = span
        return self

    def __call__(self, step: str, fraction: float) -> None:
        try:
            fraction = min(max(float(fraction), 0.0), 1.0)
        except (TypeError, ValueError):
            fraction = 0.0
        low, high = self.span
        percent = max(self.percent, low + round((high - low) * fraction))
        step = str(step or "")[:200]
        now = time.monotonic()
        if step == self.step and (percent == self.percent or now - self.written_at < PROGRESS_INTERVAL):
            return
        self.percent, self.step, self.written_at = percent, step, now
        # A plain UPDATE outside any transaction of ours: other connections (the progress page) see it at once.
        ReportRun.objects.filter(pk=self.run_id).update(progress=percent, step=step)


def _failure_message(exc: BaseException) -> str:
    """What the user reads: a validation message is meant for them; anything else gets a generic text."""
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(exc, ValidationError):
            return "; ".join(str(m) for m in exc.messages)[:500]
        return _("The report could not be made because of an error in the application. The error has been "
                 "logged. Please try again later, or ask the administrator.")


def report_run_execute(*, run_id: int) -> ReportRun | None:
    """Carry out a queued run. Returns the run (done or failed), or None when it was not queued (already taken
    by another worker, or gone)."""
    claimed = ReportRun.objects.filter(pk=run_id, status=ReportRunStatus.QUEUED).update(
        status=ReportRunStatus.RUNNING, started_at=timezone.now(), progress=0, step="")
    if not claimed:
        logger.warning("report run %s is not queued; not started", run_id)
        return None
    run = ReportRun.objects.defer("content").select_related("created_by", "municipality").get(pk=run_id)
    progress = _ProgressWriter(run_id)
    try:
        report = api.build_report(user=run.created_by, area_code=run.area_code, kind=run.kind, period=run.period,
                                  progress=progress.phase(BUILD_SPAN))
        rendered = api.render_report(report, run.fmt, progress=progress.phase(RENDER_SPAN))
        content = bytes(rendered.content)
    except Exception as exc:
        # The traceback goes to the log (it names code, not report content); the user gets a plain message.
        logger.exception("report run %s (%s %s %s %s) failed", run_id, run.area_code, run.kind, run.period, run.fmt)
        message = _failure_message(exc)
        ReportRun.objects.filter(pk=run_id).update(status=ReportRunStatus.FAILED, error=message,
                                                   finished_at=timezone.now())
        record_event(actor=run.created_by, action="report_run.execute", result=AuditResult.ERROR, target=run,
                     municipality=run.municipality, message=f"{type(exc).__name__}: {message}")
        run.refresh_from_db()
        return run
    try:
        with audited(actor=run.created_by, action="report_run.execute", target=run,
                     municipality=run.municipality) as event:
            values = {
                "status": ReportRunStatus.DONE, "progress": 100, "step": "", "error": "",
                "content": content, "filename": rendered.filename[:200],
                "content_type": rendered.content_type[:100], "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(), "finished_at": timezone.now(),
            }
            ReportRun.objects.filter(pk=run_id).update(**values)
            event.changes = {"status": [ReportRunStatus.RUNNING.value, ReportRunStatus.DONE.value],
                             "filename": [None, values["filename"]], "size": [None, values["size"]],
                             "sha256": [None, values["sha256"]]}
    except Exception as exc:
        # Storing the file failed (the error event is recorded by `audited`): the run must not stay "running".
        logger.exception("report run %s: storing the file failed", run_id)
        ReportRun.objects.filter(pk=run_id).update(status=ReportRunStatus.FAILED, error=_failure_message(exc),
                                                   finished_at=timezone.now())
    run.refresh_from_db()
    return run
