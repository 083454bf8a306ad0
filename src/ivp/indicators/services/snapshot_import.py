"""Import an offline snapshot folder: validate everything first, then write in one transaction.

Re-importing the same folder changes nothing (and records nothing). A figure that changed since
the last import is updated and its old value kept as a revision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from itertools import groupby
from operator import or_
from pathlib import Path

import polars as pl
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ivp.areas.boundaries import KNOWN_BOUNDARY_CHANGES
from ivp.areas.models import Area, BoundaryChange, Population
from ivp.core.audit.recorder import NothingChanged, audited
from ivp.core.models import Organisation
from ivp.opendata.snapshot.pipeline import LEVEL_RANK, Snapshot, read_snapshot
from ivp.stats.breaks import DEFAULT_BREAKS

from ..cache import figures_changed
from ..models import Category, ImportBatch, ImportSource, Observation, ObservationRevision, StructuralBreak
from . import bulk_write

OBSERVATION_FIELDS = ("table", "category", "area", "year", "month", "value", "boundary_year", "batch", "updated_at")
OBSERVATION_KEY = ["table", "category", "area_id", "year", "month"]
ANALYZE_AFTER_ROWS = 10_000  # observations written; fewer do not change the planner's picture of the table


# The kinds of record in the import's summary line, as people read them.
RECORD_KINDS = {
    "categories": gettext_lazy("categories"), "areas": gettext_lazy("areas"),
    "boundary_changes": gettext_lazy("boundary changes"), "geometries": gettext_lazy("boundaries"),
    "structural_breaks": gettext_lazy("breaks in series"), "populations": gettext_lazy("population figures"),
    "observations": gettext_lazy("figures"),
}


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    revised: int = 0
    files: list[tuple[str, str, int]] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)
    batch: ImportBatch | None = None

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) + sum(self.updated.values()) + self.revised)

    def summary(self) -> str:
        """One line for the import commands: what was created (+) and updated (~) per kind of record."""
        if not self.changed:
            return _("Open data unchanged: nothing to import.")
        counts = ", ".join(f"{RECORD_KINDS.get(k, k)} +{self.created.get(k, 0)}/~{self.updated.get(k, 0)}"
                           for k in self.created)
        return _("Open data imported: %(summary)s; %(revised)d revised figure(s) kept as revisions.") % {
            "summary": counts, "revised": self.revised}


def snapshot_import(*, actor, root: str | Path, progress: Callable[[str, int], None] | None = None) -> ImportResult:
    snapshot = read_snapshot(Path(root), progress=progress,
                             known_area_codes=set(Area.objects.values_list("code", flat=True)))
    return apply_snapshot(actor=actor, snapshot=snapshot, source=ImportSource.SNAPSHOT, location=str(root))


def apply_snapshot(*, actor, snapshot: Snapshot, source: str, location: str) -> ImportResult:
    """Write validated records (from a snapshot folder or the open-data service) in one transaction."""
    result = ImportResult(files=snapshot.files, ignored=snapshot.ignored)
    with audited(actor=actor, action="opendata.import") as event:
        batch = ImportBatch.objects.create(source=source, location=location, actor=_user(actor),
                                           files=[list(f) for f in snapshot.files])
        _write_categories(snapshot, result)
        areas = _write_areas(snapshot, result)
        _write_boundary_changes(areas, result)
        _write_geometries(snapshot, areas, result)
        _write_default_breaks(areas, result)
        _write_populations(snapshot, areas, result)
        _write_observations(snapshot, areas, batch, result)
        if not result.changed:
            # Nothing new: leave no trace, so that re-running is a true no-op.
            raise NothingChanged
        batch.counts = {"created": result.created, "updated": result.updated, "revised": result.revised}
        batch.save(update_fields=["counts"])
        figures_changed()  # cached series and dashboards are computed again from the new figures
        result.batch = batch
        event.target = batch
        event.changes = batch.counts
    if result.batch is None:
        result.created, result.updated, result.revised = {}, {}, 0
    return result


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _write_categories(snapshot: Snapshot, result: ImportResult) -> None:
    existing = {(c.scheme, c.code): c for c in Category.objects.all()}
    new, changed = [], []
    for key, record in snapshot.categories.items():
        category = existing.get(key)
        if category is None:
            new.append(Category(scheme=record.scheme, code=record.code, title=record.title,
                                description=record.description))
        elif (category.title, category.description) != (record.title, record.description):
            category.title, category.description = record.title, record.description
            changed.append(category)
    Category.objects.bulk_create(new)
    Category.objects.bulk_update(changed, ["title", "description"])
    result.created["categories"], result.updated["categories"] = len(new), len(changed)


def _write_areas(snapshot: Snapshot, result: ImportResult) -> dict[str, Area]:
    areas = {a.code: a for a in Area.objects.all()}
    organisations = {o.cbs_code: o for o in Organisation.objects.filter(cbs_code__isnull=False)}
    created = updated = 0
    # Parents before children: one bulk insert per level, so that a level's parents have their pks.
    records = sorted(snapshot.areas.values(), key=lambda r: (LEVEL_RANK[r.level], r.code))
    for _rank, level in groupby(records, key=lambda r: LEVEL_RANK[r.level]):
        new = []
        for record in level:
            parent = areas.get(record.parent_code) if record.parent_code else None
            area = areas.get(record.code)
            if area is None:
                new.append(Area(code=record.code, level=record.level, name=record.name, parent=parent,
                                organisation=organisations.get(record.code)))
                continue
            # Compared by id: reading `area.parent` would cost a query per area (17,799 nationally).
            values = {"name": record.name if area.level != "buurt" or not area.name else area.name,
                      "parent_id": parent.pk if parent else area.parent_id}
            if record.code in organisations and area.organisation_id is None:
                values["organisation_id"] = organisations[record.code].pk
            if any(getattr(area, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(area, k, v)
                area.save()
                updated += 1
        # Both backends return the new pks from a bulk insert (PostgreSQL, SQLite >= 3.35).
        Area.objects.bulk_create(new, batch_size=2000)
        areas.update((area.code, area) for area in new)
        created += len(new)
    _set_year_ranges(snapshot, areas)
    result.created["areas"], result.updated["areas"] = created, updated
    return areas


def _set_year_ranges(snapshot: Snapshot, areas: dict[str, Area]) -> None:
    """Municipalities that appear or disappear inside the population series (37230ned)."""
    years: dict[str, list[int]] = {}
    for pop in snapshot.populations.values():
        if pop.source_table == "37230ned":
            years.setdefault(pop.area_code, []).append(pop.year)
    if not years:
        return
    first, last = min(min(v) for v in years.values()), max(max(v) for v in years.values())
    for code, ys in years.items():
        area = areas[code]
        first_year = min(ys) if min(ys) > first else None
        last_year = max(ys) if max(ys) < last else None
        if (area.first_year, area.last_year) != (first_year, last_year):
            area.first_year, area.last_year = first_year, last_year
            area.save(update_fields=["first_year", "last_year"])


def _write_boundary_changes(areas: dict[str, Area], result: ImportResult) -> None:
    created = 0
    for code, year, description in KNOWN_BOUNDARY_CHANGES:
        if code in areas:
            _obj, new = BoundaryChange.objects.get_or_create(area=areas[code], year=year,
                                                             defaults={"description": description})
            created += new
    result.created["boundary_changes"] = created


def _write_default_breaks(areas: dict[str, Area], result: ImportResult) -> None:
    """The known structural breaks (boundary changes, COVID-19), for areas present; users can add more."""
    created = 0
    for item in DEFAULT_BREAKS:
        if item.area_code is not None and item.area_code not in areas:
            continue
        _obj, new = StructuralBreak.objects.get_or_create(
            area=areas.get(item.area_code) if item.area_code else None, start=item.start, kind=item.kind,
            defaults={"end": item.end, "description": item.description})
        created += new
    result.created["structural_breaks"] = created


def _write_geometries(snapshot: Snapshot, areas: dict[str, Area], result: ImportResult) -> None:
    updated = 0
    for record in snapshot.geometries.values():
        area = areas[record.area_code]
        if (area.geometry, area.geometry_year) != (record.geometry, record.boundary_year):
            area.geometry, area.geometry_year = record.geometry, record.boundary_year
            area.save(update_fields=["geometry", "geometry_year"])
            updated += 1
    result.updated["geometries"] = updated
    result.created.setdefault("geometries", 0)


def _write_populations(snapshot: Snapshot, areas: dict[str, Area], result: ImportResult) -> None:
    existing = {(area_id, year, table): (pk, value, boundary_year)
                for pk, area_id, year, table, value, boundary_year in Population.objects.values_list(
                    "pk", "area_id", "year", "source_table", "value", "boundary_year")}
    new, changed = [], []
    for record in snapshot.populations.values():
        area_id = areas[record.area_code].pk
        current = existing.get((area_id, record.year, record.source_table))
        if current is None:
            new.append((area_id, record.year, record.value, record.boundary_year, record.source_table))
        elif (current[1], current[2]) != (record.value, record.boundary_year):
            changed.append((current[0], record.value, record.boundary_year))
    bulk_write.insert_rows(Population, ("area", "year", "value", "boundary_year", "source_table"), new)
    bulk_write.update_rows(Population, ("value", "boundary_year"), changed)
    result.created["populations"], result.updated["populations"] = len(new), len(changed)


def _write_observations(snapshot: Snapshot, areas: dict[str, Area], batch: ImportBatch,
                        result: ImportResult) -> None:
    # Columns throughout (Polars), no object per figure: a national table holds millions of observations
    # (docs/benchmarks.md, "Ingest"; ADR 0010). Rows become tuples only on their way into the database.
    ids = pl.DataFrame({"area_code": list(areas), "area_id": [area.pk for area in areas.values()]},
                       schema={"area_code": pl.String, "area_id": pl.Int64})
    incoming = (snapshot.observations_frame()
                .join(ids, on="area_code", how="left", maintain_order="left")  # every code is known (checked)
                .select("table", "category", "area_id", "year", pl.col("month").fill_null(0), "value",
                        "boundary_year"))
    existing = _existing_observations(incoming)
    changed = revised = pl.DataFrame()
    if existing is None:
        new = incoming
    else:
        joined = incoming.join(existing, on=OBSERVATION_KEY, how="left", maintain_order="left")
        found, value_changed = pl.col("pk").is_not_null(), pl.col("value").ne_missing(pl.col("old_value"))
        new = joined.filter(~found).select(incoming.columns)
        changed = joined.filter(found & (value_changed | (pl.col("boundary_year") != pl.col("old_boundary_year"))))
        revised = changed.filter(value_changed)
    now = bulk_write.db_value(Observation, "updated_at", timezone.now())
    tail = (batch.pk, now)
    bulk_write.insert_rows(Observation, OBSERVATION_FIELDS, (row + tail for row in new.iter_rows()))
    if changed.height:
        bulk_write.update_rows(Observation, ("value", "boundary_year", "batch", "updated_at"),
                               [row + tail for row in changed.select("pk", "value", "boundary_year").iter_rows()])
    if revised.height:
        bulk_write.insert_rows(ObservationRevision, ("observation", "old_value", "new_value", "batch", "changed_at"),
                               (row + tail for row in revised.select("pk", "old_value", "value").iter_rows()))
    if new.height + changed.height > ANALYZE_AFTER_ROWS:
        # A table that grew by many rows needs fresh planner statistics (PostgreSQL; autovacuum may be off).
        bulk_write.analyze(Observation)
    result.created["observations"], result.updated["observations"] = new.height, changed.height
    result.revised = revised.height


def _existing_observations(incoming: pl.DataFrame) -> pl.DataFrame | None:
    """The stored rows an incoming observation can match (key, pk, old value, old boundary year), or None when there
    are none: only the tables and years the snapshot holds (an incremental update holds a few months of a table of
    millions of rows)."""
    if not incoming.height or not Observation.objects.exists():
        return None
    years = incoming.group_by("table").agg(pl.col("year").unique().sort())
    matching = reduce(or_, (Q(table=table, year__in=ys) for table, ys in years.iter_rows()))
    rows = Observation.objects.filter(matching).values_list(
        "table", "category", "area_id", "year", "month", "pk", "value", "boundary_year").iterator(chunk_size=10_000)
    schema = {"table": pl.String, "category": pl.String, "area_id": pl.Int64, "year": pl.Int32, "month": pl.Int32,
              "pk": pl.Int64, "old_value": pl.Int64, "old_boundary_year": pl.Int32}
    existing = pl.DataFrame(list(rows), schema=schema, orient="row")
    return existing if existing.height else None
