"""A fake CBS/Politie OData service that serves the SYNTHETIC files to the product's online import.

It plays the role of the recorded/fake services in tests/indicators/test_online_import.py: the product code
(`ivp.opendata.odata.fetch_observations` -> `TableSpec.bind` -> `TableParser.parse_rows` ->
`ivp.indicators.services.online_import._fetch` -> `apply_snapshot`) runs unchanged; only the transport is replaced.

What the fake does that the real service would do on its side: apply the `$filter` (ANDs of ORs of `startswith`
clauses and `Perioden ge '2025MM07'` period floors, as the connector builds them; string comparison like the
service) and `$select`, and hand out numbers as numbers (as the JSON decoder would), in 10,000-row pages like the
service. It filters with Polars (the service's own work in production) and holds only the filtered rows.

Transport time: the wall and CPU seconds spent inside its iterator (filtering, building the page of row dicts) are
added up in `transport_s` / `transport_cpu_s`; in production that is network, the service's work and the JSON
decoding of the pages. The benchmark subtracts it from "compute" to get the product's own work.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from ivp.opendata.odata import DataProperties, DimensionItem


def _prop(i, kind, key, datatype=None):
    return {"odata.type": f"Cbs.OData.{kind}", "ID": i, "Position": i, "ParentID": None, "Type": kind, "Key": key,
            "Title": key, "Description": "", "Datatype": datatype, "Unit": "aantal" if datatype else None}


# The DataProperties shapes of the tables (keys as in the real metadata, e.g. odata_samples/47018NED_*).
SHAPES = {
    "47022NED": [_prop(0, "Dimension", "SoortMisdrijf"), _prop(1, "GeoDetail", "WijkenEnBuurten"),
                 _prop(2, "TimeDimension", "Perioden"), _prop(3, "Topic", "GeregistreerdeMisdrijven_1", "Long"),
                 _prop(5, "Topic", "Gemeentenaam_2", "String"), _prop(6, "Topic", "SoortRegio_3", "String")],
    "47013NED": [_prop(0, "GeoDimension", "RegioS"), _prop(1, "Dimension", "SoortMisdrijf"),
                 _prop(2, "TimeDimension", "Perioden"), _prop(3, "Topic", "GeregistreerdeMisdrijven_1", "Long")],
    "85984NED": [_prop(0, "GeoDetail", "WijkenEnBuurten"), _prop(1, "Topic", "AantalInwoners_5", "Long")],
    "37230ned": [_prop(0, "GeoDimension", "RegioS"), _prop(1, "TimeDimension", "Perioden"),
                 _prop(2, "Topic", "BevolkingAanHetBeginVanDePeriode_1", "Long")],
}
NUMERIC = {"GeregistreerdeMisdrijven_1", "AantalInwoners_5", "BevolkingAanHetBeginVanDePeriode_1", "ID"}
PAGE_ROWS = 10_000
_STARTSWITH = re.compile(r"startswith\((\w+),'([^']*)'\)")
_GE = re.compile(r"(\w+) ge '([^']*)'")


class Filter:
    """The connector's `$filter`s: ANDs of (ORs of `startswith` clauses) and of `Field ge 'value'` floors."""

    def __init__(self, text: str | None):
        self.prefixes: dict[str, dict[int, set[str]]] = {}
        self.floors: dict[str, str] = {}
        if not text:
            return
        if re.search(r"\b(eq|ne|gt|lt|le|substringof|not)\b", text):
            raise NotImplementedError(f"the fake service understands startswith and ge filters only: {text[:200]}")
        if re.search(r"\bor\s*\(*\s*\w+ ge\b|\bge '[^']*'\s*\)*\s*or\b", text):
            raise NotImplementedError(f"the fake service understands ge only as an and-clause: {text[:200]}")
        for field, prefix in _STARTSWITH.findall(text):
            self.prefixes.setdefault(field, {}).setdefault(len(prefix), set()).add(prefix)
        for field, value in _GE.findall(text):
            self.floors[field] = max(value, self.floors.get(field, value))
        leftover = _GE.sub("", _STARTSWITH.sub("", text))
        if re.sub(r"\b(and|or)\b|[()\s]", "", leftover):
            raise NotImplementedError(f"the fake service does not understand: {leftover[:200]}")

    def expression(self) -> pl.Expr:
        parts = [pl.any_horizontal(*[pl.col(f).str.slice(0, n).is_in(sorted(p)) for n, p in by_len.items()])
                 for f, by_len in self.prefixes.items()]
        parts += [pl.col(f) >= value for f, value in self.floors.items()]  # string order, padding included
        return pl.all_horizontal(*parts) if parts else pl.lit(True)


