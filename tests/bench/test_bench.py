"""The benchmark tools (bench/): the synthetic generator's shape and labelling, the fake service, and that the
product's online import runs on the synthetic files. Quick (a tiny scale); nothing here is timed."""

import csv
import hashlib

import pytest
from bench.fakeservice import FakeService, parse_filter
from bench.generate import TYPES, generate
from bench.report import pdf_pages

from ivp.opendata.odata.query import and_, any_prefix
from ivp.opendata.snapshot.pipeline import read_snapshot
from ivp.opendata.snapshot.records import SnapshotError

SCALE = 0.006  # two synthetic gemeenten


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "SYNTHETIC_test"
    generate(out, seed=7, scale=SCALE, log=lambda *_a: None)
    return out


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_47022_shape_and_labelling(folder):
    rows = _rows(folder / "SYNTHETIC_47022NED_TypedDataSet.csv")
    assert list(rows[0]) == ["ID", "SoortMisdrijf", "WijkenEnBuurten", "Perioden", "GeregistreerdeMisdrijven_1"]
    areas = {r["WijkenEnBuurten"] for r in rows}
    assert all(len(a) == 10 for a in areas)  # padded like the service's keys
    codes = {a.strip() for a in areas}
    assert {c[:2] for c in codes} == {"GM", "WK", "BU"}
    # the fake range: GM9000-GM9344, never issued by CBS
    assert all(9000 <= int(c[2:6]) <= 9344 for c in codes)
    periods = {r["Perioden"] for r in rows}
    assert min(periods) == "2016MM01" and max(periods) == "2025MM12" and len(periods) == 120
    assert {r["SoortMisdrijf"].strip() for r in rows} <= {"0.0.0", *TYPES}
    assert len(TYPES) + 1 >= 59
    # the total is the exact sum of the types, per area and month; types are sparse (zeros absent)
    totals, sums, type_cells = {}, {}, 0
    for r in rows:
        key = (r["WijkenEnBuurten"], r["Perioden"])
        if r["SoortMisdrijf"].strip() == "0.0.0":
            totals[key] = int(r["GeregistreerdeMisdrijven_1"])
        else:
            assert int(r["GeregistreerdeMisdrijven_1"]) > 0
            sums[key] = sums.get(key, 0) + int(r["GeregistreerdeMisdrijven_1"])
            type_cells += 1
    assert all(totals[k] == sums.get(k, 0) for k in totals)
    buurten = {c for c in codes if c.startswith("BU")}
    assert type_cells < 0.5 * len(codes) * len(TYPES) * 120
    # names are labelled synthetic
    names = _rows(folder / "SYNTHETIC_85984NED_WijkenEnBuurten.csv")
    assert names and all(r["Title"].startswith("SYNTHETISCH") for r in names)
    assert len(buurten) == sum(1 for r in names if r["Key"].startswith("BU"))
    assert "NOT real" in (folder / "SYNTHETIC_README.md").read_text()


def test_generator_is_deterministic(folder, tmp_path):
    again = tmp_path / "again"
    generate(again, seed=7, scale=SCALE, log=lambda *_a: None)
    name = "SYNTHETIC_47022NED_TypedDataSet.csv"
    assert hashlib.sha256((folder / name).read_bytes()).digest() == hashlib.sha256((again / name).read_bytes()).digest()


def test_snapshot_import_refuses_the_synthetic_folder(folder):
    with pytest.raises(SnapshotError) as exc:
        read_snapshot(folder)
    assert "SYNTHETIC_47022NED_TypedDataSet.csv" in str(exc.value)


def test_fake_service_applies_the_connector_filter(folder):
    filt = and_(any_prefix("WijkenEnBuurten", ["BU9000"]), any_prefix("SoortMisdrijf", ["1.1.1", "0.0.0"]))
    assert parse_filter(filt) == {"WijkenEnBuurten": {6: {"BU9000"}}, "SoortMisdrijf": {5: {"1.1.1", "0.0.0"}}}
    rows = list(FakeService(folder).typed_dataset("47022NED", filter=filt, select=[
        "SoortMisdrijf", "WijkenEnBuurten", "Perioden", "GeregistreerdeMisdrijven_1"]))
    assert rows and all(r["WijkenEnBuurten"].startswith("BU9000") for r in rows)
    assert {r["SoortMisdrijf"] for r in rows} <= {"1.1.1", "0.0.0"}
    assert all(isinstance(r["GeregistreerdeMisdrijven_1"], int) for r in rows)


@pytest.mark.django_db
def test_online_import_runs_on_the_synthetic_files(folder):
    from ivp.areas.models import Area
    from ivp.indicators.models import Observation
    from ivp.indicators.services.online_import import online_import

    result = online_import(actor=None, municipality_codes=["GM9000"], client_factory=FakeService(folder))
    assert result.created["observations"] > 0
    assert Area.objects.filter(code__startswith="BU9000").exists()
    assert not Area.objects.exclude(name__startswith="SYNTHETISCH").exclude(level="land").exists()
    before = Observation.objects.count()
    again = online_import(actor=None, municipality_codes=["GM9000"],
                          client_factory=FakeService(folder, with_update=True))
    assert again.created["observations"] == Observation.objects.count() - before > 0
    assert not Observation.objects.filter(year=2026, month=0).exists()  # one month is not a year


def test_pdf_pages_counts_pages_in_object_streams():
    weasyprint = pytest.importorskip("weasyprint")
    html = "<p>een</p>" + "<p style='page-break-before: always'>nog een</p>" * 2
    assert pdf_pages(weasyprint.HTML(string=html).write_pdf()) == 3
