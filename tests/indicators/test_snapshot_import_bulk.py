"""The import's bulk write path (plain tuples: SQLite executemany, PostgreSQL COPY), on whichever backend the
suite runs: exactly the snapshot's rows, a re-import that changes nothing, revisions of changed figures, and
nothing written when the write fails halfway.

The snapshot is built here from records; every test runs twice, the second time with the buurt figures (47022NED)
handed over as a Polars frame, as the online import does (ADR 0010). Its areas use the SYNTHETIC code range GM9xxx
(never issued by CBS) and every figure is made up for this test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ivp.areas.models import Area, Population
from ivp.core.audit.models import AuditEvent
from ivp.indicators.models import ImportBatch, ImportSource, Observation, ObservationRevision
from ivp.indicators.services import bulk_write, snapshot_import
from ivp.indicators.services.snapshot_import import apply_snapshot
from ivp.opendata.snapshot.observation_frames import records_frame
from ivp.opendata.snapshot.pipeline import Snapshot
from ivp.opendata.snapshot.records import AreaRecord, ObservationRecord, PopulationRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["records", "frame"])
def buurt_figures(request, monkeypatch):
    """How `_apply` hands the buurt figures to the store: as records or as a frame."""
    monkeypatch.setattr(f"{__name__}.COLUMNAR", request.param == "frame")
    return request.param


COLUMNAR = False
GM, WK, BUURTEN = "GM9901", "WK990101", ("BU99010101", "BU99010102")


def _observation(table, category, area, year, month, value, boundary_year=2024):
    return ObservationRecord(table=table, category=category, area_code=area, year=year, month=month, value=value,
                             boundary_year=boundary_year, source_file="test", line=1)


def _snapshot(*, months=range(1, 13), bump=None) -> Snapshot:
    """Two buurten with monthly figures and a yearly sum, the municipality's yearly figure, populations."""
    snapshot = Snapshot()
    for record in (AreaRecord(BUURTEN[1], "buurt", "SYNTHETIC buurt 2", WK),
                   AreaRecord(GM, "gemeente", "SYNTHETIC gemeente", None),
                   AreaRecord(BUURTEN[0], "buurt", "SYNTHETIC buurt 1", WK),
                   AreaRecord(WK, "wijk", "SYNTHETIC wijk", GM)):
        snapshot.areas[record.code] = record
    records = [_observation("47013NED", "0.0.0", GM, year, None, 100 + year - 2022) for year in (2022, 2023, 2024)]
    for number, buurt in enumerate(BUURTEN):
        # The first buurt's March figure is not published (None, never 0).
        records += [_observation("47022NED", "1.1.1", buurt, 2024, month,
                                 None if (number, month) == (0, 3) else number + month) for month in months]
        records.append(_observation("47022NED", "1.1.1", buurt, 2024, None, 7 * (number + 1)))
    for record in records:
        if bump and bump(record):
            record = replace(record, value=record.value + 1000)
        snapshot.observations[(record.table, record.category, record.area_code, record.year, record.month)] = record
    for record in [PopulationRecord(GM, 2024, 5000, 2024, "85984NED"),
                   *(PopulationRecord(code, 2024, 1000 + i, 2024, "85984NED") for i, code in enumerate(BUURTEN)),
                   *(PopulationRecord(GM, year, 4900 + year - 2022, year, "37230ned") for year in (2022, 2023, 2024))]:
        snapshot.populations[(record.area_code, record.year, record.source_table)] = record
    return snapshot


def _apply(snapshot):
    if COLUMNAR:  # the same figures, the buurt ones as a frame (the snapshot itself stays as built)
        buurt = [r for r in snapshot.observations.values() if r.table == "47022NED"]
        snapshot = replace(snapshot, observations={k: r for k, r in snapshot.observations.items()
                                                   if r.table != "47022NED"},
                           observation_frames=[records_frame(buurt)] if buurt else [])
    return apply_snapshot(actor=None, snapshot=snapshot, source=ImportSource.ODATA, location="test")


def _observation_rows():
    return set(Observation.objects.values_list("table", "category", "area__code", "year", "month", "value",
                                               "boundary_year"))


def _expected_rows(snapshot):
    return {(o.table, o.category, o.area_code, o.year, o.month or 0, o.value, o.boundary_year)
            for o in snapshot.observations.values()}


