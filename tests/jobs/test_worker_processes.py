"""`ivp worker` as its own process, on a database of its own (a SQLite file, or a scratch PostgreSQL database when
the suite runs on PostgreSQL), as in production: the web process and the worker share nothing but the database.

The check of issue 14: a report requested through the web while the web server is then stopped (here: the web
process ends right after the request, before anything ran the report) still completes, through `ivp worker`."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
IVP = str(Path(sys.executable).with_name("ivp"))
PYTHON = sys.executable

# The web process: an advisor of Vught (with an authenticator, signed in with both factors) requests an HTML annual
# report through the page's form; then the process ends, as a web server that is stopped or restarted.
WEB_REQUEST = """
import json, django
django.setup()
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from ivp.core.models import Organisation
from ivp.core.roles import Role
from ivp.core.services import membership_create, user_create
from ivp.reports.models import ReportRun

vught = Organisation.objects.get(cbs_code="GM0865")
user, _password = user_create(actor=None, username="advisor-vught", password="test-password-123!")
membership_create(actor=None, user=user, organisation=vught, role=Role.ADVISOR)
device = TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)
client = Client()
client.force_login(user)
session = client.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
response = client.post("/gemeente/GM0865/rapporten/", {"kind": "annual", "period": "2024", "fmt": "html"})
run = ReportRun.objects.get()
print(json.dumps({"status_code": response.status_code, "location": response.get("Location"), "run": run.pk,
                  "status": run.status}))
"""

# After the worker: the run as the database holds it, and its download through a new web process.
WEB_CHECK = """
import hashlib, json, sys, django
django.setup()
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult
from ivp.core.audit.models import AuditEvent
from ivp.reports.models import ReportRun

run = ReportRun.objects.get(pk=int(sys.argv[1]))
client = Client()
client.force_login(run.created_by)
session = client.session
session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=run.created_by).persistent_id
session.save()
download = client.get(f"/rapport/{run.pk}/download/")
content = bytes(run.content or b"")
print(json.dumps({
    "status": run.status, "error": run.error, "size": run.size, "filename": run.filename,
    "stored": len(content), "sha_ok": hashlib.sha256(content).hexdigest() == run.sha256,
    "download_status": download.status_code, "download_same": download.content == content,
    "tasks": list(DBTaskResult.objects.values_list("status", flat=True)),
    "executed": list(AuditEvent.objects.filter(action="report_run.execute").values_list("result", "origin")),
}))
"""

# Two workers at once, each with a schedule of one test job (not the real jobs, which would go to the internet).
WORKER_WITH_TEST_SCHEDULE = """
import django
django.setup()
from django.core.management import call_command
from ivp.jobs.schedule import SCHEDULE, Job, daily
SCHEDULE._items = {"test.version": Job("test.version", daily(at="00:00"), "platform.python_version")}
call_command("worker", "--burst", verbosity=0)
"""

JOBS_CHECK = """
import json, django
django.setup()
from django_tasks_db.models import DBTaskResult
from ivp.jobs.models import ScheduledRun
print(json.dumps({"runs": list(ScheduledRun.objects.values_list("job", "status")),
                  "tasks": list(DBTaskResult.objects.filter(task_path="ivp.jobs.tasks.run_scheduled_job")
                               .values_list("status", flat=True))}))
"""


def _run(env, *args, timeout=240):
    done = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
    assert done.returncode == 0, f"{args[:3]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


def _json(done) -> dict:
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """The URL of a database of this module's own, migrated, with the plan loaded."""
    folder = tmp_path_factory.mktemp("worker-db")
    if connection.vendor == "postgresql":
        import psycopg

        settings = connection.settings_dict
        name = f"{settings['NAME']}_worker"[:63]
        admin = {"host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432,
                 "user": settings["USER"], "password": settings["PASSWORD"] or None}
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            pg.execute(f'CREATE DATABASE "{name}"')
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        url = f"postgres://{settings['USER']}{password}@{admin['host']}:{admin['port']}/{name}"
    else:
        url = f"sqlite:///{folder}/ivp.sqlite3"
    env = {**os.environ, "DATABASE_URL": url, "IVP_DATA_DIR": str(folder), "IVP_REPORT_RUNNER": "queue",
           "IVP_TASK_BACKEND": "database", "IVP_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "ivp.settings"}
    _run(env, IVP, "migrate", "-v", "0")
    _run(env, IVP, "load_plan", str(REPO / "plans" / "meierij-ivp-2023-2026.yaml"))
    yield env
    if connection.vendor == "postgresql":
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_report_requested_before_a_restart_completes_through_the_worker(database):
    requested = _json(_run(database, PYTHON, "-c", WEB_REQUEST))
    assert requested["status_code"] == 302 and requested["location"] == f"/rapport/{requested['run']}/"
    assert requested["status"] == "queued", "the web process made nothing itself"
    # The web process has ended. The worker, started afterwards, finds the run through its task row.
    _run(database, IVP, "worker", "--burst", "--no-schedule")
    checked = _json(_run(database, PYTHON, "-c", WEB_CHECK, str(requested["run"])))
    assert checked["status"] == "done", checked["error"]
    assert checked["filename"].endswith(".html") and checked["stored"] == checked["size"] > 1000
    assert checked["sha_ok"] and checked["download_status"] == 200 and checked["download_same"]
    assert checked["tasks"] == ["SUCCESSFUL"]
    assert checked["executed"] == [["success", "system"]], "audited, as made by the system (the worker)"


def test_two_workers_at_once_run_a_scheduled_slot_once(database):
    workers = [subprocess.Popen([PYTHON, "-c", WORKER_WITH_TEST_SCHEDULE], cwd=REPO, env=database,  # noqa: S603
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    checked = _json(_run(database, PYTHON, "-c", JOBS_CHECK))
    assert checked["runs"] == [["test.version", "done"]]
    assert checked["tasks"] == ["SUCCESSFUL"]


def test_the_worker_command(database):
    listing = json.loads(_run(database, IVP, "worker", "--schedule").stdout)
    assert {job["job"] for job in listing} >= {"fetch_opendata", "purge_login_records"}
    refused = subprocess.run([IVP, "worker", "--burst"], cwd=REPO, env={**database, "IVP_TASK_BACKEND": "immediate"},  # noqa: S603
                             capture_output=True, text=True, timeout=120, check=False)
    assert refused.returncode != 0 and "IVP_TASK_BACKEND=database" in refused.stderr
    bad = subprocess.run([IVP, "worker", "--max-tasks", "0"], cwd=REPO, env=database,  # noqa: S603
                         capture_output=True, text=True, timeout=120, check=False)
    assert bad.returncode != 0 and "--max-tasks" in bad.stderr
