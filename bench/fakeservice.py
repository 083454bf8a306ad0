"""A fake CBS/Politie OData service that serves the SYNTHETIC files to the product's online import.

It plays the role of the recorded/fake services in tests/indicators/test_online_import.py: the product code
(`ivp.opendata.odata.fetch_observations` -> `TableSpec.bind` -> `TableParser.parse_rows` ->
`ivp.indicators.services.online_import._fetch` -> `apply_snapshot`) runs unchanged; only the transport is replaced.

What the fake does that the real service would do on its side: apply the `$filter` (`startswith` clauses, as the
connector builds them) and `$select`, and hand out numbers as numbers (as the JSON decoder would). Rows are
streamed from the CSV file (the real client streams 10,000-row pages), so the fake does not hold the table.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from ivp.opendata.odata import DataProperties, DimensionItem
from ivp.opendata.odata.normalise import strip_row


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
_STARTSWITH = re.compile(r"startswith\((\w+),'([^']*)'\)")


def parse_filter(text: str | None) -> dict[str, dict[int, set[str]]]:
    """The connector's filters are ANDs of ORs of startswith clauses: {field: {prefix length: prefixes}}."""
    result: dict[str, dict[int, set[str]]] = {}
    if not text:
        return result
    if re.search(r"\b(eq|ne|gt|lt|substringof|not)\b", text):
        raise NotImplementedError(f"the fake service understands startswith filters only: {text[:200]}")
    for field, prefix in _STARTSWITH.findall(text):
        result.setdefault(field, {}).setdefault(len(prefix), set()).add(prefix)
    return result


class FakeService:
    """`client_factory` for `online_import`: `FakeService(folder)(table)` is a client for that table."""

    def __init__(self, folder: Path, *, with_update: bool = False):
        self.folder = Path(folder)
        self.with_update = with_update
        self.rows_served: dict[str, int] = {}

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

    def typed_dataset(self, table, *, filter=None, select=None, strip=True) -> Iterator[dict]:
        wanted = parse_filter(filter)
        served = 0
        for path in self.files(table):
            with open(path, newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                header = next(reader)
                columns = [(i, h) for i, h in enumerate(header) if select is None or h in select or h == "ID"]
                checks = [(header.index(f), [(n, p) for n, p in by_len.items()]) for f, by_len in wanted.items()]
                for values in reader:
                    if not all(any(values[i][:n] in p for n, p in groups) for i, groups in checks):
                        continue
                    row = {h: (int(values[i]) if h in NUMERIC and values[i] != "" else values[i] or None)
                           for i, h in columns}
                    served += 1
                    yield strip_row(row) if strip else row
        self.rows_served[table] = self.rows_served.get(table, 0) + served
