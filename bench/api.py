"""API benchmark (issue 16, item 6): the open API's series endpoint under concurrent clients, against a real server.

The same server, database and method as `bench http` (gunicorn as in production, bench.settings, the scratch database
that `bench ingest` filled at the same --scale): a police user's personal read token (internal audience: every
figure of the series, as the dashboard scenario's police session), `--clients` concurrent clients, `--requests`
requests to a minimal API endpoint (`/api/v1/__bench__/minimal`: the same DRF stack, token authentication and
throttling, a constant JSON body), then the same number to the series endpoint
(`/api/v1/areas/<GM>/indicators/crime_total/series`) of the synthetic municipalities, round robin.

Goals (those of the dashboard scenario): series p95 <= 3x the minimal endpoint's p95 and < 150 ms, zero errors.
The rate limits are raised for the run (IVP_API_RATE_*), so that the benchmark measures the endpoint, not 429s;
the throttle itself still runs on every request.
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

from .common import REPO, database_env, ratio, save, use_database, verdict
from .http import GOAL_P95_MS, GOAL_RATIO, _free_port, _summary, bench_reader, server_command, server_cpu_s

MINIMAL = "/api/v1/__bench__/minimal"
INDICATOR = "crime_total"


def _get(port: int, path: str, token: str, timeout: float = 120) -> tuple[float, int, str]:
    started = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}", "Host": "127.0.0.1",
                                           "Accept": "application/json"})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        status = response.status
        error = "" if status == 200 and body.startswith(b"{") else f"HTTP {status}"
        if not error and path != MINIMAL and b'"points":[{' not in body:
            error = "series without points"
    except (OSError, http.client.HTTPException) as exc:
        status, error = 0, f"{type(exc).__name__}: {exc}"
    return (time.perf_counter() - started) * 1000, status, error


def load(port: int, paths: list[str], token: str, *, clients: int, requests: int) -> dict:
    latencies, errors = [], []
    with ThreadPoolExecutor(clients) as pool:
        started = time.perf_counter()
        for ms, _status, error in pool.map(lambda i: _get(port, paths[i % len(paths)], token), range(requests)):
            latencies.append(ms)
            if error:
                errors.append(error)
        seconds = time.perf_counter() - started
    return _summary(latencies, errors, seconds)


def reader_token() -> tuple[str, list[str]]:
    from ivp.api.services import api_token_create
    from ivp.core.models import Organisation

    _token, secret = api_token_create(actor=None, user=bench_reader(), name="bench", days=1)
    codes = list(Organisation.objects.filter(code__startswith="synthetisch-").order_by("cbs_code")
                 .values_list("cbs_code", flat=True))
    return secret, codes


def run(*, backend: str, scale: float, clients: int, requests: int, server: str = "gunicorn",
        workers: int = 0) -> dict:
    use_database(backend, scale)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    token, codes = reader_token()
    if not codes:
        raise SystemExit("no synthetic municipalities in the scratch database: run `bench ingest` first")
    port = _free_port()
    env = {**os.environ, **database_env(backend, scale), "PYTHONPATH": str(REPO),
           "IVP_API_RATE_ANONYMOUS": "1000000/second", "IVP_API_RATE_TOKEN": "1000000/second"}
    log = open(REPO / "var" / "bench" / f"server-api-{backend}.log", "w")  # noqa: SIM115
    workers = workers or (os.cpu_count() or 1) + 1
    command, description = server_command(server, port, workers)
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    figures: dict = {"backend": backend, "scale": scale, "server": description, "municipalities": codes,
                     "audience": "internal (police token)"}
    print(f"server: {description}")
    try:
        for _ in range(200):
            if _get(port, MINIMAL, token, timeout=2)[1] == 200:
                break
            time.sleep(0.3)
        else:
            raise SystemExit("the server did not start; see var/bench/server-api log")
        series = [f"/api/v1/areas/{c}/indicators/{INDICATOR}/series" for c in codes]
        for path in series:  # first computation of each series (and a functional check)
            ms, status, error = _get(port, path, token)
            print(f"warm-up {path}: {status} {ms:.0f} ms {error}")
        warm_round, warm = 0, {"max_ms": float("inf")}
        while warm["max_ms"] >= 250 and warm_round < 20:  # every worker process fills its own figures cache
            warm_round += 1
            warm = load(port, series, token, clients=min(clients, workers), requests=len(series) * workers * 4)
        print(f"warm after {warm_round} round(s) of {warm['requests']} requests (slowest {warm['max_ms']} ms)")
        figures["warm_up_rounds"] = warm_round
        figures["single_client_series_ms"] = round(statistics.median(
            [_get(port, series[0], token)[0] for _ in range(5)]), 1)
        figures["single_client_minimal_ms"] = round(statistics.median(
            [_get(port, MINIMAL, token)[0] for _ in range(20)]), 1)
        print(f"single client: series {figures['single_client_series_ms']} ms, minimal "
              f"{figures['single_client_minimal_ms']} ms")
        cpu = server_cpu_s(process.pid)
        figures["minimal"] = load(port, [MINIMAL], token, clients=clients, requests=requests)
        figures["minimal"]["server_cpu_ms_per_request"] = round(1000 * (server_cpu_s(process.pid) - cpu) / requests, 1)
        print(f"minimal endpoint, {clients} clients: {figures['minimal']}")
        cpu = server_cpu_s(process.pid)
        figures["series"] = load(port, series, token, clients=clients, requests=requests)
        figures["series"]["server_cpu_ms_per_request"] = round(1000 * (server_cpu_s(process.pid) - cpu) / requests, 1)
        print(f"series endpoint, {clients} clients: {figures['series']}")
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
    s, m = figures["series"], figures["minimal"]
    r = ratio(s["p95_ms"], m["p95_ms"])
    lines = [
        f"API series p95 {s['p95_ms']} ms / minimal endpoint p95 {m['p95_ms']} ms = {r}x with {clients} clients "
        f"(goal <= {GOAL_RATIO}x: {verdict(r <= GOAL_RATIO)}; goal < {GOAL_P95_MS} ms: "
        f"{verdict(s['p95_ms'] < GOAL_P95_MS)}; errors {s['errors'] + m['errors']}: "
        f"{verdict(s['errors'] + m['errors'] == 0)}); server CPU per request: series "
        f"{s['server_cpu_ms_per_request']} ms, minimal {m['server_cpu_ms_per_request']} ms",
    ]
    if m["p95_ms"] >= GOAL_P95_MS / GOAL_RATIO:
        lines.append(f"note: the minimal endpoint alone has p95 {m['p95_ms']} ms with {clients} clients on "
                     f"{os.cpu_count()} cores; the series under {GOAL_P95_MS} ms would have to cost at most "
                     f"{ratio(GOAL_P95_MS, m['p95_ms'])}x an empty endpoint here")
    lines.append(f"load average at the end: {[round(x, 1) for x in os.getloadavg()]}")
    print("\n".join(lines))
    figures["summary"] = lines
    save(f"api-{backend}-scale{scale:g}", figures)
    return figures
