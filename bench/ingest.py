"""Ingest benchmark: the product's online import of the SYNTHETIC national 47022NED set, stage by stage, each
against a floor measured in the same run.

- compute: `online_import._fetch` (pages -> fetch_frames -> Polars frames of the figures, yearly sums of complete
  years; ADR 0010) + `check_area_tree` (validation), fed by the fake service.
  Floor: a bare Polars scan + filter + group-by of the same files (bench.ingest.polars_floor).
  The fake service's own time (its filtering and building the row dicts of each page: in production the network,
  the service's work and the JSON decoding) is measured inside its iterator in the same run ("transport") and
  subtracted: "compute (product)" = compute - transport; both figures are kept.
- store: `apply_snapshot` (one transaction; areas, populations, observations). Floor: a bare bulk load of the same
  rows into look-alike tables (PostgreSQL COPY; SQLite one-transaction executemany).
- memory: the process's peak RSS per stage (VmHWM, reset before each stage) and overall (ru_maxrss).
- update: `online_import` again with one appended month (2026-01), as the product does it: an incremental update
  that asks the service for the revision window only (ADR 0008) and writes only new/changed rows.
"""

from __future__ import annotations

import gc
import io
import time
from pathlib import Path

import polars as pl

from .common import (
    PLAN_FILE,
    _cpu,
    ensure_data,
    maxrss_mb,
    ratio,
    recreate_database,
    rss_mb,
    save,
    timed,
    use_database,
    verdict,
)
from .fakeservice import FakeService

GOAL_COMPUTE = 1.5
GOAL_STORE = 1.5
GOAL_MEMORY_MB = 4096
GOAL_UPDATE_S = 30.0
BENCH_MUNICIPALITIES = 5  # synthetic gemeenten that get an Organisation (dashboards, reports)


class RecordingService(FakeService):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls: list[tuple[str, str | None, list | None]] = []

    def typed_dataset(self, table, *, filter=None, select=None, strip=True):
        self.calls.append((table, filter, select))
        return super().typed_dataset(table, filter=filter, select=select, strip=strip)

    def typed_dataset_pages(self, table, *, filter=None, select=None):
        self.calls.append((table, filter, select))
        return super().typed_dataset_pages(table, filter=filter, select=select)


def gemeente_codes(folder: Path) -> list[str]:
    keys = pl.read_csv(folder / "SYNTHETIC_85984NED_TypedDataSet.csv", columns=["WijkenEnBuurten"])
    return sorted(k.strip() for k in keys["WijkenEnBuurten"] if k.startswith("GM"))


def setup_database(codes: list[str]) -> None:
    """Migrate, load the real plan file, add synthetic municipalities and a coordinator (not timed)."""
    from django.core.management import call_command

    from ivp.core.models import Organisation
    from ivp.core.roles import OrganisationKind, Role
    from ivp.core.services import membership_create, user_create
    from ivp.plans.planfile import parse_plan_file
    from ivp.plans.services import plan_load

    call_command("migrate", verbosity=0)
    plan_load(actor=None, document=parse_plan_file(PLAN_FILE), source_name=str(PLAN_FILE))
    base_team = Organisation.objects.get(kind=OrganisationKind.BASE_TEAM)
    for code in codes[:BENCH_MUNICIPALITIES]:
        Organisation.objects.create(kind=OrganisationKind.MUNICIPALITY, code=f"synthetisch-{code.lower()}",
                                    name=f"SYNTHETISCH gemeente {code[2:]}", cbs_code=code, parent=base_team)
    user, _pw = user_create(actor=None, username="bench-coordinator", password="bench-password-123!")  # noqa: S106 (scratch db)
    membership_create(actor=None, user=user, organisation=base_team, role=Role.COORDINATOR)


