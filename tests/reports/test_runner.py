"""The runners: inline (synchronous) and queue (a task on the database queue, carried out by `ivp worker`)."""

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

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


@pytest.mark.django_db
def test_queue_runner_leaves_the_run_to_the_worker(users, settings, monkeypatch):
    """The request writes the run and its task in one transaction and returns; `ivp worker` carries it out."""
    settings.IVP_REPORT_RUNNER = "queue"
    monkeypatch.setattr(services, "PROGRESS_INTERVAL", 0)
    steps = []

    def build_report(*, user, area_code, kind, period, progress=None, **_options):
        progress("Halfway", 0.5)
        steps.append(ReportRun.objects.values_list("status", "step").get())
        return FakeReport()

    monkeypatch.setattr(api, "build_report", build_report)
    monkeypatch.setattr(api, "render_report", _render)
    run = services.report_run_request(actor=users["coordinator"], area_code=OWN, kind="annual", period="2024",
                                      fmt="html")
    assert run.status == ReportRunStatus.QUEUED, "the request does not wait"
    task = DBTaskResult.objects.get()
    assert task.task_path == "ivp.reports.tasks.execute_report_run" and task.args_kwargs["kwargs"] == {
        "run_id": run.pk}
    assert task.status == TaskResultStatus.READY

    call_command("worker", "--burst", "--no-schedule", verbosity=0)
    run.refresh_from_db()
    assert run.status == ReportRunStatus.DONE, run.error
    assert steps == [(ReportRunStatus.RUNNING, "Halfway")], "progress is written on the row while it runs"
    assert bytes(ReportRun.objects.get(pk=run.pk).content).startswith(b"<!DOCTYPE html>")
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and task.return_value == "done"
    call_command("worker", "--burst", "--no-schedule", verbosity=0)
    assert ReportRun.objects.get(pk=run.pk).finished_at == run.finished_at, "a run is made once"


@pytest.mark.django_db
def test_queue_runner_with_the_immediate_backend_runs_at_once(users, settings, monkeypatch):
    """IVP_TASK_BACKEND=immediate (scripts without a worker): the task runs where it is enqueued."""
    settings.IVP_REPORT_RUNNER = "queue"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(api, "build_report", lambda **kwargs: FakeReport())
    monkeypatch.setattr(api, "render_report", _render)
    run = services.report_run_request(actor=users["coordinator"], area_code=OWN, kind="annual", period="2024",
                                      fmt="html")
    assert run.status == ReportRunStatus.DONE and not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_failed_report_is_recorded_on_the_run_and_the_task_ends_normally(users, settings, monkeypatch):
    settings.IVP_REPORT_RUNNER = "queue"

    def broken(**_kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(api, "build_report", broken)
    run = services.report_run_request(actor=users["coordinator"], area_code=OWN, kind="annual", period="2024",
                                      fmt="html")
    call_command("worker", "--burst", "--no-schedule", verbosity=0)
    run.refresh_from_db()
    assert run.status == ReportRunStatus.FAILED and "broken on purpose" not in run.error and run.error
    assert DBTaskResult.objects.get().return_value == "failed"
