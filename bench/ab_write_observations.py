"""One-off A/B of the `_write_observations` change (bench finding): the old version (a model instance for every
existing observation) against the current one (tuples), on the scratch SQLite database of `bench ingest --scale
0.05`, re-applying the update snapshot with 1,500 changed figures inside a rolled-back transaction.

    PYTHONPATH=. .venv/bin/python bench/ab_write_observations.py
"""
import time
import tracemalloc
from dataclasses import replace

from django.db import transaction

from bench.common import data_folder, use_database

use_database("sqlite", 0.05)  # Django must be set up before the imports below
# ruff: noqa: E402
from bench.fakeservice import FakeService
from bench.ingest import gemeente_codes
from ivp.indicators.models import ImportSource, Observation, ObservationRevision
from ivp.indicators.services import snapshot_import as si
from ivp.indicators.services.online_import import _fetch


def old(snapshot, areas, batch, result):
    existing = {(o.table, o.category, o.area_id, o.year, o.month): o for o in Observation.objects.all()}
    new, changed, revisions = [], [], []
    for record in snapshot.observations.values():
        area = areas[record.area_code]
        key = (record.table, record.category, area.pk, record.year, record.month or 0)
        current = existing.get(key)
        if current is None:
            new.append(Observation(table=record.table, category=record.category, area=area, year=record.year,
                                   month=record.month or 0, value=record.value, boundary_year=record.boundary_year,
                                   batch=batch))
        elif current.value != record.value or current.boundary_year != record.boundary_year:
            if current.value != record.value:
                revisions.append(ObservationRevision(observation=current, old_value=current.value,
                                                     new_value=record.value, batch=batch))
            current.value, current.boundary_year, current.batch = record.value, record.boundary_year, batch
            changed.append(current)
    Observation.objects.bulk_create(new, batch_size=2000)
    Observation.objects.bulk_update(changed, ["value", "boundary_year", "batch"], batch_size=2000)
    ObservationRevision.objects.bulk_create(revisions, batch_size=2000)
    result.created["observations"], result.updated["observations"] = len(new), len(changed)
    result.revised = len(revisions)

folder = data_folder(42, 0.05)
snap = _fetch(gemeente_codes(folder), FakeService(folder, with_update=True))
# make ~1% of the existing figures change, so that updates and revisions are exercised too
keys = [k for k in snap.observations if k[4] is not None][:1500]
for k in keys:
    snap.observations[k] = replace(snap.observations[k], value=(snap.observations[k].value or 0) + 1)
new_fn = si._write_observations
for name, fn in [("old", old), ("new", new_fn), ("old", old), ("new", new_fn)]:
    si._write_observations = fn
    tracemalloc.start()
    c, t = time.process_time(), time.perf_counter()
    with transaction.atomic():
        r = si.apply_snapshot(actor=None, snapshot=snap, source=ImportSource.ODATA, location="ab")
        transaction.set_rollback(True)
    cpu, wall = time.process_time() - c, time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"{name}: {cpu:.2f} s CPU, {wall:.2f} s wall, traced peak {peak:.0f} MB, created "
          f"{r.created['observations']}, updated {r.updated['observations']}, revised {r.revised}")