def _state():
    """Every row the import writes, with the columns it sets."""
    return (list(Area.objects.order_by("code").values_list("code", "level", "name", "parent__code", "first_year",
                                                           "last_year")),
            list(Population.objects.order_by("pk").values_list("area__code", "year", "value", "boundary_year",
                                                               "source_table")),
            list(Observation.objects.order_by("pk").values_list("pk", "table", "category", "area_id", "year", "month",
                                                                "value", "boundary_year", "batch_id", "updated_at")),
            list(ObservationRevision.objects.order_by("pk").values_list("observation_id", "old_value", "new_value",
                                                                        "batch_id", "changed_at")),
            ImportBatch.objects.count())


def test_a_first_import_writes_exactly_the_snapshots_rows():
    snapshot = _snapshot()
    started = timezone.now()
    result = _apply(snapshot)
    finished = timezone.now()
    assert _observation_rows() == _expected_rows(snapshot)
    assert Observation.objects.count() == len(snapshot.observations) == 3 + 2 * 13
    assert Observation.objects.filter(area__code=GM).values_list("month", flat=True).distinct().get() == 0
    assert Observation.objects.get(area__code=BUURTEN[0], month=3).value is None
    assert set(Observation.objects.values_list("batch_id", flat=True)) == {result.batch.pk}
    stamps = set(Observation.objects.values_list("updated_at", flat=True))
    assert len(stamps) == 1 and started <= stamps.pop() <= finished
    # Parents before children, in one bulk insert per level.
    assert dict(Area.objects.values_list("code", "parent__code")) == {GM: None, WK: GM, BUURTEN[0]: WK,
                                                                     BUURTEN[1]: WK}
    assert set(Population.objects.values_list("area__code", "year", "value", "boundary_year", "source_table")) == {
        (p.area_code, p.year, p.value, p.boundary_year, p.source_table) for p in snapshot.populations.values()}
    assert not ObservationRevision.objects.exists()
    assert result.created["observations"] == 29 and result.created["areas"] == 4
    assert result.created["populations"] == 6 and result.updated["observations"] == 0 and result.revised == 0
    assert result.batch.counts["created"]["observations"] == 29


def test_a_reimport_changes_nothing_and_records_nothing():
    _apply(_snapshot())
    before, events = _state(), AuditEvent.objects.count()
    again = _apply(_snapshot())
    assert not again.changed and again.batch is None
    assert _state() == before
    assert AuditEvent.objects.count() == events


def test_new_months_are_added_next_to_existing_rows():
    _apply(_snapshot(months=range(1, 7)))
    result = _apply(_snapshot())
    assert result.created["observations"] == 2 * 6 and result.updated["observations"] == 0
    assert _observation_rows() == _expected_rows(_snapshot())
    new_rows = Observation.objects.filter(month__gte=7)
    assert set(new_rows.values_list("batch_id", flat=True)) == {result.batch.pk}
    assert not Observation.objects.filter(month__lt=7, batch=result.batch).exists()


def test_a_changed_figure_is_updated_and_its_old_value_kept_as_a_revision():
    first = _apply(_snapshot())
    untouched = _state()[2]
    changed_at = timezone.now()
    # Two figures change value (one of them was not published before); one only changes boundaries.
    snapshot = _snapshot(bump=lambda r: r.area_code == GM and r.year == 2024)
    key = ("47022NED", "1.1.1", BUURTEN[0], 2024, 3)
    snapshot.observations[key] = replace(snapshot.observations[key], value=12)
    key_boundary = ("47022NED", "1.1.1", BUURTEN[1], 2024, 5)
    snapshot.observations[key_boundary] = replace(snapshot.observations[key_boundary], boundary_year=2025)
    result = _apply(snapshot)
    assert (result.created["observations"], result.updated["observations"], result.revised) == (0, 3, 2)
    assert _observation_rows() == _expected_rows(snapshot)
    revisions = {r.observation.area.code: r for r in ObservationRevision.objects.select_related("observation__area")}
    assert (revisions[GM].old_value, revisions[GM].new_value) == (102, 1102)
    assert (revisions[BUURTEN[0]].old_value, revisions[BUURTEN[0]].new_value) == (None, 12)
    assert {r.batch_id for r in revisions.values()} == {result.batch.pk}
    assert all(r.changed_at >= changed_at for r in revisions.values())
    updated = Observation.objects.filter(batch=result.batch)
    assert updated.count() == 3 and all(o.updated_at >= changed_at for o in updated)
    # The other rows keep their batch and timestamp.
    assert [row for row in _state()[2] if row[8] == first.batch.pk] == [
        row for row in untouched if row[0] not in set(updated.values_list("pk", flat=True))]