def parse_filter(text: str | None) -> dict[str, dict[int, set[str]]]:
    """The startswith part of a filter: {field: {prefix length: prefixes}}."""
    return Filter(text).prefixes


class FakeService:
    """`client_factory` for `online_import`: `FakeService(folder)(table)` is a client for that table."""

    def __init__(self, folder: Path, *, with_update: bool = False):
        self.folder = Path(folder)
        self.with_update = with_update
        self.rows_served: dict[str, int] = {}
        self.filters: list[tuple[str, str | None]] = []
        self.transport_s = 0.0
        self.transport_cpu_s = 0.0

    def __call__(self, table, **kwargs):
        return self

    def files(self, table: str) -> list[Path]:
        files = [self.folder / f"SYNTHETIC_{table}_TypedDataSet.csv"]
        if table == "47022NED" and self.with_update:
            files += sorted(self.folder.glob("SYNTHETIC_47022NED_update_*.csv"))
        return files

    def data_properties(self, table):
        return DataProperties.from_rows(table, SHAPES[table])

    def dimension(self, table, name):
        with open(self.folder / f"SYNTHETIC_{table}_{name}.csv", newline="", encoding="utf-8") as handle:
            return [DimensionItem(key=r["Key"].strip(), title=r["Title"], description="", raw_key=r["Key"])
                    for r in csv.DictReader(handle)]

    def _frame(self, table, filter, select, strip) -> pl.DataFrame:
        wanted = Filter(filter)
        frame = pl.concat([pl.scan_csv(path, infer_schema=False) for path in self.files(table)])
        columns = [c for c in frame.collect_schema().names() if select is None or c in select or c == "ID"]
        frame = frame.filter(wanted.expression()).select(columns)
        texts = [c for c in columns if c not in NUMERIC]
        return frame.with_columns(
            *[pl.col(c).cast(pl.Int64) for c in columns if c in NUMERIC],
            *([pl.col(c).str.strip_chars() for c in texts] if strip else []),
        ).collect()

    def typed_dataset(self, table, *, filter=None, select=None, strip=True) -> Iterator[dict]:
        for page in self._pages(table, filter, select, strip):
            yield from page

    def typed_dataset_pages(self, table, *, filter=None, select=None) -> Iterator[list[dict]]:
        return self._pages(table, filter, select, strip=False)

    def _pages(self, table, filter, select, strip) -> Iterator[list[dict]]:
        """Pages of PAGE_ROWS rows as dicts, like the decoded JSON pages of the service; the time spent here is
        transport (between pages, outside the product)."""
        self.filters.append((table, filter))
        wall, cpu = time.perf_counter(), time.process_time()
        frame = self._frame(table, filter, select, strip)
        self.rows_served[table] = self.rows_served.get(table, 0) + frame.height
        for offset in range(0, frame.height, PAGE_ROWS):
            page = frame.slice(offset, PAGE_ROWS).to_dicts()
            self.transport_s += time.perf_counter() - wall
            self.transport_cpu_s += time.process_time() - cpu
            yield page
            wall, cpu = time.perf_counter(), time.process_time()
        self.transport_s += time.perf_counter() - wall
        self.transport_cpu_s += time.process_time() - cpu
