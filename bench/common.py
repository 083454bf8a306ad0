"""Shared helpers: scratch databases, timing, peak memory, machine description, result files."""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VAR = REPO / "var" / "bench"
RESULTS = VAR / "results"
PG_HOST = os.environ.get("IVP_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PLAN_FILE = REPO / "plans" / "meierij-ivp-2023-2026.yaml"


def db_name(backend: str, scale: float) -> str:
    return f"ivp_bench_scale{str(scale).replace('.', '_')}" if backend == "postgres" else f"sqlite-scale{scale:g}"


def database_env(backend: str, scale: float) -> dict[str, str]:
    """Environment for a process that uses the scratch database of this backend and scale."""
    env = {"DJANGO_SETTINGS_MODULE": "bench.settings", "IVP_DEBUG": "0"}
    if backend == "postgres":
        env["DATABASE_URL"] = f"{PG_HOST}/{db_name(backend, scale)}"
        env["IVP_DATA_DIR"] = str(VAR / "pg-data")
    else:
        env["DATABASE_URL"] = ""
        env["IVP_DATA_DIR"] = str(VAR / db_name(backend, scale))
    return env


def use_database(backend: str, scale: float) -> None:
    os.environ.update(database_env(backend, scale))
    import django

    django.setup()


def recreate_database(backend: str, scale: float) -> None:
    """Drop and create the scratch database (never anything but ivp_bench_* / var/bench)."""
    if backend == "postgres":
        import psycopg

        name = db_name(backend, scale)
        assert name.startswith("ivp_bench_")
        with psycopg.connect(f"{PG_HOST}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        folder = VAR / db_name(backend, scale)
        folder.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            (folder / f"ivp.sqlite3{suffix}").unlink(missing_ok=True)


def peak_rss_mb() -> float:
    """Peak resident memory of this process since the last reset_peak() (VmHWM), in MB."""
    text = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", text).group(1)) / 1024


def rss_mb() -> float:
    return int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed(figures: dict, key: str, *, memory: bool = False):
    if memory:
        reset_peak()
    started = time.perf_counter()
    cpu = _cpu()
    try:
        yield
    finally:
        figures[key] = round(time.perf_counter() - started, 3)
        # CPU seconds of this process (all threads): less sensitive to other load on a shared machine; work done
        # by the database server process (PostgreSQL) is not in it.
        figures[key.removesuffix("_s") + "_cpu_s"] = round(_cpu() - cpu, 3)
        if memory:
            figures[key + "_peak_rss_mb"] = round(peak_rss_mb())


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def ratio(value: float, floor: float) -> float:
    return round(value / floor, 2) if floor else float("inf")


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def machine() -> dict:
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()  # noqa: S603
        except (OSError, subprocess.SubprocessError):
            return "?"

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024
    pg = run(["psql", PG_HOST + "/postgres", "-tAc", "show server_version"])
    import django
    import polars

    return {"nproc": os.cpu_count(), "cpu": cpu, "mem_mb": mem, "python": platform.python_version(),
            "django": django.get_version(), "polars": polars.__version__, "sqlite": sqlite3.sqlite_version,
            "postgresql": pg, "loadavg": os.getloadavg()}


def save(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]), "machine": machine(), **payload}
    path.write_text(json.dumps(payload, indent=2, default=str))
    print(f"results: {path.relative_to(REPO)}")
    return path


def data_folder(seed: int, scale: float) -> Path:
    from .generate import folder_name

    return VAR / folder_name(seed, scale)


def ensure_data(seed: int, scale: float) -> Path:
    folder = data_folder(seed, scale)
    if not (folder / "SYNTHETIC_manifest.json").exists():
        from .generate import generate

        generate(folder, seed=seed, scale=scale)
    return folder
