"""Read a snapshot folder into validated records. Reads only: nothing is written here.

Every file is classified (imported, or known and ignored with a reason); an unknown file, a
malformed row, a duplicate key or two files disagreeing about one figure is an issue, and any
issue stops the whole import before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from .csvreader import CsvFile, RowError
from .formats import FORMATS, IGNORED_DIRS, IGNORED_SUFFIXES, RowContext, boundary_format_for, format_for
from .geojson import read_geojson
from .observation_frames import SCHEMA as OBSERVATION_SCHEMA
from .observation_frames import records_frame
from .records import (
    AreaRecord,
    CategoryRecord,
    GeometryRecord,
    ImportIssue,
    ObservationRecord,
    PopulationRecord,
    SnapshotError,
)

LEVEL_RANK = {"land": 0, "gemeente": 1, "wijk": 2, "buurt": 3}


@dataclass
class Snapshot:
    areas: dict[str, AreaRecord] = field(default_factory=dict)
    populations: dict[tuple, PopulationRecord] = field(default_factory=dict)
    observations: dict[tuple, ObservationRecord] = field(default_factory=dict)
    # Columnar observations (observation_frames.SCHEMA), for tables of millions of figures. A key is in one place
    # only: in `observations` or in one of the frames, once.
    observation_frames: list[pl.DataFrame] = field(default_factory=list)
    categories: dict[tuple, CategoryRecord] = field(default_factory=dict)
    geometries: dict[str, GeometryRecord] = field(default_factory=dict)
    files: list[tuple[str, str, int]] = field(default_factory=list)  # (file, format key, rows)
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)

    def observation_count(self) -> int:
        return len(self.observations) + sum(frame.height for frame in self.observation_frames)

    def observations_frame(self) -> pl.DataFrame:
        """Every observation, records and frames, as one frame (observation_frames.SCHEMA)."""
        parts = [records_frame(self.observations.values()), *self.observation_frames]
        return pl.concat([part for part in parts if part.height] or [pl.DataFrame(schema=OBSERVATION_SCHEMA)])


def discover(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and not any(
        part in IGNORED_DIRS or part.startswith(".") for part in p.relative_to(root).parts[:-1]))


def read_snapshot(root: Path, *, progress: Callable[[str, int], None] | None = None,
                  known_area_codes: set[str] | None = None) -> Snapshot:
    root = Path(root)
    if not root.exists():
        raise SnapshotError([ImportIssue(str(root), None, "", _("folder or file not found"))])
    snapshot = Snapshot()
    issues: list[ImportIssue] = []
    base = root if root.is_dir() else root.parent
    planned = []
    geojson_files = []
    for path in discover(root):
        name = str(path.relative_to(base))
        if path.name.startswith("."):
            continue
        if path.suffix in IGNORED_SUFFIXES:
            snapshot.ignored.append((name, IGNORED_SUFFIXES[path.suffix]))
            continue
        if path.suffix == ".geojson":
            boundary = boundary_format_for(path.name)
            if boundary is None:
                issues.append(ImportIssue(name, None, "", _("unknown boundary file")))
            elif boundary.boundary is None:
                snapshot.ignored.append((name, boundary.description))
            else:
                geojson_files.append((path, name, boundary.boundary))
            continue
        fmt = format_for(path.name)
        if fmt is None:
            issues.append(ImportIssue(name, None, "", _("unknown file: no import format matches this name "
                                                        "(see docs/open-data.md)")))
        elif fmt.ignored:
            snapshot.ignored.append((name, fmt.description))
        else:
            planned.append((fmt, path, name))
    # Reference lists and area files first, then figures.
    planned.sort(key=lambda item: (item[0].order, item[2]))
    for fmt, path, name in planned:
        issues += _read_file(snapshot, fmt, path, name, progress)
    for path, name, (year, level) in geojson_files:
        records, file_issues = read_geojson(path, name, year, level)
        issues += file_issues
        for record in records:
            snapshot.geometries[record.area_code] = record
        snapshot.files.append((name, f"geojson_{level}", len(records)))
    if not issues:
        issues += check_area_tree(snapshot, known_area_codes or set())
    if issues:
        raise SnapshotError(issues)
    return snapshot


def _read_file(snapshot, fmt, path, name, progress) -> list[ImportIssue]:
    csv_file = CsvFile(path, name)
    seen: dict[tuple, int] = {}
    count = 0
    for line, row in csv_file.rows(fmt.columns):
        try:
            records = fmt.parse(row, RowContext(name, line))
        except RowError as exc:
            csv_file.issue(line, exc.field, str(exc))
            continue
        count += 1
        if progress and count % 1000 == 0:
            progress(name, count)
        for record in records:
            if isinstance(record, AreaRecord | PopulationRecord):
                record = replace(record, source_file=name, line=line)
            _add(snapshot, record, name, line, seen, csv_file)
    snapshot.files.append((name, fmt.key, count))
    if progress:
        progress(name, count)
    return csv_file.issues


def _add(snapshot, record, name, line, seen, csv_file) -> None:
    if isinstance(record, AreaRecord):
        existing = snapshot.areas.get(record.code)
        if existing is None or (existing.parent_code is None and record.parent_code):
            snapshot.areas[record.code] = record
        return
    if isinstance(record, CategoryRecord):
        key = (record.scheme, record.code)
        store = snapshot.categories
    elif isinstance(record, PopulationRecord):
        key = (record.area_code, record.year, record.source_table)
        store = snapshot.populations
    else:
        key = (record.table, record.category, record.area_code, record.year, record.month)
        store = snapshot.observations
    if key in seen:
        csv_file.issue(line, "", _("duplicate row: same key as line %(line)d (%(key)s)")
                       % {"line": seen[key], "key": ", ".join(str(k) for k in key if k is not None)})
        return
    seen[key] = line
    existing = store.get(key)
    if existing is not None and _value(existing) != _value(record):
        csv_file.issue(line, "", _("conflicts with %(other)s: %(a)s here, %(b)s there")
                       % {"other": getattr(existing, "source_file", "another file"), "a": _value(record),
                          "b": _value(existing)})
        return
    store[key] = record


def _value(record):
    return getattr(record, "value", None) if not isinstance(record, CategoryRecord) else record.title


def check_area_tree(snapshot: Snapshot, known: set[str]) -> list[ImportIssue]:
    """Every parent exists; every figure's area is known (in this snapshot or the database)."""
    issues = []
    codes = set(snapshot.areas) | known
    for area in snapshot.areas.values():
        if area.parent_code and area.parent_code not in codes:
            issues.append(ImportIssue(area.source_file, area.line, area.code,
                                      _("parent area %s is unknown") % area.parent_code))
    for obs in snapshot.observations.values():
        if obs.area_code not in codes:
            issues.append(ImportIssue(obs.source_file, obs.line, "area", _("unknown area code %s") % obs.area_code))
    for frame in snapshot.observation_frames:
        # One issue per unknown area (a frame has no lines), not one per figure.
        unknown = (frame.select("area_code", "source_file").unique(subset="area_code", keep="first")
                   .filter(~pl.col("area_code").is_in(sorted(codes))).sort("area_code"))
        issues += [ImportIssue(source_file, None, "area", _("unknown area code %s") % code)
                   for code, source_file in unknown.iter_rows()]
    for geometry in snapshot.geometries.values():
        if geometry.area_code not in codes:
            issues.append(ImportIssue(geometry.source_file, None, "statcode",
                                      _("boundary of unknown area %s") % geometry.area_code))
    for pop in snapshot.populations.values():
        if pop.area_code not in codes:
            issues.append(ImportIssue(pop.source_file, pop.line, "area",
                                      _("population for unknown area %s") % pop.area_code))
    return issues


__all__ = ["FORMATS", "Snapshot", "read_snapshot", "LEVEL_RANK"]
