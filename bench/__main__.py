"""`python -m bench COMMAND` (or `bench/run COMMAND`): IVP benchmarks. See bench/README.md."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description="IVP benchmarks (synthetic data, scratch databases)")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p, db=True):
        p.add_argument("--scale", type=float, default=1.0, help="fraction of the national size (default 1)")
        p.add_argument("--seed", type=int, default=42)
        if db:
            p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")

    common(sub.add_parser("generate", help="write the SYNTHETIC data set to var/bench/"), db=False)
    p = sub.add_parser("ingest", help="import benchmark (compute, store, memory, incremental update)")
    common(p)
    p.add_argument("--no-update", action="store_true")
    p.add_argument("--profile", type=Path, help="write a cProfile of compute+store to this file")
    common(sub.add_parser("stats", help="ivp.stats for all buurten"), db=False)
    p = sub.add_parser("http", help="dashboard latency under concurrent clients (needs `ingest` first)")
    common(p)
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--requests", type=int, default=100, help="requests per URL in the latency run")
    p.add_argument("--soak-clients", type=int, default=50)
    p.add_argument("--soak-seconds", type=float, default=60)
    p.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn",
                   help="gunicorn (the production server, docs/operations.md) or Django's development server")
    p.add_argument("--workers", type=int, default=0, help="gunicorn worker processes (default: CPU cores + 1)")
    p = sub.add_parser("api", help="the open API's series endpoint under concurrent clients (needs `ingest` first)")
    common(p)
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    p.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    p.add_argument("--workers", type=int, default=0, help="gunicorn worker processes (default: CPU cores + 1)")
    p = sub.add_parser("report", help="council report PDF/DOCX (needs `ingest` first)")
    common(p)
    sub.add_parser("summary", help="print the recorded results (var/bench/results/*.json) as Markdown")
    p = sub.add_parser("all", help="generate, ingest (sqlite and postgres), stats, http, api, report")
    common(p, db=False)
    p.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args(argv)

    if args.command == "generate":
        from .common import data_folder
        from .generate import generate

        generate(data_folder(args.seed, args.scale), seed=args.seed, scale=args.scale)
    elif args.command == "ingest":
        from .ingest import profile_report, run

        run(backend=args.db, scale=args.scale, seed=args.seed, update=not args.no_update, profile=args.profile)
        if args.profile:
            print(profile_report(args.profile))
    elif args.command == "stats":
        from .stats import run

        run(scale=args.scale, seed=args.seed)
    elif args.command == "http":
        from .http import run

        run(backend=args.db, scale=args.scale, clients=args.clients, requests=args.requests,
            soak_clients=args.soak_clients, soak_seconds=args.soak_seconds, server=args.server,
            workers=args.workers)
    elif args.command == "api":
        from .api import run

        run(backend=args.db, scale=args.scale, clients=args.clients, requests=args.requests, server=args.server,
            workers=args.workers)
    elif args.command == "report":
        from .report import run

        run(backend=args.db, scale=args.scale)
    elif args.command == "summary":
        import json

        from .common import RESULTS

        for path in sorted(RESULTS.glob("*.json")):
            data = json.loads(path.read_text())
            print(f"### {path.stem}\n\n`{data.get('command')}`; load average at the end "
                  f"{[round(x, 1) for x in data['machine']['loadavg']]}\n")
            for line in data.get("summary", []):
                print(f"- {line}")
            print()
    elif args.command == "all":
        # Each step in its own process, so that peak memory and Django state are per step.
        steps = [["generate"]]
        for backend in args.backends.split(","):
            steps.append(["ingest", "--db", backend])
        steps += [["stats"], ["http", "--db", args.backends.split(",")[-1]],
                  ["api", "--db", args.backends.split(",")[-1]],
                  ["report", "--db", args.backends.split(",")[-1]]]
        for step in steps:
            cmd = [sys.executable, "-m", "bench", *step, "--scale", str(args.scale), "--seed", str(args.seed)]
            print("$", " ".join(cmd[1:]), flush=True)
            code = subprocess.call(cmd, cwd=REPO, env=os.environ.copy())  # noqa: S603 (own argv)
            if code:
                print(f"step {step[0]} failed with exit code {code}", file=sys.stderr)
                return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
