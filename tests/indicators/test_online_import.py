"""The online import: the production path, run against a fake service.

The service cannot be reached here. The fake client serves the real 47018NED DataProperties and
WijkenEnBuurten code list (recorded, ../shared/data/odata_samples) where a table has that shape, and
SYNTHETIC rows otherwise: every figure below is made up for this test and says nothing about Vught.
"""

import pytest

from ivp.areas.models import Area, Population
from ivp.indicators.models import ImportBatch, Observation
from ivp.indicators.services.online_import import OnlineImportError, online_import
from ivp.opendata.odata import DataProperties, DimensionItem, ODataConnectionError
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