def polars_floor(folder: Path, categories: list[str]) -> dict:
    """The same work without the product: read, strip, filter, split periods, monthly rows + yearly sums."""
    strip = [pl.col(c).str.strip_chars() for c in ("SoortMisdrijf", "WijkenEnBuurten")]
    monthly = (pl.scan_csv(folder / "SYNTHETIC_47022NED_TypedDataSet.csv", infer_schema=False)
               .with_columns(*strip)
               .filter(pl.col("WijkenEnBuurten").str.starts_with("BU") & pl.col("SoortMisdrijf").is_in(categories))
               .with_columns(year=pl.col("Perioden").str.slice(0, 4).cast(pl.Int32),
                             month=pl.col("Perioden").str.slice(6, 2).cast(pl.Int32),
                             value=pl.col("GeregistreerdeMisdrijven_1").cast(pl.Int64))
               .select("SoortMisdrijf", "WijkenEnBuurten", "year", "month", "value")
               .collect())
    yearly = (monthly.group_by("SoortMisdrijf", "WijkenEnBuurten", "year")
              .agg(pl.col("value").sum(), pl.len().alias("months"))
              .filter(pl.col("months") == 12))
    gm = (pl.scan_csv(folder / "SYNTHETIC_47013NED_TypedDataSet.csv", infer_schema=False)
          .with_columns(pl.col("SoortMisdrijf").str.strip_chars(), pl.col("RegioS").str.strip_chars())
          .filter(pl.col("SoortMisdrijf").is_in(categories)).collect())
    areas = pl.read_csv(folder / "SYNTHETIC_85984NED_TypedDataSet.csv", infer_schema=False)
    names = pl.read_csv(folder / "SYNTHETIC_85984NED_WijkenEnBuurten.csv", infer_schema=False)
    pop = pl.read_csv(folder / "SYNTHETIC_37230ned_TypedDataSet.csv", infer_schema=False)
    return {"monthly": len(monthly), "yearly": len(yearly), "gemeente": len(gm),
            "areas": len(areas.join(names, left_on="WijkenEnBuurten", right_on="Key")), "population": len(pop)}


def _floor_rows(snapshot, batch_id: int):
    """The rows apply_snapshot wrote, as plain tuples (prepared outside the timing)."""
    from django.db import connection
    from django.utils import timezone

    from ivp.areas.models import Area

    ids = dict(Area.objects.values_list("code", "pk"))
    # The timestamp as the database stores it (SQLite: text), as the product passes it: the sqlite3 module's
    # default datetime adapter would convert it again for every row (~0.5 s per 140,000 rows), a handicap
    # of the floor, not work a bulk load must do.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    areas = [(f"F{a.code}", a.level, a.name) for a in snapshot.areas.values()]
    pops = [(ids[p.area_code], p.year, p.value, p.boundary_year, p.source_table)
            for p in snapshot.populations.values()]
    obs = [(table, category, ids[code], year, month or 0, value, boundary_year, batch_id, now)
           for table, category, code, year, month, value, boundary_year in snapshot.observations_frame()
           .select("table", "category", "area_code", "year", "month", "value", "boundary_year").iter_rows()]
    return areas, pops, obs


OBS_COLUMNS = ("table", "category", "area_id", "year", "month", "value", "boundary_year", "batch_id", "updated_at")
POP_COLUMNS = ("area_id", "year", "value", "boundary_year", "source_table")
AREA_COLUMNS = ("code", "level", "name")
FLOOR_TABLES = {"indicators_observation": OBS_COLUMNS, "areas_population": POP_COLUMNS, "areas_area": AREA_COLUMNS}