def test_a_write_that_fails_halfway_leaves_nothing():
    _apply(_snapshot(months=range(1, 7)))
    before, batches = _state(), ImportBatch.objects.count()
    snapshot = _snapshot()
    snapshot.areas["BU99010103"] = AreaRecord("BU99010103", "buurt", "SYNTHETIC buurt 3", WK)
    snapshot.populations[("BU99010103", 2024, "85984NED")] = PopulationRecord("BU99010103", 2024, 10, 2024,
                                                                              "85984NED")
    # Areas, populations and most observations are written before the last new row breaks a constraint.
    key = ("47022NED", "1.1.1", BUURTEN[1], 2024, 12)
    snapshot.observations[key] = replace(snapshot.observations[key], value=-1)
    with pytest.raises(IntegrityError):
        _apply(snapshot)
    assert _state() == before and ImportBatch.objects.count() == batches
    assert not Area.objects.filter(code="BU99010103").exists()
    assert AuditEvent.objects.filter(action="opendata.import", result="error").count() == 1


def test_a_large_import_refreshes_the_planner_statistics(monkeypatch):
    calls = []
    monkeypatch.setattr(bulk_write, "analyze", lambda model: calls.append(model))
    _apply(_snapshot(months=range(1, 7)))
    assert calls == []  # a few rows: no ANALYZE
    monkeypatch.undo()
    monkeypatch.setattr(snapshot_import, "ANALYZE_AFTER_ROWS", 5)
    _apply(_snapshot())
    if connection.vendor == "postgresql":
        # ANALYZE (inside the import's transaction) counted the table's rows, the new ones included.
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'indicators_observation'::regclass")
            assert cursor.fetchone()[0] == Observation.objects.count()


@pytest.mark.django_db(transaction=True)
def test_bulk_writes_refuse_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match="atomic"):
        bulk_write.insert_rows(ImportBatch, ("source", "location", "created_at", "files", "counts"), [])


def test_bulk_writes_refuse_rows_without_a_defaulted_column():
    with transaction.atomic(), pytest.raises(ValueError, match="updated_at"):
        bulk_write.insert_rows(Observation, ("table", "category", "area", "year", "month", "value", "boundary_year",
                                             "batch"), [])


def test_db_value_stores_timestamps_as_the_orm_does():
    batch = ImportBatch.objects.create(source=ImportSource.ODATA, location="test")
    area = Area.objects.create(code=GM, level="gemeente", name="SYNTHETIC gemeente")
    stamp = dt.datetime(2026, 1, 31, 23, 59, 58, 123456, tzinfo=dt.UTC)
    with transaction.atomic():
        bulk_write.insert_rows(Observation, snapshot_import.OBSERVATION_FIELDS, [
            ("47013NED", "0.0.0", area.pk, 2025, 0, 5, 2025, batch.pk,
             bulk_write.db_value(Observation, "updated_at", stamp))])
    assert Observation.objects.get().updated_at == stamp
    assert Observation.objects.filter(updated_at__gte=stamp).count() == 1


def test_an_import_of_one_year_compares_with_that_years_rows_and_leaves_the_others():
    _apply(_snapshot())
    before = _state()[2]
    snapshot = _snapshot(bump=lambda r: r.area_code == GM and r.year == 2024)
    snapshot.observations = {key: record for key, record in snapshot.observations.items()
                             if record.table == "47013NED" and record.year == 2024}
    result = _apply(snapshot)
    assert (result.created["observations"], result.updated["observations"], result.revised) == (0, 1, 1)
    assert ObservationRevision.objects.get().old_value == 102
    after = {row[0]: row for row in _state()[2]}
    assert len(after) == len(before)
    assert [row for row in before if after[row[0]] != row] == [
        row for row in before if row[1] == "47013NED" and row[4] == 2024]
