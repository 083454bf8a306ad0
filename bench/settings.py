"""Settings for benchmark runs only: the product settings, plus one bench-only URL (a minimal page used as the
floor of the HTTP benchmark), DEBUG off (no query log), and a guard that refuses any database that is not a
scratch benchmark database (PostgreSQL `ivp_bench_*`, or an SQLite file under var/bench)."""

import os
from pathlib import Path

from ivp.settings import *  # noqa: F401,F403
from ivp.settings import BASE_DIR, DATABASES

ROOT_URLCONF = "bench.urls"
DEBUG = False

_db = DATABASES["default"]
if "postgresql" in _db["ENGINE"]:
    if not str(_db["NAME"]).startswith("ivp_bench_"):
        raise RuntimeError(f"bench settings refuse database {_db['NAME']!r}: only ivp_bench_* scratch databases")
else:
    _path = Path(str(_db["NAME"])).resolve()
    if not str(_path).startswith(str((BASE_DIR / "var" / "bench").resolve())) and not os.environ.get(
            "IVP_BENCH_ALLOW_SQLITE_PATH"):
        raise RuntimeError(f"bench settings refuse SQLite file {_path}: use IVP_DATA_DIR under var/bench")
