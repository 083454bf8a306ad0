"""The scheduler and the worker in one process: a due slot is enqueued once (also by two workers at the same moment),
the worker carries it out, and a failing job is recorded. Tasks go to the database queue and are carried out by
`ivp worker --burst` (one batch)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ivp.jobs.models import ScheduledRun, ScheduledRunStatus
from ivp.jobs.schedule import SCHEDULE, TIME_ZONE, Job, daily, monthly
from ivp.jobs.scheduler import enqueue_due_jobs

from ..concurrency import postgres_only, race

CALLS: list[str] = []
NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=TIME_ZONE)


def count_call():
    CALLS.append("called")
    return f"called {len(CALLS)} time(s)"


def fail():
    raise RuntimeError("the test job failed on purpose")


@pytest.fixture
def test_schedule(monkeypatch):
    """A schedule of the test's own jobs instead of the real ones."""
    CALLS.clear()
    jobs = {
        "test.count": Job("test.count", daily(at="03:00"), f"{__name__}.count_call"),
        "test.fail": Job("test.fail", monthly(day=1, at="06:00"), f"{__name__}.fail"),
    }
    monkeypatch.setattr(SCHEDULE, "_items", jobs)
    return jobs


def burst():
    call_command("worker", "--burst", "--no-schedule", verbosity=0)


@pytest.mark.django_db
def test_a_due_slot_is_enqueued_once_and_run_once(test_schedule):
    created = enqueue_due_jobs(NOW)
    assert sorted(run.job for run in created) == ["test.count", "test.fail"]
    count_run = ScheduledRun.objects.get(job="test.count")
    assert count_run.slot == dt.datetime(2026, 12, 4, 3, 0, tzinfo=TIME_ZONE)
    assert count_run.status == ScheduledRunStatus.QUEUED and count_run.task_id
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2, "queued, not run yet"
    assert CALLS == []

    assert enqueue_due_jobs(NOW) == [], "the same slot is not enqueued twice"
    assert enqueue_due_jobs(NOW + dt.timedelta(hours=10)) == [], "nor later the same day"
    burst()
    burst()
    count_run.refresh_from_db()
    assert CALLS == ["called"] and count_run.status == ScheduledRunStatus.DONE
    assert count_run.message == "called 1 time(s)" and count_run.started_at and count_run.finished_at

    next_day = enqueue_due_jobs(NOW + dt.timedelta(days=1))
    assert [run.job for run in next_day] == ["test.count"], "the next slot (the monthly job is not due again)"


@pytest.mark.django_db
def test_a_missed_slot_is_caught_up_once(test_schedule):
    """A worker that was stopped for three days enqueues only the latest slot when it starts again."""
    enqueue_due_jobs(NOW)
    later = enqueue_due_jobs(NOW + dt.timedelta(days=3))
    assert [run.slot for run in later] == [dt.datetime(2026, 12, 7, 3, 0, tzinfo=TIME_ZONE)]


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_worker_goes_on(test_schedule):
    enqueue_due_jobs(NOW)
    burst()
    failed = ScheduledRun.objects.get(job="test.fail")
    assert failed.status == ScheduledRunStatus.FAILED and failed.finished_at
    assert failed.message == "RuntimeError: the test job failed on purpose"
    task = DBTaskResult.objects.get(id=failed.task_id)
    assert task.status == TaskResultStatus.FAILED and "the test job failed on purpose" in task.traceback
    assert ScheduledRun.objects.get(job="test.count").status == ScheduledRunStatus.DONE, "the other job still ran"


@pytest.mark.django_db
def test_the_open_data_update_fails_gracefully_when_the_service_is_unreachable(plan, monkeypatch):
    """The monthly open-data update (ADR 0008) with the CBS/Politie service out of reach: nothing is written, the
    run is recorded as failed with the reason, in Dutch."""
    from ivp.indicators.models import Observation
    from ivp.indicators.services import online_import
    from ivp.opendata.odata.errors import ODataConnectionError

    def unreachable(table, **_kwargs):
        raise ODataConnectionError(f"https://opendata.cbs.nl/{table}", "Name or service not known")

    monkeypatch.setattr(online_import, "client_for", unreachable)
    monkeypatch.setattr(SCHEDULE, "_items", {"fetch_opendata": SCHEDULE["fetch_opendata"]})
    observations = Observation.objects.count()
    enqueue_due_jobs(NOW)
    burst()
    run = ScheduledRun.objects.get(job="fetch_opendata")
    assert run.slot == dt.datetime(2026, 12, 3, 5, 0, tzinfo=TIME_ZONE)
    assert run.status == ScheduledRunStatus.FAILED
    assert run.message.startswith("OnlineImportError: De opendataservice gaf geen bruikbaar antwoord")
    assert Observation.objects.count() == observations


@pytest.mark.django_db
def test_the_daily_purge_of_sign_in_records_runs_as_a_job(monkeypatch):
    monkeypatch.setattr(SCHEDULE, "_items", {"purge_login_records": SCHEDULE["purge_login_records"]})
    enqueue_due_jobs(NOW)
    burst()
    run = ScheduledRun.objects.get(job="purge_login_records")
    assert run.status == ScheduledRunStatus.DONE and run.message.startswith("older than 180 days")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_checking_at_the_same_moment_enqueue_a_slot_once(test_schedule):
    """Both workers find no run for the slot and insert at the same moment: the unique row decides."""
    results = race(lambda: enqueue_due_jobs(NOW), lambda: enqueue_due_jobs(NOW), pause_before_writing=ScheduledRun)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(run.job for result in results for run in result) == ["test.count", "test.fail"]
    assert ScheduledRun.objects.count() == 2 and DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_finished_task_rows_are_pruned_after_30_days(test_schedule):
    from ivp.jobs.maintenance import prune_finished_tasks

    enqueue_due_jobs(NOW)
    burst()
    DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).update(
        finished_at=dt.datetime(2026, 10, 1, tzinfo=TIME_ZONE))
    enqueue_due_jobs(NOW + dt.timedelta(days=1))  # a new queued task: not finished, kept
    assert prune_finished_tasks(now=NOW) == "1 finished task(s) older than 30 days deleted"
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "READY"]
    assert ScheduledRun.objects.count() == 3, "the record of the runs stays"