def bulk_load_floor(areas, pops, obs) -> None:
    """Load the same rows into copies of the product tables (same columns, indexes, unique constraints and foreign
    keys)."""
    from django.db import connection

    data = {"areas_area": areas, "areas_population": pops, "indicators_observation": obs}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in FLOOR_TABLES:
                cursor.execute(f'DROP TABLE IF EXISTS "floor_{table}"')
                cursor.execute(f'CREATE TABLE "floor_{table}" (LIKE "{table}" INCLUDING ALL)')
                # LIKE copies no foreign keys; the product tables' (and the SQLite floor's, whose DDL is copied)
                # are checked for every row at commit, so the floor gets the same ones.
                cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                               "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
                for name, definition in cursor.fetchall():
                    cursor.execute(f'ALTER TABLE "floor_{table}" ADD CONSTRAINT "floor_{name}" {definition}')
            connection.commit() if not connection.get_autocommit() else None
            started, cpu = time.perf_counter(), _cpu()
            raw = connection.connection
            with raw.transaction():
                cur = raw.cursor()
                for table, columns in FLOOR_TABLES.items():
                    cols = ", ".join(f'"{c}"' for c in columns)
                    with cur.copy(f'COPY "floor_{table}" ({cols}) FROM STDIN') as copy:
                        for row in data[table]:
                            copy.write_row(row)
            return time.perf_counter() - started, _cpu() - cpu
        # SQLite: the tables' own DDL (indexes included) under another name, then executemany in one transaction.
        statements = []
        for table in FLOOR_TABLES:
            cursor.execute(f'DROP TABLE IF EXISTS "floor_{table}"')
            cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL",  # noqa: S608
                           [table])
            for (sql,) in cursor.fetchall():
                sql = sql.replace(f'"{table}"', f'"floor_{table}"')
                if sql.startswith("CREATE") and "INDEX" in sql.split("(")[0]:
                    sql = sql.replace('INDEX "', 'INDEX "floor_', 1)
                statements.append(sql)
        for sql in statements:
            cursor.execute(sql)
    import sqlite3

    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    started, cpu = time.perf_counter(), _cpu()
    raw.execute("BEGIN")
    for table, columns in FLOOR_TABLES.items():
        cols = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _c in columns)
        raw.executemany(f'INSERT INTO "floor_{table}" ({cols}) VALUES ({marks})', data[table])  # noqa: S608
    raw.execute("COMMIT")
    return time.perf_counter() - started, _cpu() - cpu


