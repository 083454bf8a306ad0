"""Database.

Environment variables:
- DATABASE_URL: a database URL (dj-database-url syntax). Empty or unset: the embedded SQLite
  file IVP_DATA_DIR/ivp.sqlite3. Production: postgres://user:password@host:5432/name.
- IVP_DB_CONN_MAX_AGE: seconds to keep PostgreSQL connections open (default 60).
"""

import os

import dj_database_url

from .env import DATA_DIR

_url = os.environ.get("DATABASE_URL", "").strip()
if _url:
    DATABASES = {
        "default": dj_database_url.parse(_url, conn_max_age=int(os.environ.get("IVP_DB_CONN_MAX_AGE", "60")))
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "ivp.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
