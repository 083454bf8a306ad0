"""`ivp budget_summary`: contributions equal 1 euro x the CBS population, and the totals add up."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ivp.budget import services
from ivp.core.models import Organisation

from .conftest import FIVE

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("budget_summary", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def fund_2024(imported, users):
    coordinator = users["coordinator"]
    bim = services.allocation_create(actor=coordinator, year=2024, kind="bim", title="BIM 2024 (test)",
                                     amount_cents=60_000_00)
    bibob = services.allocation_create(actor=coordinator, year=2024, kind="bibob", title="Bibob-jurist (test)",
                                       amount_cents=25_000_00, beneficiary=Organisation.objects.get(cbs_code="GM0865"))
    services.commitment_create(actor=coordinator, allocation=bim, date=dt.date(2024, 1, 15),
                               description="Inhuur BIM", amount_cents=45_000_00)
    services.expenditure_create(actor=coordinator, allocation=bim, date=dt.date(2024, 4, 30),
                                description="Factuur Q1", amount_cents=11_250_00)
    services.expenditure_create(actor=coordinator, allocation=bibob, date=dt.date(2024, 6, 30),
                                description="Advies beleidsregels", amount_cents=8_765_43)


def test_json_summary_2024(fund_2024, cbs_population):
    doc = json.loads(_run("--year", "2024", "--format", "json"))
    assert doc["year"] == 2024 and doc["rate_cents"] == 100
    contributions = {c["cbs_code"]: c for c in doc["contributions"]}
    assert sorted(contributions) == FIVE
    for code, c in contributions.items():
        assert c["population"] == cbs_population[(code, 2024)]
        assert c["population_date"] == "2024-01-01"
        assert c["population_fallback"] is False
        assert c["rate_cents"] == 100
        assert c["amount_cents"] == 100 * cbs_population[(code, 2024)]
        assert isinstance(c["amount_cents"], int)
    totals, balance = doc["totals"], doc["balance"]
    assert totals["contributions_cents"] == sum(c["amount_cents"] for c in doc["contributions"])
    assert totals["population"] == sum(c["population"] for c in doc["contributions"])
    assert totals["allocations_cents"] == sum(a["amount_cents"] for a in doc["allocations"]) == 85_000_00
    assert totals["commitments_cents"] == sum(c["amount_cents"] for c in doc["commitments"]) == 45_000_00
    assert totals["expenditures_cents"] == sum(e["amount_cents"] for e in doc["expenditures"]) == 20_015_43
    assert totals["balance_cents"] == totals["contributions_cents"] - totals["expenditures_cents"]
    assert balance["balance_cents"] == totals["balance_cents"]
    assert balance["outstanding_commitments_cents"] == 45_000_00 - 11_250_00
    assert balance["balance_after_commitments_cents"] == balance["balance_cents"] - 33_750_00
    assert totals["unallocated_cents"] == totals["contributions_cents"] - totals["allocations_cents"]
    for a in doc["allocations"]:
        assert a["spent_cents"] == sum(e["amount_cents"] for e in doc["expenditures"] if e["allocation_id"] == a["id"])
    per = doc["per_municipality"]
    assert sum(p["contributed_cents"] for p in per) == totals["contributions_cents"]
    assert sum(p["benefit_allocated_cents"] for p in per) == totals["allocations_cents"]
    assert sum(p["benefit_spent_cents"] for p in per) == totals["expenditures_cents"]
    assert doc["warnings"] == [] and doc["balance"]["negative"] is False


def test_json_summary_2025_uses_the_population_of_2024_and_says_so(imported, cbs_population):
    doc = json.loads(_run("--year", "2025", "--format", "json"))
    for c in doc["contributions"]:
        assert c["population_date"] == "2024-01-01" and c["population_fallback"] is True
        assert c["population"] == cbs_population[(c["cbs_code"], 2024)]
        assert c["amount_cents"] == 100 * c["population"]
        assert "2024" in c["warning"]
    assert len(doc["warnings"]) == 5
    assert doc["totals"]["contributions_cents"] == sum(100 * cbs_population[(code, 2024)] for code in FIVE)


def test_text_and_csv_formats(fund_2024):
    text = _run("--year", "2024")
    assert "GM0865" in text and "32.356" in text and "€ 32.356,00" in text
    csv_text = _run("--year", "2024", "--format", "csv")
    assert csv_text.splitlines()[0].startswith("onderdeel;jaar;cbs_code")
    assert "bijdrage;2024;GM0865;Vught;;;;;32356;2024-01-01;100;3235600;32356,00;" in csv_text


def test_year_out_of_range():
    with pytest.raises(CommandError):
        _run("--year", "1850")
