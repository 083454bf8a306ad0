"""Report runs: requesting a council report and carrying it out (see docs/adr/0006-report-runs.md).

- `report_run_request` checks the role (the coordinator for every area and the base team; an advisor for
  their own municipality), validates the request through `ivp.reports.api.validate_request` and only then
  writes a queued run, and hands it to the runner (`ivp.reports.runner`: a task on the background queue,
  enqueued in the same transaction as the run, which `ivp worker` carries out; or inline).
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
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ivp.core.access import access_for
from ivp.core.audit.models import AuditResult
from ivp.core.audit.recorder import NothingChanged, audited, field_changes, record_event
from ivp.core.locking import StaleEdit, save_versioned
from ivp.core.models import Organisation
from ivp.core.roles import Capability, OrganisationKind

from . import api, runner
from . import notifications as run_notifications
from .models import (
    COUNCIL_REPORT_KINDS,
    CouncilReport,
    CouncilReportFile,
    CouncilReportStatus,
    FileVariant,
    ReportRun,
    ReportRunStatus,
)
from .selectors import can_request_report, latest_council_report

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


def frozen_refusal(council_report) -> ValidationError:
    return ValidationError({"kind": _(
        "This report was adopted by the college on %(date)s (version %(number)s) and is frozen: download its kept "
        "files, or start a new draft version to make it again.") % {
        "date": council_report.adopted_on.strftime("%d-%m-%Y") if council_report.adopted_on else "-",
        "number": council_report.number}})


def report_run_request(*, actor, area_code: str, kind: str, period: str, fmt: str,
                       as_of: dt.date | None = None) -> ReportRun:
    """Request a report of an area (a municipality's CBS code, or "basisteam"); returns the queued run (with the
    inline runner: already done or failed). Raises ReportRateLimited (a PermissionDenied, audited as denied)
    when the user has requested too many reports lately. The run uses the conclusions and as-of date of the draft
    of this report when there is one; an adopted report is not made again (its kept files are served)."""
    area_code = normalise_area_code(area_code)
    municipality = _municipality_of(area_code)
    with audited(actor=actor, action="report_run.request", municipality=municipality) as event:
        if not can_request_report(actor, municipality.pk if municipality else None):
            if municipality is None:
                raise PermissionDenied(_("Only the coordinator of the base team may make a report of the base "
                                         "team as a whole."))
            raise PermissionDenied(_("You may not make a report of %(name)s.") % {"name": municipality})
        _check_rate(actor)
        api.validate_request(area_code=area_code, kind=kind, period=period, fmt=fmt, as_of=as_of)
        council_report = latest_council_report(area_code, api.full_kind(kind, period), period)
        if council_report is not None and council_report.is_frozen:
            raise frozen_refusal(council_report)
        if council_report is not None and as_of is None:
            as_of = council_report.as_of
        run = ReportRun.objects.create(municipality=municipality, area_code=area_code, kind=kind, period=period,
                                       fmt=fmt, as_of=as_of, council_report=council_report, created_by=actor)
        event.target = run
        event.changes = {"kind": [None, kind], "period": [None, period], "fmt": [None, fmt]}
        if as_of is not None:
            event.changes["as_of"] = [None, as_of.isoformat()]
        if not runner.is_inline():
            runner.dispatch(run.pk)  # the task row is written in this transaction, with the run
    if runner.is_inline():
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
    run = (ReportRun.objects.defer("content").select_related("created_by", "municipality", "council_report")
           .get(pk=run_id))
    progress = _ProgressWriter(run_id)
    try:
        report = api.build_report(user=run.created_by, area_code=run.area_code, kind=run.kind, period=run.period,
                                  progress=progress.phase(BUILD_SPAN), as_of=run.as_of,
                                  council_report=run.council_report)
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
    run_notifications.report_run_finished(run)
    return run


# --- Council reports: conclusions, approval by the college, frozen files -----------------------------------------
#
# A CouncilReport is one version of the midterm evaluation or annual progress report of an area and period. Its
# draft is edited in place (optimistic locking); the college's adoption renders the report and its council
# information letter in every format once and keeps the files with their SHA-256, after which they are served as
# they are. Changing anything after adoption starts a new draft version. Rights: the access policy's EDIT on the
# municipality (the base team as a whole: EDIT at scope ALL), ADR 0012; docs/adr/0013-report-approval-and-peildatum.md.

MAX_CONCLUSION_CHARS = 20_000


def _stale() -> StaleEdit:
    """Someone else saved the report after this user's form was opened (ivp.core.locking); nothing was saved."""
    return StaleEdit(_("Someone else saved this report while you were editing it, so your changes have not been "
                       "saved. Your input is still in the form below; check it against what was saved and save "
                       "again."))


