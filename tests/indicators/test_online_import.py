"""The online import: the production path, run against a fake service.

The service cannot be reached here. The fake client serves the real 47018NED DataProperties and
WijkenEnBuurten code list (recorded, ../shared/data/odata_samples) where a table has that shape, and
SYNTHETIC rows otherwise: every figure below is made up for this test and says nothing about Vught.
"""

import io
import re

import pytest

from ivp.areas.models import Area, Population
from ivp.indicators.models import ImportBatch, Observation, ObservationRevision
from ivp.indicators.services.online_import import (
    OnlineImportError,
    UpdateWindow,
    online_import,
    police_categories,
)
from ivp.indicators.services.snapshot_import import ImportResult
from ivp.opendata.odata import DataProperties, DimensionItem, ODataConnectionError, ODataHTTPError
from ivp.opendata.odata.samples import read_cbsodatar_csv

pytestmark = pytest.mark.django_db


def _prop(i, kind, key, datatype=None):
    return {"odata.type": f"Cbs.OData.{kind}", "ID": i, "Position": i, "ParentID": None, "Type": kind, "Key": key,
            "Title": key, "Description": "", "Datatype": datatype, "Unit": "aantal" if datatype else None}


class FakeService:
    def __init__(self, samples):
        self.samples = samples
        self.filters = []

    def __call__(self, table, **kwargs):
        self.table = table
        return self

    def data_properties(self, table):
        if table in ("47018NED", "47022NED"):  # recorded 47018NED metadata; 47022NED has the same shape
            return DataProperties.from_rows(table, read_cbsodatar_csv(self.samples / "47018NED_DataProperties.csv"))
        shapes = {
            "85984NED": [_prop(0, "GeoDetail", "WijkenEnBuurten"), _prop(1, "Topic", "AantalInwoners_5", "Long")],
            "37230ned": [_prop(0, "GeoDimension", "RegioS"), _prop(1, "TimeDimension", "Perioden"),
                         _prop(2, "Topic", "BevolkingAanHetBeginVanDePeriode_1", "Long")],
            "47013NED": [_prop(0, "GeoDimension", "RegioS"), _prop(1, "Dimension", "SoortMisdrijf"),
                         _prop(2, "TimeDimension", "Perioden"),
                         _prop(3, "Topic", "GeregistreerdeMisdrijven_1", "Long")],
        }
        return DataProperties.from_rows(table, shapes[table])

    def dimension(self, table, name):
        rows = read_cbsodatar_csv(self.samples / "47018NED_WijkenEnBuurten_meierij.csv")
        return [DimensionItem(key=r["Key"].strip(), title=r["Title"], description=r.get("Description"),
                              raw_key=r["Key"]) for r in rows]

    def typed_dataset_pages(self, table, *, filter=None, select=None):
        rows = list(self.typed_dataset(table, filter=filter, select=select, strip=False))
        yield from [rows] if rows else []

    def typed_dataset(self, table, *, filter=None, select=None, strip=True):
        self.filters.append((table, filter))
        if table == "85984NED":
            return [{"WijkenEnBuurten": "GM0865", "AantalInwoners_5": 1000},
                    {"WijkenEnBuurten": "WK086500", "AantalInwoners_5": 600},
                    {"WijkenEnBuurten": "BU08650000", "AantalInwoners_5": 400}]
        if table == "37230ned":
            return [{"RegioS": "GM0865", "Perioden": f"{y}JJ00", "BevolkingAanHetBeginVanDePeriode_1": 1000 + y - 2022}
                    for y in (2022, 2023, 2024)]
        if table == "47013NED":
            return [{"RegioS": "GM0865", "SoortMisdrijf": "0.0.0", "Perioden": f"{y}JJ00",
                     "GeregistreerdeMisdrijven_1": 40 + y - 2022} for y in (2022, 2023, 2024)]
        if table == "47022NED":
            months = [{"WijkenEnBuurten": "BU08650000", "SoortMisdrijf": "0.0.0", "Perioden": f"2024MM{m:02d}",
                       "GeregistreerdeMisdrijven_1": 2} for m in range(1, 13)]
            partial = [{"WijkenEnBuurten": "BU08650000", "SoortMisdrijf": "0.0.0", "Perioden": "2025MM01",
                        "GeregistreerdeMisdrijven_1": 3}]
            return months + partial
        raise AssertionError(table)


def test_online_import_writes_like_a_snapshot(plan, shared_data):
    service = FakeService(shared_data / "odata_samples")
    result = online_import(actor=None, municipality_codes=["GM0865"], client_factory=service)
    assert result.changed and ImportBatch.objects.get().source == "odata"
    assert Observation.objects.get(table="47013NED", area__code="GM0865", year=2024).value == 42
    # Twelve months make a year; an incomplete year is not summed into a (wrong) year total.
    yearly = Observation.objects.get(table="47022NED", area__code="BU08650000", month=0)
    assert (yearly.year, yearly.value) == (2024, 24)
    assert Observation.objects.filter(table="47022NED", area__code="BU08650000", month__gt=0).count() == 13
    assert Area.objects.get(code="BU08650000").parent.code == "WK086500"
    assert Population.objects.get(area__code="GM0865", year=2023, source_table="37230ned").value == 1001
    assert Area.objects.get(code="GM0865").organisation.cbs_code == "GM0865"
    # Padded keys: filters use startswith, never exact matches on unpadded codes.
    assert all("startswith(" in f for _t, f in service.filters if f)
    again = online_import(actor=None, municipality_codes=["GM0865"], client_factory=service)
    assert not again.changed


