"""F5: a SQLite database named through DATABASE_URL gets the same settings as the default file (IMMEDIATE
transactions, a lock timeout), so concurrent writes queue instead of failing with "database is locked"."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SETTINGS = (
    "import json, django; from django.conf import settings as s; django.setup();"
    "d = dict(s.DATABASES['default']); print(json.dumps({k: d.get(k) for k in ('ENGINE', 'NAME', 'OPTIONS')},"
    " default=str))"
)

# Two requests that each read and then write in one transaction, at the same time (the pattern of every service:
# check, then write inside audited()).
CONCURRENT_WRITES = """
import json, threading, time, django
django.setup()
from django.db import connection, connections, transaction
with connection.cursor() as c:
    c.execute("CREATE TABLE counter (n integer)")
    c.execute("INSERT INTO counter VALUES (0)")
errors = []
def work():
    try:
        with transaction.atomic(), connection.cursor() as c:
            c.execute("SELECT n FROM counter")
            n = c.fetchone()[0]
            time.sleep(0.3)
            c.execute("UPDATE counter SET n = %s", [n + 1])
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()
threads = [threading.Thread(target=work) for _ in range(2)]
[t.start() for t in threads]
[t.join() for t in threads]
with connection.cursor() as c:
    c.execute("SELECT n FROM counter")
    print(json.dumps({"errors": errors, "n": c.fetchone()[0]}))
"""


def _run(code: str, **env) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("IVP_") and k != "DATABASE_URL"}
    environment.update({"DJANGO_SETTINGS_MODULE": "ivp.settings", **env})
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,  # noqa: S603
                            cwd=REPO, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_sqlite_url_gets_the_default_sqlite_settings(tmp_path):
    default = _run(SETTINGS, IVP_DATA_DIR=str(tmp_path))
    by_url = _run(SETTINGS, IVP_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3")
    assert by_url["NAME"] == f"{tmp_path}/other.sqlite3"
    assert by_url["ENGINE"] == default["ENGINE"] == "django.db.backends.sqlite3"
    assert by_url["OPTIONS"] == default["OPTIONS"] == {"transaction_mode": "IMMEDIATE", "timeout": 20}


def test_concurrent_writes_to_a_sqlite_url_queue_instead_of_failing(tmp_path):
    result = _run(CONCURRENT_WRITES, IVP_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert result == {"errors": [], "n": 2}


def test_a_postgres_url_is_left_as_it_is(tmp_path):
    result = _run(SETTINGS, IVP_DATA_DIR=str(tmp_path), DATABASE_URL="postgres://ivp:pw@db.example:5432/ivp")
    assert result["ENGINE"] == "django.db.backends.postgresql" and result["NAME"] == "ivp"
