"""Importing the real snapshot: exact totals, idempotent re-runs, revisions, nothing half-written."""

import csv
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ivp.areas.models import Area, Population
from ivp.core.audit.models import AuditEvent
from ivp.indicators.models import Observation, ObservationRevision
from ivp.indicators.services.snapshot_import import snapshot_import

pytestmark = pytest.mark.django_db
FIVE = {"GM0757", "GM0797", "GM1948", "GM0845", "GM0865"}


def _dump():
    out = StringIO()
    call_command("dumpdata", "areas", "indicators", "core.auditevent", stdout=out)
    return out.getvalue()


def test_totals_equal_the_source_files(plan, shared_data):
    snapshot_import(actor=None, root=shared_data)
    with open(shared_data / "crime" / "crime_total_gemeente_47013_2022_2024_meierij.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["gm_code"] for r in rows} == FIVE
    for row in rows:
        obs = Observation.objects.get(table="47013NED", category="0.0.0", area__code=row["gm_code"],
                                      year=int(row["jaar"]))
        assert obs.value == int(row["geregistreerde_misdrijven"])
    with open(shared_data / "crime" / "crime_total_buurt_47022sum_2021_2025_meierij.csv", encoding="utf-8") as fh:
        buurt_rows = list(csv.DictReader(fh))
    for code in FIVE:
        for year in range(2021, 2026):
            expected = sum(int(r["geregistreerde_misdrijven"]) for r in buurt_rows
                           if r["gm_code"] == code and int(r["jaar"]) == year)
            got = sum(Observation.objects.filter(table="47022NED", area__code__startswith=f"BU{code[2:]}",
                                                 year=year).values_list("value", flat=True))
            assert got == expected
    # Areas are linked to the plan's municipalities, and Vught's Haaren change is known.
    vught = Area.objects.get(code="GM0865")
    assert vught.organisation.cbs_code == "GM0865"
    assert list(vught.boundary_changes.values_list("year", flat=True)) == [2021]
    assert Population.objects.get(area=vught, year=2021, source_table="37230ned").value == 31669


def test_reimport_changes_nothing(shared_data):
    snapshot_import(actor=None, root=shared_data)
    before = _dump()
    result = snapshot_import(actor=None, root=shared_data)
    assert not result.changed
    assert _dump() == before


def test_a_revised_figure_keeps_its_old_value(tmp_path, shared_data):
    folder = tmp_path / "data"
    shutil.copytree(shared_data / "population", folder / "population")
    shutil.copytree(shared_data / "crime", folder / "crime")
    shutil.copytree(shared_data / "reference", folder / "reference")
    snapshot_import(actor=None, root=folder)
    for name in ("crime_total_gemeente_47013_2022_2024_meierij.csv", "crime_total_gemeente_47013_2022_2024_nl.csv"):
        path = folder / "crime" / name
        path.write_text(path.read_text(encoding="utf-8").replace("GM0865,Vught,gemeente,2024,", "GM0865,Vught,"
                                                                 "gemeente,2024,9"), encoding="utf-8")
    result = snapshot_import(actor=None, root=folder)
    assert result.revised == 1
    revision = ObservationRevision.objects.get()
    assert str(revision.new_value) == "9" + str(revision.old_value)
    assert AuditEvent.objects.filter(action="opendata.import", result="success").count() == 2


def test_a_bad_file_leaves_the_database_exactly_as_it_was(tmp_path, shared_data):
    snapshot_import(actor=None, root=shared_data)
    before = _dump()
    folder = tmp_path / "data"
    shutil.copytree(shared_data / "crime", folder)
    path = folder / "crime_total_gemeente_47013_2022_2024_meierij.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("GM0865,Vught,gemeente,2024,", "GM0865,Vught,"
                                                             "gemeente,2024,x"), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("import_opendata", str(folder), stdout=StringIO())
    assert "crime_total_gemeente_47013_2022_2024_meierij.csv:" in str(info.value)
    assert "geregistreerde_misdrijven" in str(info.value)
    assert _dump() == before
