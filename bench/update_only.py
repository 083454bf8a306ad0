"""Re-run only the incremental update on the scratch database of an earlier `bench ingest` (at the same --scale),
in a fresh process: `online_import` with the appended month, as the product does it (incremental: the revision
window only, ADR 0008; `--full` fetches and compares everything). When the month is already there, nothing is
written (NothingChanged) and the figure is the cost of fetching, parsing and comparing the window.

    PYTHONPATH=. .venv/bin/python -m bench.update_only --db sqlite --scale 1
"""

from __future__ import annotations

import argparse
import time

from .common import data_folder, maxrss_mb, save, use_database


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--full", action="store_true", help="a full re-import instead of the incremental update")
    args = parser.parse_args(argv)
    use_database(args.db, args.scale)
    from ivp.indicators.services.online_import import online_import

    from .fakeservice import FakeService
    from .ingest import gemeente_codes

    folder = data_folder(args.seed, args.scale)
    service = FakeService(folder, with_update=True)
    started, cpu = time.perf_counter(), time.process_time()
    result = online_import(actor=None, municipality_codes=gemeente_codes(folder), client_factory=service,
                           full=args.full)
    figures = {"backend": args.db, "scale": args.scale, "full": args.full,
               "update_s": round(time.perf_counter() - started, 1),
               "update_cpu_s": round(time.process_time() - cpu, 1),
               "update_transport_s": round(service.transport_s, 1),
               "update_transport_cpu_s": round(service.transport_cpu_s, 1),
               "rows_served": service.rows_served, "peak_rss_process_mb": round(maxrss_mb()),
               "created": result.created, "updated": result.updated}
    line = (f"update only ({args.db}, scale {args.scale:g}{', full' if args.full else ''}): {figures['update_s']} s "
            f"wall, {figures['update_cpu_s']} s CPU (of which transport {figures['update_transport_s']} s wall, "
            f"{figures['update_transport_cpu_s']} s CPU), peak RSS {figures['peak_rss_process_mb']} MB, created "
            f"{result.created.get('observations', 0)}, rows served {service.rows_served}")
    print(line)
    figures["summary"] = [line]
    save(f"update-only-{args.db}-scale{args.scale:g}{'-full' if args.full else ''}", figures)


if __name__ == "__main__":
    main()
