"""The safety fund pages as each role gets them, on the real CBS population; writes, refusals and exports."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ivp.budget import services
from ivp.budget.models import Allocation, Commitment, Expenditure, FundYear
from ivp.budget.summary import balance_cents, year_summary
from ivp.core.audit.models import AuditEvent
from ivp.core.models import Organisation
from ivp.money import format_euro, format_number

from .test_pages import assert_accessible_basics

pytestmark = pytest.mark.django_db
POPULATION_FILE = ("population", "population_gemeente_37230_2002_2024_meierij.csv")
FIVE = ["GM0757", "GM0797", "GM0845", "GM0865", "GM1948"]


@pytest.fixture
def cbs_population(shared_data):
    with open(shared_data.joinpath(*POPULATION_FILE), encoding="utf-8") as fh:
        return {(row["regio_code"], int(row["jaar"])): int(row["bevolking_begin_jaar"]) for row in csv.DictReader(fh)}


@pytest.fixture
def fund(users):
    """Two allocations of 2024 (test fixture): one for Heusden, one base-team wide with an expenditure."""
    coordinator = users["coordinator"]
    heusden = services.allocation_create(actor=coordinator, year=2024, kind="project", title="Testproject Heusden",
                                         amount_cents=7_500_00, beneficiary=Organisation.objects.get(cbs_code="GM0797"))
    bim = services.allocation_create(actor=coordinator, year=2024, kind="bim", title="Test-BIM basisteam",
                                     amount_cents=20_000_00)
    return {"heusden": heusden, "bim": bim}


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _rows_by_code(html: str) -> set[str]:
    return set(re.findall(r'data-cbs-code="(GM\d{4})"', html))


def test_year_page_shows_one_euro_per_inhabitant_on_1_january(client, users, imported, cbs_population, fund):
    response = _get(client, users["coordinator"], reverse("web:budget_year", kwargs={"year": 2024}))
    assert response.status_code == 200
    assert_accessible_basics(response)
    html = response.content.decode()
    assert _rows_by_code(html) == set(FIVE)
    for code in FIVE:
        population = cbs_population[(code, 2024)]
        assert format_number(population) in html
        assert format_euro(100 * population) in html
    assert html.count('datetime="2024-01-01"') == 5 and "1 januari 2024" in html
    total = sum(100 * cbs_population[(code, 2024)] for code in FIVE)
    assert format_euro(total) in html
    assert format_euro(total - 27_500_00) in html  # not allocated
    assert "€ 32.356,00" in html  # Vught: 32.356 inhabitants on 1 January 2024
    assert 'id="benefit-rule"' in html and "Testproject Heusden" in html
    for name in ("budget_rate_edit", "budget_negative_approve", "budget_allocation_create"):
        assert reverse(f"web:{name}", kwargs={"year": 2024}) in html
    assert reverse("web:budget_export", kwargs={"year": 2024, "fmt": "xlsx"}) in html
    assert 'id="fund-warnings"' not in html


def test_2025_uses_the_population_of_2024_and_says_so(client, users, imported, cbs_population):
    html = _get(client, users["police"], reverse("web:budget_year", kwargs={"year": 2025})).content.decode()
    assert html.count('datetime="2024-01-01"') == 5
    assert html.count("ivp-badge--fallback") == 5
    assert 'id="fund-population-notes"' in html and 'id="fund-warnings"' not in html
    for code in FIVE:
        assert format_euro(100 * cbs_population[(code, 2024)]) in html


def test_missing_population_is_a_visible_warning(client, users, plan):
    html = _get(client, users["coordinator"], reverse("web:budget_year", kwargs={"year": 2024})).content.decode()
    assert 'id="fund-warnings"' in html
    assert html.count('class="ivp-warning"') == 5
    assert "€ 0,00" in html


def test_advisor_reads_the_fund_and_only_the_own_contribution(client, users, populations, fund):
    html = _get(client, users["advisor"], reverse("web:budget_year", kwargs={"year": 2024})).content.decode()
    assert _rows_by_code(html) == {"GM0865"}
    assert "Testproject Heusden" in html and "Test-BIM basisteam" in html  # the fund itself
    assert format_euro(year_summary(2024).contributions_cents) in html  # totals of the whole fund
    assert reverse("web:budget_rate_edit", kwargs={"year": 2024}) not in html
    assert reverse("web:budget_allocation_create", kwargs={"year": 2024}) not in html
    response = _get(client, users["advisor"], reverse("web:budget_allocation_detail", kwargs={"pk": fund["bim"].pk}))
    assert response.status_code == 200
    assert_accessible_basics(response)
    assert "<form" not in response.content.decode().split('id="main"')[1]  # nothing to edit


def test_councillor_reads_the_totals_and_the_own_contribution(client, users, populations, fund):
    response = _get(client, users["councillor"], reverse("web:budget_year", kwargs={"year": 2024}))
    html = response.content.decode()
    assert _rows_by_code(html) == {"GM0865"}
    assert "Testproject Heusden" not in html and "Test-BIM basisteam" not in html
    assert format_euro(year_summary(2024).contributions_cents) in html
    overview = _get(client, users["councillor"], reverse("web:budget_overview"))
    assert overview.status_code == 200
    assert_accessible_basics(overview)
    assert "€ 32.356,00" in overview.content.decode()  # own contribution 2024
    own = _get(client, users["councillor"], reverse("web:budget_municipality", kwargs={"cbs_code": "GM0865"}))
    assert own.status_code == 200 and "€ 32.356,00" in own.content.decode()


def test_police_and_om_read_everything_but_edit_nothing(client, users, populations, fund):
    for role in ("police", "prosecutor"):
        html = _get(client, users[role], reverse("web:budget_year", kwargs={"year": 2024})).content.decode()
        assert _rows_by_code(html) == set(FIVE)
        assert reverse("web:budget_rate_edit", kwargs={"year": 2024}) not in html


def test_nav_link_and_no_access_for_partner_and_anonymous(client, users, plan):
    link = reverse("web:budget_overview")
    assert f'href="{link}"' in _get(client, users["advisor"], reverse("web:plan_overview")).content.decode()
    for role in ("partner", "anonymous"):
        assert f'href="{link}"' not in _get(client, users[role], reverse("web:plan_overview")).content.decode()
    assert _get(client, users["partner"], link).status_code == 403
    # Anonymous visitors get the public fund page instead of a login form (ADR 0020): no allocations, no edit links.
    response = _get(client, None, reverse("web:budget_year", kwargs={"year": 2024}))
    assert response.status_code == 200 and 'id="fund-details-note"' in response.content.decode()
    assert reverse("web:budget_rate_edit", kwargs={"year": 2024}) not in response.content.decode()


def test_coordinator_books_an_allocation_a_commitment_and_an_expenditure(client, users, populations):
    client.force_login(users["coordinator"])
    create = reverse("web:budget_allocation_create", kwargs={"year": 2024})
    assert_accessible_basics(client.get(create))
    response = client.post(create, {"year": "2024", "kind": "bibob", "title": "Juridische capaciteit Bibob",
                                    "beneficiary": "", "amount_cents": "12.345,67", "description": ""})
    assert response.status_code == 302
    allocation = Allocation.objects.get(title="Juridische capaciteit Bibob")
    assert allocation.amount_cents == 1_234_567 and allocation.beneficiary is None
    detail = reverse("web:budget_allocation_detail", kwargs={"pk": allocation.pk})
    assert_accessible_basics(client.get(detail))
    response = client.post(reverse("web:budget_commitment_add", kwargs={"pk": allocation.pk}), {
        "commitment-date": "2024-02-01", "commitment-description": "Inhuur jurist",
        "commitment-reference": "OPD-7", "commitment-amount_cents": "10.000"})
    assert response.status_code == 302
    response = client.post(reverse("web:budget_expenditure_add", kwargs={"pk": allocation.pk}), {
        "expenditure-date": "2024-03-01", "expenditure-description": "Factuur februari",
        "expenditure-reference": "", "expenditure-amount_cents": "2.500,50"})
    assert response.status_code == 302
    assert Commitment.objects.get().amount_cents == 1_000_000
    assert Expenditure.objects.get().amount_cents == 250_050
    html = client.get(detail).content.decode()
    assert "€ 10.000,00" in html and "€ 2.500,50" in html and "€ 7.499,50" in html  # open commitment
    history = client.get(reverse("web:budget_history")).content.decode()
    assert "Juridische capaciteit Bibob" in history and "Factuur februari" in history


def test_expenditure_below_zero_is_refused_with_the_input_kept_until_approved(client, users, populations, fund):
    client.force_login(users["coordinator"])
    too_much = balance_cents(2024) + 1
    url = reverse("web:budget_expenditure_add", kwargs={"pk": fund["bim"].pk})
    data = {"expenditure-date": "2024-05-01", "expenditure-description": "Voorfinanciering BIM",
            "expenditure-reference": "", "expenditure-amount_cents": format_euro(too_much)}
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "€ -0,01" in html and 'aria-invalid="true"' in html
    assert 'value="Voorfinanciering BIM"' in html
    assert not Expenditure.objects.exists()
    assert AuditEvent.objects.filter(action="budget.expenditure_create", result="error").count() == 1

    approve = reverse("web:budget_negative_approve", kwargs={"year": 2024})
    assert_accessible_basics(client.get(approve))
    assert client.post(approve, {"reason": ""}).status_code == 400
    response = client.post(approve, {"reason": "Besluit stuurgroep: BIM voorfinancieren"})
    assert response.status_code == 302
    assert FundYear.objects.get(year=2024).negative_balance_approved
    assert client.post(url, data).status_code == 302
    assert balance_cents(2024) == -1
    html = client.get(reverse("web:budget_year", kwargs={"year": 2024})).content.decode()
    assert "€ -0,01" in html and "Besluit stuurgroep: BIM voorfinancieren" in html


def test_refused_writes_are_denied_and_audited(client, users, populations, fund):
    for role in ("advisor", "councillor", "police"):
        client.force_login(users[role])
        before = AuditEvent.objects.filter(result="denied").count()
        response = client.post(reverse("web:budget_allocation_create", kwargs={"year": 2024}), {
            "year": "2024", "kind": "project", "title": "Niet toegestaan", "amount_cents": "1,00"})
        assert response.status_code == 403
        assert AuditEvent.objects.filter(result="denied").count() == before + 1
        response = client.post(reverse("web:budget_rate_edit", kwargs={"year": 2024}), {"rate_cents": "0,50"})
        assert response.status_code == 403
    assert not Allocation.objects.filter(title="Niet toegestaan").exists()
    assert not FundYear.objects.filter(rate_cents=50).exists()


def test_invalid_amount_stays_on_screen(client, users, plan):
    client.force_login(users["coordinator"])
    response = client.post(reverse("web:budget_allocation_create", kwargs={"year": 2024}), {
        "year": "2024", "kind": "project", "title": "Mijn project", "amount_cents": "twaalf euro"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="twaalf euro"' in html and 'value="Mijn project"' in html and 'aria-invalid="true"' in html
    response = client.post(reverse("web:budget_rate_edit", kwargs={"year": 2024}), {"rate_cents": "1,50"})
    assert response.status_code == 302 and FundYear.objects.get(year=2024).rate_cents == 150


def test_exports(client, users, imported, cbs_population, fund):
    client.force_login(users["coordinator"])
    response = client.get(reverse("web:budget_export", kwargs={"year": 2024, "fmt": "csv"}))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="veiligheidsfonds-2024.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    contributions = {r["cbs_code"]: int(r["bedrag_centen"]) for r in rows if r["onderdeel"] == "bijdrage"}
    assert contributions == {code: 100 * cbs_population[(code, 2024)] for code in FIVE}
    totals = {r["titel"]: int(r["bedrag_centen"]) for r in rows if r["onderdeel"] == "totaal"}
    assert totals["bijdragen"] == sum(contributions.values()) and totals["toewijzingen"] == 27_500_00
    response = client.get(reverse("web:budget_export", kwargs={"year": 2024, "fmt": "xlsx"}))
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert sum(r[5] for r in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)) == totals["bijdragen"]
    assert client.get(reverse("web:budget_export", kwargs={"year": 2024, "fmt": "pdf"})).status_code == 404

    client.force_login(users["advisor"])
    text = client.get(reverse("web:budget_export", kwargs={"year": 2024, "fmt": "csv"})).content.decode("utf-8-sig")
    advisor_rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {r["cbs_code"] for r in advisor_rows if r["onderdeel"] == "bijdrage"} == {"GM0865"}


def test_municipality_page_lists_contributions_per_year(client, users, imported, cbs_population):
    response = _get(client, users["advisor"], reverse("web:budget_municipality", kwargs={"cbs_code": "GM0865"}))
    assert response.status_code == 200
    assert_accessible_basics(response)
    html = response.content.decode()
    for year in (2023, 2024):
        assert format_euro(100 * cbs_population[("GM0865", year)]) in html
    other = _get(client, users["advisor"], reverse("web:budget_municipality", kwargs={"cbs_code": "GM0797"}))
    assert other.status_code == 404