def run(*, backend: str, scale: float, seed: int, update: bool = True, profile: Path | None = None) -> dict:
    folder = ensure_data(seed, scale)
    recreate_database(backend, scale)
    use_database(backend, scale)
    from ivp.areas.models import Area
    from ivp.indicators.models import ImportSource, Observation
    from ivp.indicators.services.online_import import _fetch, online_import, police_categories
    from ivp.indicators.services.snapshot_import import apply_snapshot
    from ivp.opendata.snapshot.pipeline import check_area_tree
    from ivp.opendata.snapshot.records import SnapshotError

    codes = gemeente_codes(folder)
    setup_database(codes)
    categories = police_categories("47022NED")
    figures: dict = {"backend": backend, "scale": scale, "seed": seed, "rss_after_setup_mb": round(rss_mb())}
    print(f"== ingest {backend} scale {scale}: {folder.name}, {len(codes)} gemeenten, indicator types {categories}")

    with timed(figures, "floor_compute_s", memory=True):
        floor_counts = polars_floor(folder, categories)
    figures["floor_rows"] = floor_counts
    print(f"floor compute (polars): {figures['floor_compute_s']} s {floor_counts}")

    service = RecordingService(folder)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with timed(figures, "compute_s", memory=True):
        snapshot = _fetch(codes, service)
        issues = check_area_tree(snapshot, set(Area.objects.values_list("code", flat=True)))
        if issues:
            raise SnapshotError(issues)
    figures["compute_records"] = {"areas": len(snapshot.areas), "populations": len(snapshot.populations),
                                  "observations": snapshot.observation_count()}
    figures["rows_served"] = dict(service.rows_served)
    _transport(figures, "compute", service)
    print(f"compute: {figures['compute_s']} s, peak {figures['compute_s_peak_rss_mb']} MB, "
          f"{figures['compute_records']}")
    print(f"  of which transport (fake service, measured inside its iterator): {figures['compute_transport_s']} s "
          f"({figures['compute_transport_cpu_s']} CPU s); product: {figures['compute_product_s']} s "
          f"({figures['compute_product_cpu_s']} CPU s)")

    with timed(figures, "store_s", memory=True):
        result = apply_snapshot(actor=None, snapshot=snapshot, source=ImportSource.ODATA, location="bench")
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    figures["store_created"] = result.created
    print(f"store (product): {figures['store_s']} s, peak {figures['store_s_peak_rss_mb']} MB, {result.created}")

    areas, pops, obs = _floor_rows(snapshot, result.batch.pk)
    wall, cpu = bulk_load_floor(areas, pops, obs)
    figures["floor_store_s"], figures["floor_store_cpu_s"] = round(wall, 3), round(cpu, 3)
    figures["floor_store_rows"] = len(areas) + len(pops) + len(obs)
    print(f"floor store (bulk load of {figures['floor_store_rows']:,} rows): {figures['floor_store_s']} s")
    del snapshot, areas, pops, obs
    gc.collect()

    if update:
        updater = FakeService(folder, with_update=True)
        with timed(figures, "update_s", memory=True):
            upd = online_import(actor=None, municipality_codes=codes, client_factory=updater)
        _transport(figures, "update", updater)
        figures["update_created"] = upd.created
        figures["update_updated"] = upd.updated
        figures["update_rows_served"] = dict(updater.rows_served)
        print(f"incremental update (+1 month, product online_import): {figures['update_s']} s "
              f"({figures['update_cpu_s']} CPU s; of which transport {figures['update_transport_s']} s), "
              f"created {upd.created.get('observations')} observations, rows served {updater.rows_served}")
    figures["observations_in_db"] = Observation.objects.count()
    figures["peak_rss_process_mb"] = round(maxrss_mb())

    compute_ratio = ratio(figures["compute_s"], figures["floor_compute_s"])
    store_ratio = ratio(figures["store_s"], figures["floor_store_s"])
    peak = max(figures.get(k, 0) for k in figures if k.endswith("peak_rss_mb"))
    product_ratio = ratio(figures["compute_product_s"], figures["floor_compute_s"])
    figures["ratios"] = {"compute_vs_polars": compute_ratio, "store_vs_bulk": store_ratio,
                         "compute_product_vs_polars": product_ratio,
                         "compute_product_vs_polars_cpu": ratio(figures["compute_product_cpu_s"],
                                                                figures["floor_compute_cpu_s"]),
                         "compute_vs_polars_cpu": ratio(figures["compute_cpu_s"], figures["floor_compute_cpu_s"]),
                         "store_vs_bulk_cpu_client": ratio(figures["store_cpu_s"], figures["floor_store_cpu_s"])}
    lines = [
        f"compute (product, transport {figures['compute_transport_s']} s excluded) {figures['compute_product_s']} s "
        f"/ polars {figures['floor_compute_s']} s = {product_ratio}x (goal <= {GOAL_COMPUTE}x: "
        f"{verdict(product_ratio <= GOAL_COMPUTE)}); CPU seconds {figures['compute_product_cpu_s']} / "
        f"{figures['floor_compute_cpu_s']} = {figures['ratios']['compute_product_vs_polars_cpu']}x",
        f"compute with transport {figures['compute_s']} s / polars {figures['floor_compute_s']} s = {compute_ratio}x; "
        f"CPU seconds {figures['compute_cpu_s']} / {figures['floor_compute_cpu_s']} = "
        f"{figures['ratios']['compute_vs_polars_cpu']}x",
        f"store {figures['store_s']} s / bulk {figures['floor_store_s']} s = {store_ratio}x "
        f"(goal <= {GOAL_STORE}x: {verdict(store_ratio <= GOAL_STORE)}); client CPU seconds "
        f"{figures['store_cpu_s']} / {figures['floor_store_cpu_s']}",
        f"peak RSS {peak} MB (ru_maxrss {figures['peak_rss_process_mb']} MB; goal <= {GOAL_MEMORY_MB} MB: "
        f"{verdict(figures['peak_rss_process_mb'] <= GOAL_MEMORY_MB)})",
    ]
    if update:
        lines.append(f"update {figures['update_s']} s, {figures['update_cpu_s']} CPU s, of which transport "
                     f"{figures['update_transport_s']} s (goal < {GOAL_UPDATE_S} s: "
                     f"{verdict(figures['update_s'] < GOAL_UPDATE_S)})")
    print("\n".join(lines))
    figures["summary"] = lines
    save(f"ingest-{backend}-scale{scale:g}", figures)
    return figures


def _transport(figures: dict, stage: str, service: FakeService) -> None:
    """The fake service's time inside the stage (transport) and the stage's time without it (the product's)."""
    figures[f"{stage}_transport_s"] = round(service.transport_s, 3)
    figures[f"{stage}_transport_cpu_s"] = round(service.transport_cpu_s, 3)
    figures[f"{stage}_product_s"] = round(figures[f"{stage}_s"] - service.transport_s, 3)
    figures[f"{stage}_product_cpu_s"] = round(figures[f"{stage}_cpu_s"] - service.transport_cpu_s, 3)


def profile_report(path: Path, limit: int = 25) -> str:
    import pstats

    out = io.StringIO()
    pstats.Stats(str(path), stream=out).sort_stats("cumulative").print_stats(limit)
    return out.getvalue()