def require_report_edit(actor, municipality: Organisation | None) -> None:
    """Writing a council report's conclusions and recording its approval: whoever may edit that municipality (its
    advisor, the coordinator); the base team's report: EDIT at scope ALL (the coordinator)."""
    if not access_for(actor).can(Capability.EDIT, municipality.pk if municipality else None):
        if municipality is None:
            raise PermissionDenied(_("Only the coordinator of the base team may write the base team's report."))
        raise PermissionDenied(_("You may not write the report of %(name)s.") % {"name": municipality.name})


def _require_concept(report: CouncilReport) -> None:
    if not report.is_concept:
        raise ValidationError(_("This version of the report has been adopted by the college and is frozen. Start a "
                                "new draft version to change it."))


def _clean_conclusions(conclusions: str, theme_conclusions: dict | None) -> tuple[str, dict]:
    from ivp.plans.models import Theme

    errors = {}
    conclusions = (conclusions or "").strip()
    if len(conclusions) > MAX_CONCLUSION_CHARS:
        errors["conclusions"] = _("The text is too long (at most %(n)s characters).") % {"n": MAX_CONCLUSION_CHARS}
    known = set(Theme.objects.filter(parent__isnull=True).values_list("code", flat=True))
    cleaned = {}
    for code, text in (theme_conclusions or {}).items():
        text = (text or "").strip()
        if code not in known:
            errors["theme_conclusions"] = _("Unknown theme \"%(code)s\".") % {"code": code}
        elif len(text) > MAX_CONCLUSION_CHARS:
            errors["theme_conclusions"] = _("The text is too long (at most %(n)s characters).") % {
                "n": MAX_CONCLUSION_CHARS}
        elif text:
            cleaned[code] = text
    if errors:
        raise ValidationError(errors)
    return conclusions, dict(sorted(cleaned.items()))


def council_report_create(*, actor, area_code: str, kind: str, period: str,
                          as_of: dt.date | None = None) -> CouncilReport:
    """Start the first draft of the council report of an area (a CBS code or "basisteam"), kind (midterm or annual)
    and period, "per" `as_of` (default: the end of the period). When versions exist already, this is
    `council_report_new_version` of the newest (refused while a draft exists)."""
    area_code = normalise_area_code(area_code)
    municipality = _municipality_of(area_code)
    with audited(actor=actor, action="council_report.create", municipality=municipality) as event:
        require_report_edit(actor, municipality)
        if kind not in COUNCIL_REPORT_KINDS:
            raise ValidationError({"kind": _("Choose a midterm evaluation or an annual progress report.")})
        api.validate_request(area_code=area_code, kind=kind, period=period, fmt="pdf", as_of=as_of)
        newest = latest_council_report(area_code, kind, period)
        if newest is not None and newest.is_concept:
            raise ValidationError({"period": _("There is a draft of this report already (version %(number)s): "
                                               "continue with that one.") % {"number": newest.number}})
        try:
            with transaction.atomic():  # two people starting the same draft at once: the constraints decide
                report = CouncilReport.objects.create(
                    municipality=municipality, area_code=area_code, kind=kind, period=period,
                    number=newest.number + 1 if newest else 1,
                    as_of=newest.as_of if newest and as_of is None else api.check_as_of(kind, period, as_of),
                    conclusions=newest.conclusions if newest else "",
                    theme_conclusions=dict(newest.theme_conclusions) if newest else {}, created_by=actor)
        except IntegrityError:
            raise ValidationError({"period": _("Someone else started this version of the report at the same "
                                               "moment; open it from the list of reports.")}) from None
        event.target = report
        event.changes = {"number": [None, report.number], "as_of": [None, report.as_of.isoformat()],
                         "status": [None, report.status]}
    return report


def council_report_new_version(*, actor, report: CouncilReport) -> CouncilReport:
    """A new draft after adoption: the next version number, with the conclusions and as-of date of `report` (the
    newest version), to be changed and adopted again. The adopted version and its files stay as they are."""
    return council_report_create(actor=actor, area_code=report.area_code, kind=report.kind, period=report.period)


def council_report_save(*, actor, report: CouncilReport, expected_version: int, conclusions: str,
                        theme_conclusions: dict | None = None, as_of: dt.date | None = None) -> CouncilReport:
    """Save the conclusions and recommendations (overall, and per theme code) and the as-of date of a draft.
    `expected_version` is the version the form was opened on (StaleEdit when someone saved in between)."""
    with audited(actor=actor, action="council_report.save", target=report,
                 municipality=report.municipality) as event:
        require_report_edit(actor, report.municipality)
        current = CouncilReport.objects.get(pk=report.pk)
        _require_concept(current)
        if current.version != expected_version:
            raise _stale()
        conclusions, theme_conclusions = _clean_conclusions(conclusions, theme_conclusions)
        values = {"conclusions": conclusions, "theme_conclusions": theme_conclusions,
                  "as_of": current.as_of if as_of is None else api.check_as_of(current.kind, current.period, as_of)}
        changes = field_changes(current, values)
        if not changes:
            raise NothingChanged
        save_versioned(current, expected_version=expected_version, fields=values)
        event.changes = changes
    return current


