"""A real database of its own for tests that run `ivp` in subprocesses (kill tests, restores).

The kind follows the active test database: with SQLite a temporary file (IVP_DATA_DIR, so the subprocess
uses the production SQLite options); with PostgreSQL a uniquely named scratch database `ivp_fault_<random>`
on the same server, created here and dropped afterwards (IVP_FAULT_DB_PREFIX changes the prefix, e.g. to keep
manual runs apart from the suite's).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.db import connections


@dataclass
class Scratch:
    vendor: str
    env: dict
    sqlite_path: Path | None = None
    pg_name: str | None = None
    pg_params: dict | None = None

    def ivp(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "ivp.cli", *args], env=self.env,  # noqa: S603 (own command)
                                capture_output=True, text=True, timeout=timeout, check=False)
        if check and result.returncode != 0:
            raise AssertionError(f"ivp {' '.join(args)} failed ({result.returncode}):\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result

    def popen(self, *args: str, **kwargs) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "ivp.cli", *args], env=self.env, **kwargs)  # noqa: S603

    def dump(self, tmp_path: Path) -> dict:
        """Every row of every model, as `ivp backup` writes them (the data part of a backup file)."""
        target = tmp_path / f"dump-{secrets.token_hex(4)}.json.gz"
        self.ivp("backup", "--skip-checks", "-o", str(target))
        document = json.loads(gzip.open(target).read())
        target.unlink()
        return document["data"]

    def connect(self, **kwargs):
        """A raw DB-API connection to the scratch database (no Django)."""
        if self.vendor == "sqlite":
            import sqlite3

            return sqlite3.connect(self.sqlite_path, isolation_level=None, **kwargs)
        import psycopg

        return psycopg.connect(dbname=self.pg_name, **self.pg_params, **kwargs)


def _pg_params(settings: dict) -> dict:
    params = {"host": settings.get("HOST") or "127.0.0.1", "user": settings.get("USER") or "postgres"}
    if settings.get("PORT"):
        params["port"] = str(settings["PORT"])
    if settings.get("PASSWORD"):
        params["password"] = settings["PASSWORD"]
    return params


@contextlib.contextmanager
def scratch_database(tmp_path: Path):
    vendor = connections["default"].vendor
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "ivp.settings"
    data_dir = tmp_path / "ivp-data"
    data_dir.mkdir(parents=True, exist_ok=True)
    env["IVP_DATA_DIR"] = str(data_dir)
    if vendor == "sqlite":
        yield Scratch(vendor, env, sqlite_path=data_dir / "ivp.sqlite3")
        return
    if vendor != "postgresql":
        raise RuntimeError(f"no scratch databases for {vendor}")
    import psycopg

    params = _pg_params(connections["default"].settings_dict)
    name = f"{os.environ.get('IVP_FAULT_DB_PREFIX', 'ivp_fault_')}{secrets.token_hex(6)}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = quote(params["user"]) + (":" + quote(params["password"], safe="") if "password" in params else "")
    env["DATABASE_URL"] = f"postgres://{auth}@{params['host']}:{params.get('port', '5432')}/{name}"
    env["IVP_DB_CONN_MAX_AGE"] = "0"
    try:
        yield Scratch(vendor, env, pg_name=name, pg_params=params)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_rows(data: dict) -> dict:
    """The rows of a dump other than those `migrate` creates itself (content types, permissions)."""
    return {label: rows for label, rows in data.items()
            if rows and label not in ("contenttypes.contenttype", "auth.permission")}
