"""The coverage matrix (theme x lens x municipality), the wijken that stand out, and the exports."""

import csv
import io

import pytest
from openpyxl import load_workbook

from ivp.execution.coverage import coverage_matrix
from ivp.execution.export import coverage_csv, coverage_xlsx
from ivp.execution.services import status_update_add, theme_adjustment_save

pytestmark = pytest.mark.django_db


def _column(coverage, code):
    return next(i for i, c in enumerate(coverage.columns) if c.cbs_code == code)


def _cell(coverage, code, theme_code, lens_code):
    row = next(r for r in coverage.rows if r["theme"].code == theme_code)
    lens = next(i for i, lens in enumerate(coverage.lenses) if lens.code == lens_code)
    return row["cells"][_column(coverage, code)][lens]


def test_an_empty_plan_has_only_empty_cells(plan, execution_plans, users):
    coverage = coverage_matrix(users["coordinator"], plan, 2023)
    assert len(coverage.columns) == 6 and len(coverage.lenses) == 3 and len(coverage.rows) == 6
    # Empty cells are counted in the three execution plans that exist; owners without one have no cells.
    assert coverage.empty_cells == 3 * 3 * 6
    assert [c.has_plan for c in coverage.columns].count(True) == 3
    assert coverage.empty_cells_of([None]) == 3 * 6


def test_cells_fill_as_activities_are_added(plan, execution_plans, make_activity, users):
    make_activity(execution_plans["GM0865"], theme_codes=("youth",), lens_codes=("youth", "vulnerable"),
                  planned_budget_cents=500_000)
    make_activity(execution_plans["GM0865"], title="Tweede", theme_codes=("youth",), lens_codes=("youth",),
                  planned_budget_cents=250_000)
    coverage = coverage_matrix(users["coordinator"], plan, 2023)
    cell = _cell(coverage, "GM0865", "youth", "youth")
    assert (cell.activities, cell.planned_budget_cents, cell.empty) == (2, 750_000, False)
    assert _cell(coverage, "GM0865", "youth", "vulnerable").activities == 1
    # The parent theme counts its sub-themes' activities too.
    assert _cell(coverage, "GM0865", "care_and_safety", "youth").activities == 2
    assert _cell(coverage, "GM0865", "youth", "resilience").empty
    assert _cell(coverage, "GM0797", "youth", "youth").empty
    assert coverage.empty_cells == 3 * 3 * 6 - 4
    vught = execution_plans["GM0865"].municipality
    assert coverage.empty_cells_of([vught.pk]) == 3 * 6 - 4
    assert coverage.empty_scope([vught.pk]).startswith("14 ") and "Vught" in coverage.empty_scope([vught.pk])


def test_the_page_states_the_scope_of_its_empty_cells(plan, execution_plans, make_activity, users, client):
    from django.urls import reverse

    make_activity(execution_plans["GM0865"], theme_codes=("youth",), lens_codes=("youth",))
    client.force_login(users["advisor"])  # reads the base team's plan and Vught's
    page = client.get(reverse("web:coverage_matrix") + "?periode=2023").content.decode()
    coverage = coverage_matrix(users["advisor"], plan, 2023)
    assert coverage.empty_cells == 2 * 3 * 6 - 2
    assert "Vught: 16" in page and ">34 " in page


def test_not_applicable_and_stopped(plan, execution_plans, make_activity, themes, users):
    ep = execution_plans["GM0865"]
    theme_adjustment_save(actor=users["advisor"], execution_plan=ep, theme=themes["polarisation"],
                          not_applicable=True, reason="Niet hier (test)")
    stopped = make_activity(ep, theme_codes=("digital_safety",))
    status_update_add(actor=users["advisor"], activity=stopped, status="gestopt", narrative="Gestopt (test)")
    coverage = coverage_matrix(users["coordinator"], plan, 2023)
    na = _cell(coverage, "GM0865", "polarisation", "youth")
    assert na.not_applicable and not na.empty
    assert _cell(coverage, "GM0865", "digital_safety", "youth").empty


def test_municipal_users_see_their_own_column(plan, execution_plans, make_activity, users):
    make_activity(execution_plans["GM0797"])
    coverage = coverage_matrix(users["advisor"], plan, 2023)
    assert [c.cbs_code for c in coverage.columns] == ["", "GM0865"]
    assert coverage_matrix(users["partner"], plan, 2023).columns[0].municipality is None


def test_wijken_that_stand_out(plan, execution_plans, make_activity, figures, users):
    coverage = coverage_matrix(users["coordinator"], plan, 2023)
    rows = coverage.wijken["rows"]
    assert coverage.wijken["year"] == 2023
    assert [r["code"] for r in rows] == ["WK086501"]
    assert rows[0]["flag_code"] == "above_998" and not rows[0]["addressed"]
    assert rows[0]["buurten"] == ["Testbuurt Vught 1"]
    make_activity(execution_plans["GM0865"], title="Wijkaanpak (test)", owner=users["advisor"],
                  wijken=[figures["GM0865"]["wijk"]])
    rows = coverage_matrix(users["coordinator"], plan, 2023).wijken["rows"]
    assert rows[0]["addressed"] and [a.title for a in rows[0]["activities"]] == ["Wijkaanpak (test)"]
    # Heusden's advisor does not see Vught's wijk.
    assert coverage_matrix(users["advisor"], plan, 2023).wijken["rows"]  # the advisor is Vught's
    other = coverage_matrix(users["partner"], plan, 2023)
    assert other.wijken["rows"] == []


def test_wijken_wait_for_the_interpretation_of_the_neighbourhoods_on_the_public_view(plan, execution_plans, figures,
                                                                                       users):
    from ivp.indicators.models import Interpretation
    from ivp.indicators.publication import FigureGate

    Interpretation.objects.filter(area__code="GM0865").update(published=False)
    public = coverage_matrix(users["coordinator"], plan, 2023, gate=FigureGate.public()).wijken
    assert public["rows"] == [] and public["withheld"] == ["Vught"]
    internal = coverage_matrix(users["coordinator"], plan, 2023).wijken
    assert [r["code"] for r in internal["rows"]] == ["WK086501"]


def test_without_figures_the_page_says_so(plan, execution_plans, users):
    coverage = coverage_matrix(users["coordinator"], plan, 2023)
    assert coverage.wijken["rows"] == [] and coverage.wijken["reason"]


def test_exports(plan, execution_plans, make_activity, figures, users):
    make_activity(execution_plans["GM0865"], planned_budget_cents=123_456)
    coverage = coverage_matrix(users["coordinator"], plan, 2023)
    text = coverage_csv(coverage)
    matrix, wijken = text.split("\n\n")
    rows = list(csv.reader(io.StringIO(matrix)))
    assert len(rows) == 1 + 6 * 3 * 6
    filled = [r for r in rows[1:] if r[6] != "0"]
    assert {(r[1], r[3], r[5], r[7], r[8]) for r in filled} == {
        ("GM0865", "1", "Jeugd", "123456", "1234.56"), ("GM0865", "1.2", "Jeugd", "123456", "1234.56")}
    assert "WK086501" in wijken
    workbook = load_workbook(io.BytesIO(coverage_xlsx(coverage)))
    sheet = workbook.worksheets[0]
    assert sheet.max_row == 1 + 6 * 3 * 6
    values = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[6]]
    assert {float(v[8]) for v in values} == {1234.56}
    assert workbook.worksheets[1].cell(row=2, column=2).value == "WK086501"
