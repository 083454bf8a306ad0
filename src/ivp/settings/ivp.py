"""IVP's own settings.

Environment variables:
- IVP_PLAN_FILE: the plan file that `ivp bootstrap` loads (default plans/meierij-ivp-2023-2026.yaml).
- IVP_OPENDATA_DIR: an offline open-data snapshot folder (e.g. ../shared/data) that `ivp bootstrap`
  imports; unset: bootstrap fetches from the CBS/Politie open-data service instead.
"""

import os

from .env import BASE_DIR

IVP_PLAN_FILE = os.environ.get("IVP_PLAN_FILE") or str(BASE_DIR / "plans" / "meierij-ivp-2023-2026.yaml")
IVP_OPENDATA_DIR = os.environ.get("IVP_OPENDATA_DIR", "").strip()
