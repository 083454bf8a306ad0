"""CSV and XLSX exports of the year summary: exact cents, totals that add up, only what the viewer may see."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from ivp.budget import services
from ivp.budget.export import summary_csv, summary_xlsx
from ivp.budget.selectors import fund_access_for
from ivp.budget.summary import year_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def summary(populations, users):
    coordinator = users["coordinator"]
    allocation = services.allocation_create(actor=coordinator, year=2024, kind="project", title="Project (test)",
                                            amount_cents=1_234_56)
    services.expenditure_create(actor=coordinator, allocation=allocation, date=dt.date(2024, 5, 1),
                                description="Factuur", amount_cents=1_000_01)
    return year_summary(2024)


def _rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_csv_adds_up(summary, cbs_population):
    rows = _rows(summary_csv(summary))
    contributions = [r for r in rows if r["onderdeel"] == "bijdrage"]
    assert len(contributions) == 5
    for r in contributions:
        assert int(r["bedrag_centen"]) == 100 * cbs_population[(r["cbs_code"], 2024)] == 100 * int(r["inwoners"])
        assert r["peildatum_inwoners"] == "2024-01-01"
    totals = {r["titel"]: int(r["bedrag_centen"]) for r in rows if r["onderdeel"] == "totaal"}
    assert totals["bijdragen"] == sum(int(r["bedrag_centen"]) for r in contributions)
    assert totals["uitgaven"] == 1_000_01 and totals["toewijzingen"] == 1_234_56
    assert totals["saldo"] == totals["bijdragen"] - totals["uitgaven"]
    spent = next(r for r in rows if r["onderdeel"] == "uitgave")
    assert spent["bedrag_euro"] == "1000,01" and spent["titel"] == "Project (test)"


def test_csv_for_a_councillor_has_only_the_own_contribution_and_the_totals(summary, users):
    rows = _rows(summary_csv(summary.visible_to(fund_access_for(users["councillor"]))))
    assert {r["cbs_code"] for r in rows if r["onderdeel"] == "bijdrage"} == {"GM0865"}
    assert not [r for r in rows if r["onderdeel"] in ("toewijzing", "uitgave", "verplichting")]
    totals = {r["titel"]: int(r["bedrag_centen"]) for r in rows if r["onderdeel"] == "totaal"}
    assert totals["bijdragen"] == summary.contributions_cents


def test_xlsx_has_one_sheet_per_part(summary):
    workbook = load_workbook(io.BytesIO(summary_xlsx(summary)))
    assert len(workbook.sheetnames) == 6
    contributions = workbook.worksheets[1]
    rows = list(contributions.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 5
    assert sum(r[5] for r in rows) == summary.contributions_cents
    vught = next(r for r in rows if r[0] == "GM0865")
    assert vught[2] == 32356 and vught[5] == 3_235_600 and vught[6] == 32356
    expenditures = workbook.worksheets[4]
    assert [r[4] for r in expenditures.iter_rows(min_row=2, values_only=True)] == [1_000_01]