def test_monthly_series_compares_the_same_month_a_year_earlier(plan, shared_data):
    from ivp.indicators.series import indicator_series

    online_import(actor=None, municipality_codes=["GM0865"], client_factory=FakeService(shared_data / "odata_samples"))
    monthly = indicator_series("crime_total", "BU08650000", by_month=True)
    assert [p.period for p in monthly.points][:2] == ["2024-01", "2024-02"]
    assert all(p.count == 2 for p in monthly.points if p.year == 2024)
    assert monthly.points[-1].period == "2025-01" and monthly.points[-1].verdict is not None  # vs 2024-01
    assert monthly.trend is None  # no trend line through seasonal months
    yearly = indicator_series("crime_total", "BU08650000")
    assert [p.period for p in yearly.points] == ["2024"]


def test_unreachable_service_is_a_clear_error_and_writes_nothing(plan):
    def unreachable(table, **kwargs):
        raise ODataConnectionError(f"https://opendata.example/{table}", "Name or service not known")

    with pytest.raises(OnlineImportError, match="Name or service not known"):
        online_import(actor=None, client_factory=unreachable)
    assert not Observation.objects.exists() and not ImportBatch.objects.exists()


# --------------------------------------------------------------------------------------------------------------
# Incremental update (ADR 0008). SYNTHETIC figures again, made up for these tests: one buurt, crime type 0.0.0,
# a count of 2 per month unless a test changes it.

class PeriodService(FakeService):
    """Serves a given set of 47022NED months and answers `Perioden ge '...'` like the service (string order)."""

    def __init__(self, samples, months: dict[str, int], *, refuse_period_filter=False):
        super().__init__(samples)
        self.months = months
        self.refuse_period_filter = refuse_period_filter

    def typed_dataset(self, table, *, filter=None, select=None, strip=True):
        rows = super().typed_dataset(table, filter=filter, select=select, strip=strip)
        if table == "47022NED":
            rows = [{"WijkenEnBuurten": "BU08650000", "SoortMisdrijf": "0.0.0", "Perioden": period,
                     "GeregistreerdeMisdrijven_1": value} for period, value in sorted(self.months.items())]
        floor = re.search(r"Perioden ge '(\w+)'", filter or "")
        if floor and self.refuse_period_filter:
            raise ODataHTTPError(f"https://dataderden.example/{table}", 400, "comparison not supported")
        return [r for r in rows if not floor or r["Perioden"] >= floor.group(1)]

    def filter_of(self, table):
        return [f for t, f in self.filters if t == table][-1]


def _months(first_year, last_year, last_month, value=2):
    return {f"{y}MM{m:02d}": value for y in range(first_year, last_year + 1) for m in range(1, 13)
            if (y, m) <= (last_year, last_month)}


def _value(year, month):
    return Observation.objects.get(table="47022NED", area__code="BU08650000", category="0.0.0", year=year,
                                   month=month)


def test_first_import_on_an_empty_database_is_full(plan, shared_data):
    service = PeriodService(shared_data / "odata_samples", _months(2023, 2024, 10))
    online_import(actor=None, municipality_codes=["GM0865"], client_factory=service)
    assert "Perioden" not in service.filter_of("47022NED") and "Perioden" not in service.filter_of("47013NED")
    assert Observation.objects.filter(table="47022NED", month__gt=0).count() == 22
    assert _value(2023, 0).value == 24 and not Observation.objects.filter(year=2024, month=0, table="47022NED")


def test_update_asks_for_the_window_revises_inside_it_and_leaves_older_months_alone(plan, shared_data):
    samples = shared_data / "odata_samples"
    online_import(actor=None, municipality_codes=["GM0865"], client_factory=PeriodService(samples,
                                                                                          _months(2023, 2024, 10)))
    first_batch = _value(2023, 3).batch_id
    months = _months(2023, 2024, 12)
    months["2024MM06"] = 5  # revised inside the window
    months["2023MM03"] = 9  # revised outside the window: not asked for, so not seen
    service = PeriodService(samples, months)
    result = online_import(actor=None, municipality_codes=["GM0865"], client_factory=service)
    # Newest imported month 2024-10: six months before it (from 2024-04) and everything after.
    assert "(Perioden ge '2024MM04')" in service.filter_of("47022NED")
    assert "(Perioden ge '2024JJ00')" in service.filter_of("47013NED")  # the year figure sorts before its months
    assert result.created["observations"] == 3  # 2024-11, 2024-12 and the year 2024
    assert _value(2024, 6).value == 5
    revision = ObservationRevision.objects.get(observation=_value(2024, 6))
    assert (revision.old_value, revision.new_value) == (2, 5)
    assert (_value(2023, 3).value, _value(2023, 3).batch_id) == (2, first_batch)  # outside: untouched
    assert Observation.objects.filter(table="47022NED", year=2023, month__gt=0).count() == 12  # nothing deleted
    # The year gets its twelfth month: January-March from the database, April-December from the service.
    assert _value(2024, 0).value == 3 * 2 + 5 * 2 + 5 + 3 * 2


