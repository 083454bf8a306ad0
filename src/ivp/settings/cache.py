"""Caches.

Environment variables:
- IVP_FIGURES_CACHE_ENTRIES: how many computed figures (series, neighbourhood tables) each process keeps in
  memory (default 2000; 0 turns the cache off). Entries are keyed on the figures' state, so an import makes
  the old ones unreachable at once (ivp.indicators.cache); they are never stale, only evicted.
"""

import os

from .env import env_positive_int

# "0" turns the cache off; anything else must be a whole number >= 1.
_entries = 0 if os.environ.get("IVP_FIGURES_CACHE_ENTRIES", "").strip() == "0" else env_positive_int(
    "IVP_FIGURES_CACHE_ENTRIES", 2000, unit="entries")

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ivp-default"},
    # Per process: each server process fills its own (computing a dashboard's figures once costs ~0.1 s).
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache" if _entries
        else "django.core.cache.backends.dummy.DummyCache",
        "LOCATION": "ivp-figures",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": _entries or 1},
    },
}
