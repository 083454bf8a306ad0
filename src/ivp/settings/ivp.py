"""IVP's own settings.

Environment variables:
- IVP_PLAN_FILE: the plan file that `ivp bootstrap` loads (default plans/meierij-ivp-2023-2026.yaml).
- IVP_OPENDATA_DIR: an offline open-data snapshot folder (e.g. ../shared/data) that `ivp bootstrap`
  imports; unset: bootstrap fetches from the CBS/Politie open-data service instead.
- IVP_STALE_AFTER_DAYS: an active activity without a status update for this many days is marked
  "verouderd" (stale) (default 60).
"""

import os

from .env import BASE_DIR

IVP_PLAN_FILE = os.environ.get("IVP_PLAN_FILE") or str(BASE_DIR / "plans" / "meierij-ivp-2023-2026.yaml")
IVP_OPENDATA_DIR = os.environ.get("IVP_OPENDATA_DIR", "").strip()


def _positive_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number of days, not {value!r}") from None
    if number < 1:
        raise RuntimeError(f"{name} must be at least 1, not {number}")
    return number


IVP_STALE_AFTER_DAYS = _positive_int("IVP_STALE_AFTER_DAYS", 60)
