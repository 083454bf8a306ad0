"""IVP's own settings.

Environment variables:
- IVP_PLAN_FILE: the plan file that `ivp bootstrap` loads (default plans/meierij-ivp-2023-2026.yaml).
- IVP_OPENDATA_DIR: an offline open-data snapshot folder (e.g. ../shared/data) that `ivp bootstrap`
  imports; unset: bootstrap fetches from the CBS/Politie open-data service instead.
- IVP_STALE_AFTER_DAYS: an active activity without a status update for this many days is marked
  "verouderd" (stale) (default 60).
- IVP_REPORT_RUNNER: how report runs ("rapport maken") are carried out: `queue` (default: a task on the
  background queue, carried out by `ivp worker`; see IVP_TASK_BACKEND) or `inline` (synchronously, in the
  request or command; tests). The former `thread` runner was removed (docs/adr/0017-task-queue.md).
- IVP_REPORT_STALE_MINUTES: a report run still running this many minutes after it started was interrupted
  (the worker stopped or crashed) and shows as failed (default 30). A queued run waits for the worker.
- IVP_REPORT_RATE_LIMIT, IVP_REPORT_RATE_WINDOW_MINUTES: a user may request at most this many reports in any
  window of this many minutes (default 10 in 10); more answer 429 and are recorded as refused.
- IVP_REPORT_TEMPLATE_DIR: a folder with Word house-style templates for the council reports: `<CBS code>.docx`
  (e.g. GM0865.docx) or `default.docx`; the DOCX report starts from that document. Unset: a plain document.
- IVP_INFORMATION_RETENTION_YEARS: rows of the information registers (signals, integral controls, Bibob, youth
  groups, LIO and AVE counts) whose period ended more than this many years ago are deleted by
  `ivp purge_information` (`purge_expired_information()`, ADR 0021; default 5).
"""

import os

from .env import BASE_DIR, env_positive_int

IVP_PLAN_FILE = os.environ.get("IVP_PLAN_FILE") or str(BASE_DIR / "plans" / "meierij-ivp-2023-2026.yaml")
IVP_OPENDATA_DIR = os.environ.get("IVP_OPENDATA_DIR", "").strip()


IVP_STALE_AFTER_DAYS = env_positive_int("IVP_STALE_AFTER_DAYS", 60, unit="days")

IVP_REPORT_RUNNER = os.environ.get("IVP_REPORT_RUNNER", "").strip() or "queue"
if IVP_REPORT_RUNNER not in ("queue", "inline"):
    raise RuntimeError(f"IVP_REPORT_RUNNER must be queue or inline, not {IVP_REPORT_RUNNER!r}"
                       + (" (the thread runner was replaced by the task queue and `ivp worker`)"
                          if IVP_REPORT_RUNNER == "thread" else ""))
IVP_REPORT_STALE_MINUTES = env_positive_int("IVP_REPORT_STALE_MINUTES", 30, unit="minutes")
IVP_REPORT_RATE_LIMIT = env_positive_int("IVP_REPORT_RATE_LIMIT", 10, unit="reports")
IVP_REPORT_RATE_WINDOW_MINUTES = env_positive_int("IVP_REPORT_RATE_WINDOW_MINUTES", 10, unit="minutes")

IVP_REPORT_TEMPLATE_DIR = os.environ.get("IVP_REPORT_TEMPLATE_DIR", "").strip()

IVP_INFORMATION_RETENTION_YEARS = env_positive_int("IVP_INFORMATION_RETENTION_YEARS", 5, unit="years")