def test_full_fetches_everything_and_applies_older_revisions(plan, shared_data):
    samples = shared_data / "odata_samples"
    online_import(actor=None, municipality_codes=["GM0865"], client_factory=PeriodService(samples,
                                                                                          _months(2023, 2024, 12)))
    months = _months(2023, 2024, 12)
    months["2023MM03"] = 9
    service = PeriodService(samples, months)
    online_import(actor=None, municipality_codes=["GM0865"], client_factory=service, full=True)
    assert "Perioden" not in service.filter_of("47022NED")
    assert _value(2023, 3).value == 9 and _value(2023, 0).value == 24 - 2 + 9
    assert ObservationRevision.objects.filter(observation=_value(2023, 3)).exists()


def test_a_municipality_new_to_the_import_gets_a_full_import(plan, shared_data):
    from ivp.indicators.services.online_import import update_window

    online_import(actor=None, municipality_codes=["GM0865"],
                  client_factory=PeriodService(shared_data / "odata_samples", _months(2024, 2024, 12)))
    assert update_window(["GM0865"]) == UpdateWindow(2024, 6)
    assert update_window(["GM0757", "GM0865"]) is None


def test_a_refused_period_filter_falls_back_to_the_whole_table(plan, shared_data):
    samples = shared_data / "odata_samples"
    online_import(actor=None, municipality_codes=["GM0865"], client_factory=PeriodService(samples,
                                                                                          _months(2023, 2024, 10)))
    months = _months(2023, 2024, 11)
    months["2023MM03"] = 9  # outside the window: dropped here although the service sent it
    service = PeriodService(samples, months, refuse_period_filter=True)
    result = online_import(actor=None, municipality_codes=["GM0865"], client_factory=service)
    assert "Perioden" not in service.filter_of("47022NED")  # the second request, after the refusal
    assert result.created["observations"] == 1 and _value(2024, 11).value == 2
    assert _value(2023, 3).value == 2


def test_long_municipality_lists_are_filtered_per_level_and_picked_locally(shared_data):
    from ivp.indicators.services.online_import import LOCAL_AREA_FILTER_ABOVE, _fetch

    codes = ["GM0865"] + [f"GM{9000 + i}" for i in range(LOCAL_AREA_FILTER_ABOVE)]  # fake codes, no figures
    service = FakeService(shared_data / "odata_samples")
    snapshot = _fetch(codes, service)
    assert service.filters[-1][1] == (
        "((startswith(WijkenEnBuurten,'BU'))) and ((startswith(SoortMisdrijf,'0.0.0')"
        + "".join(f" or startswith(SoortMisdrijf,'{c}')" for c in police_categories("47022NED")[1:]) + "))")
    buurt = snapshot.observations_frame().filter(table="47022NED")
    assert set(buurt["area_code"]) == {"BU08650000"}
    short = FakeService(shared_data / "odata_samples")
    _fetch(["GM0865"], short)
    assert "startswith(WijkenEnBuurten,'BU0865')" in short.filters[-1][1]


def test_fetch_opendata_command_passes_full(monkeypatch):
    from django.core.management import call_command

    from ivp.indicators.management.commands import fetch_opendata

    calls = []

    def fake_import(**kwargs):
        calls.append(kwargs)
        return ImportResult()

    monkeypatch.setattr(fetch_opendata, "online_import", fake_import)
    call_command("fetch_opendata", stdout=io.StringIO())
    call_command("fetch_opendata", "--full", stdout=io.StringIO())
    assert [c["full"] for c in calls] == [False, True]


def test_counts_are_checked_with_the_same_messages(plan, shared_data):
    from django.utils import translation

    from ivp.opendata.snapshot.records import SnapshotError

    samples = shared_data / "odata_samples"
    negative = _months(2024, 2024, 12)
    negative["2024MM03"] = -1
    too_large = _months(2024, 2024, 12, value=2_000_000_000)  # each month a count, the year not
    expected = [(negative, r"odata:47022NED: GeregistreerdeMisdrijven_1: not a count: -1 \(BU08650000, 2024-03\)"),
                (too_large, "the yearly sum 24000000000 of BU08650000 is too large")]
    for months, message in expected:
        with translation.override("en"), pytest.raises(SnapshotError, match=message):
            online_import(actor=None, municipality_codes=["GM0865"], client_factory=PeriodService(samples, months))
    assert not Observation.objects.exists()
