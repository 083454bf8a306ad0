"""Paths and the deployment environment.

Environment variables:
- IVP_ENV: "development" (default) or "production". Production turns DEBUG off and the
  security settings on, and requires IVP_SECRET_KEY, IVP_ALLOWED_HOSTS, IVP_EMAIL_URL and IVP_BASE_URL.
- IVP_DATA_DIR: folder for the SQLite database and the generated development secret key
  (default: ./var in the checkout).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = Path(__file__).resolve().parents[1]

IVP_ENV = os.environ.get("IVP_ENV", "development").strip().lower()
if IVP_ENV not in {"development", "production"}:
    raise RuntimeError(f"IVP_ENV must be 'development' or 'production', not {IVP_ENV!r}")
IS_PRODUCTION = IVP_ENV == "production"

DATA_DIR = Path(os.environ.get("IVP_DATA_DIR") or BASE_DIR / "var")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_positive_int(name: str, default: int, unit: str = "") -> int:
    """A whole number >= 1 from the environment; a clear start-up error otherwise."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    what = f"a whole number of {unit}" if unit else "a whole number"
    try:
        number = int(value)
    except ValueError:
        raise RuntimeError(f"{name} must be {what}, not {value!r}") from None
    if number < 1:
        raise RuntimeError(f"{name} must be at least 1, not {number}")
    return number