def render_frozen_files(report: CouncilReport, *, actor) -> list[CouncilReportFile]:
    """The files of an adopted report, made once: the report in every format, then the council information letter in
    every format (referring to the report's PDF by name and SHA-256). Unsaved rows."""
    from .assembly.letter import as_letter

    model = api.build_report(user=actor, area_code=report.area_code, kind=report.kind, period=report.period,
                             as_of=report.as_of, council_report=report)
    files: list = []
    for variant, document in ((FileVariant.REPORT, model), (FileVariant.LETTER, None)):
        if document is None:
            pdf = next(f for f in files if f.fmt == "pdf")
            document = as_letter(model, filename=pdf.filename, sha256=pdf.sha256)
        for fmt in api.FORMATS:
            rendered = api.render_report(document, fmt)
            content = bytes(rendered.content)
            files.append(CouncilReportFile(
                report=report, variant=variant, fmt=fmt, content=content, filename=rendered.filename[:200],
                content_type=rendered.content_type, size=len(content), sha256=hashlib.sha256(content).hexdigest()))
    return files


def council_report_adopt(*, actor, report: CouncilReport, expected_version: int, adopted_on: dt.date,
                         decision_reference: str) -> CouncilReport:
    """Record the college's adoption (date, decision reference) of a draft: its files are made now, kept with their
    SHA-256 and from then on served as they are; the version is frozen."""
    with audited(actor=actor, action="council_report.adopt", target=report,
                 municipality=report.municipality) as event:
        require_report_edit(actor, report.municipality)
        current = CouncilReport.objects.select_related("municipality").get(pk=report.pk)
        _require_concept(current)
        if current.version != expected_version:
            raise _stale()
        errors = {}
        decision_reference = (decision_reference or "").strip()
        if not isinstance(adopted_on, dt.date):
            errors["adopted_on"] = _("Enter the date of the college decision.")
        elif adopted_on > timezone.localdate():
            errors["adopted_on"] = _("The date of the college decision is in the future.")
        elif adopted_on < current.as_of:
            errors["adopted_on"] = _("The college cannot adopt the report before its as-of date (%(date)s).") % {
                "date": current.as_of.strftime("%d-%m-%Y")}
        if not decision_reference:
            errors["decision_reference"] = _("Enter the reference of the college decision.")
        elif len(decision_reference) > 200:
            errors["decision_reference"] = _("The reference is too long (at most 200 characters).")
        if errors:
            raise ValidationError(errors)
        values = {"status": CouncilReportStatus.ADOPTED, "adopted_on": adopted_on,
                  "decision_reference": decision_reference}
        changes = field_changes(current, values)
        save_versioned(current, expected_version=expected_version, fields=values)
        files = render_frozen_files(current, actor=actor)
        CouncilReportFile.objects.bulk_create(files)
        event.changes = {**changes, "files": [None, {f"{f.variant}.{f.fmt}": f.sha256 for f in files}]}
    return current


def council_report_present(*, actor, report: CouncilReport, expected_version: int,
                           presented_on: dt.date) -> CouncilReport:
    """Record that the adopted report was presented to the council (date). The files do not change."""
    with audited(actor=actor, action="council_report.present", target=report,
                 municipality=report.municipality) as event:
        require_report_edit(actor, report.municipality)
        current = CouncilReport.objects.get(pk=report.pk)
        if current.status != CouncilReportStatus.ADOPTED:
            raise ValidationError(_("Only a report adopted by the college can be presented to the council."))
        if current.version != expected_version:
            raise _stale()
        if not isinstance(presented_on, dt.date):
            raise ValidationError({"presented_on": _("Enter the date.")})
        if presented_on > timezone.localdate():
            raise ValidationError({"presented_on": _("The date lies in the future.")})
        if current.adopted_on is not None and presented_on < current.adopted_on:
            raise ValidationError({"presented_on": _("The report cannot be presented to the council before the "
                                                     "college adopted it (%(date)s).") % {
                "date": current.adopted_on.strftime("%d-%m-%Y")}})
        values = {"status": CouncilReportStatus.PRESENTED, "presented_on": presented_on}
        changes = field_changes(current, values)
        save_versioned(current, expected_version=expected_version, fields=values)
        event.changes = changes
    return current
