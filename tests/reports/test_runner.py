"""The runners: inline (synchronous) and thread (in the background, progress visible to other connections)."""

import threading

import pytest

from ivp.reports import api, runner, services
from ivp.reports.models import ReportRun, ReportRunStatus

from ..conftest import OWN


class FakeReport:
    file_stem = "testrapport"


def _render(report, fmt, *, progress=None):
    progress("Writing", 1.0)
    return api.RenderedReport(content=b"<!DOCTYPE html><html><body>test</body></html>", filename="testrapport.html",
                              content_type=api.CONTENT_TYPES["html"])


@pytest.mark.django_db
def test_inline_runner_runs_at_once(users, settings, monkeypatch):
    settings.IVP_REPORT_RUNNER = "inline"
    monkeypatch.setattr(api, "build_report", lambda **kwargs: FakeReport())
    monkeypatch.setattr(api, "render_report", _render)
    run = ReportRun.objects.create(municipality=None, area_code="basisteam", kind="annual", period="2024",
                                   fmt="html", created_by=users["coordinator"])
    runner.dispatch(run.pk)
    run.refresh_from_db()
    assert run.status == ReportRunStatus.DONE and run.size > 0


@pytest.mark.django_db(transaction=True)
def test_thread_runner_in_the_background(users, settings, monkeypatch):
    """The run goes to a worker thread; its progress is on the row (read here on another connection) while the
    worker is still busy; then it finishes and the worker's connection is closed."""
    settings.IVP_REPORT_RUNNER = "thread"
    monkeypatch.setattr(services, "PROGRESS_INTERVAL", 0)
    halfway, go_on = threading.Event(), threading.Event()
    seen = {}

    def build_report(*, user, area_code, kind, period, progress=None, **_options):
        seen["thread"] = threading.current_thread().name
        progress("Halfway", 0.5)
        halfway.set()
        assert go_on.wait(timeout=30)
        return FakeReport()

    monkeypatch.setattr(api, "build_report", build_report)
    monkeypatch.setattr(api, "render_report", _render)
    run = services.report_run_request(actor=users["coordinator"], area_code=OWN, kind="annual", period="2024",
                                      fmt="html")
    assert run.status in (ReportRunStatus.QUEUED, ReportRunStatus.RUNNING), "the request does not wait"
    assert halfway.wait(timeout=30), "the worker started"
    # The worker is paused inside build_report: no concurrent writes while this connection reads.
    row = ReportRun.objects.values("status", "progress", "step").get(pk=run.pk)
    assert row["status"] == ReportRunStatus.RUNNING and row["step"] == "Halfway" and 0 < row["progress"] < 100
    go_on.set()
    assert runner.wait_until_idle(timeout=30)
    run.refresh_from_db()
    assert run.status == ReportRunStatus.DONE, run.error
    assert bytes(ReportRun.objects.get(pk=run.pk).content).startswith(b"<!DOCTYPE html>")
    assert seen["thread"].startswith("ivp-report-")
