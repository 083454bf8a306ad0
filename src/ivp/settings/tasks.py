"""Background tasks: the database-backed queue (django-tasks with django-tasks-db) and `ivp worker`.

Environment variables:
- IVP_TASK_BACKEND: where enqueued tasks go: `database` (default: a row in the database that `ivp worker`
  picks up, so a task survives a restart of the web server) or `immediate` (the task runs at once, in the
  process that enqueued it; for tests and one-off scripts without a worker).
- IVP_SCHEDULE_CHECK_SECONDS: how often a running `ivp worker` looks whether a scheduled job is due
  (default 60). See docs/operations.md ("Background worker and schedule").
"""

import os

from .env import env_positive_int

IVP_TASK_BACKEND = os.environ.get("IVP_TASK_BACKEND", "").strip().lower() or "database"
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if IVP_TASK_BACKEND not in _TASK_BACKENDS:
    raise RuntimeError(f"IVP_TASK_BACKEND must be database or immediate, not {IVP_TASK_BACKEND!r}")

TASKS = {"default": {"BACKEND": _TASK_BACKENDS[IVP_TASK_BACKEND]}}

IVP_SCHEDULE_CHECK_SECONDS = env_positive_int("IVP_SCHEDULE_CHECK_SECONDS", 60, unit="seconds")
