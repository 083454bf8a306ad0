"""IVP's own settings.

Environment variables:
- IVP_PLAN_FILE: the plan file that `ivp bootstrap` loads (default plans/meierij-ivp-2023-2026.yaml).
"""

import os

from .env import BASE_DIR

IVP_PLAN_FILE = os.environ.get("IVP_PLAN_FILE") or str(BASE_DIR / "plans" / "meierij-ivp-2023-2026.yaml")
