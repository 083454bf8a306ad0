"""Database.

Environment variables:
- DATABASE_URL: a database URL (dj-database-url syntax). Empty or unset: the embedded SQLite
  file IVP_DATA_DIR/ivp.sqlite3. Production: postgres://user:password@host:5432/name. A SQLite URL
  (sqlite:////path/to/file.sqlite3) gets exactly the same SQLite settings as the default file.
- IVP_DB_CONN_MAX_AGE: seconds to keep PostgreSQL connections open (default 60).
"""

import os

import dj_database_url

from .env import DATA_DIR

SQLITE_ENGINE = "django.db.backends.sqlite3"


def sqlite_database(name) -> dict:
    """The one SQLite configuration, whatever way the file was named.

    IMMEDIATE transactions take the write lock when the transaction starts, so two concurrent writers queue
    (for up to `timeout` seconds) instead of both reading first and one failing at once with "database is
    locked" when it wants to write (SQLite cannot wait there without risking a deadlock)."""
    return {
        "ENGINE": SQLITE_ENGINE,
        "NAME": name,
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }


_url = os.environ.get("DATABASE_URL", "").strip()
if _url:
    _parsed = dj_database_url.parse(_url, conn_max_age=int(os.environ.get("IVP_DB_CONN_MAX_AGE", "60")))
    DATABASES = {"default": sqlite_database(_parsed["NAME"]) if _parsed["ENGINE"] == SQLITE_ENGINE else _parsed}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": sqlite_database(DATA_DIR / "ivp.sqlite3")}
