"""Contributions from the real CBS population: rate x inhabitants on 1 January, earlier year as fallback,
never an invented population; benefit split and totals that add up."""

import datetime as dt

import pytest

from ivp.areas.models import Population
from ivp.budget import services
from ivp.budget.summary import year_summary
from ivp.core.models import Organisation
from ivp.money import split_pro_rata

from .conftest import FIVE

pytestmark = pytest.mark.django_db


def test_contribution_is_one_euro_per_inhabitant_on_1_january(imported, cbs_population):
    for year in (2023, 2024):
        summary = year_summary(year)
        assert summary.rate_cents == 100
        assert [c.cbs_code for c in sorted(summary.contributions, key=lambda c: c.cbs_code)] == FIVE
        for c in summary.contributions:
            assert c.population == cbs_population[(c.cbs_code, year)]
            assert c.population_date == dt.date(year, 1, 1)
            assert not c.is_fallback and c.warning == ""
            assert c.amount_cents == 100 * cbs_population[(c.cbs_code, year)]
        assert summary.contributions_cents == sum(100 * cbs_population[(code, year)] for code in FIVE)
        assert summary.population_total == sum(cbs_population[(code, year)] for code in FIVE)
        assert summary.warnings == []
    vught = next(c for c in year_summary(2024).contributions if c.cbs_code == "GM0865")
    assert vught.population == 32356 and vught.amount_cents == 3_235_600  # € 32.356,00


def test_missing_year_falls_back_to_the_most_recent_earlier_year_and_says_so(imported, cbs_population):
    assert not Population.objects.filter(year=2025, source_table="37230ned").exists()
    summary = year_summary(2025)
    for c in summary.contributions:
        assert c.is_fallback
        assert c.population_year == 2024 and c.population_date == dt.date(2024, 1, 1)
        assert c.amount_cents == 100 * cbs_population[(c.cbs_code, 2024)]
        assert "2024" in c.warning and "2025" in c.warning
    assert len(summary.warnings) == 5
    assert summary.contributions_cents == sum(100 * cbs_population[(code, 2024)] for code in FIVE)


def test_no_population_means_no_contribution_and_a_warning(imported, cbs_population):
    # Meierijstad exists since 2017: for 2016 there is no figure on or before 1 January, and none is invented.
    summary = year_summary(2016)
    meierijstad = next(c for c in summary.contributions if c.cbs_code == "GM1948")
    assert meierijstad.population is None and meierijstad.population_date is None
    assert meierijstad.amount_cents == 0
    assert "Meierijstad" in meierijstad.warning
    assert meierijstad.warning in summary.warnings
    others = [c for c in summary.contributions if c.cbs_code != "GM1948"]
    assert summary.contributions_cents == sum(100 * cbs_population[(c.cbs_code, 2016)] for c in others)


def test_without_any_population_nothing_is_counted(plan):
    summary = year_summary(2024)
    assert len(summary.contributions) == 5
    assert all(c.population is None and c.amount_cents == 0 for c in summary.contributions)
    assert summary.contributions_cents == 0 and len(summary.warnings) == 5


def test_rate_set_by_the_coordinator_changes_the_contributions(imported, cbs_population, users):
    services.rate_set(actor=users["coordinator"], year=2024, rate_cents=150)
    summary = year_summary(2024)
    assert summary.rate_cents == 150
    for c in summary.contributions:
        assert c.amount_cents == 150 * cbs_population[(c.cbs_code, 2024)]
    assert year_summary(2023).rate_cents == 100  # per year


def test_balance_benefit_and_totals_add_up(imported, cbs_population, users):
    coordinator = users["coordinator"]
    vught, heusden = Organisation.objects.get(cbs_code="GM0865"), Organisation.objects.get(cbs_code="GM0797")
    bim = services.allocation_create(actor=coordinator, year=2024, kind="bim", title="BIM 2024 (test)",
                                     amount_cents=40_000_00)
    bibob = services.allocation_create(actor=coordinator, year=2024, kind="bibob", title="Bibob (test)",
                                       amount_cents=12_345_67, beneficiary=vught)
    project = services.allocation_create(actor=coordinator, year=2024, kind="project", title="Project (test)",
                                         amount_cents=5_000_00, beneficiary=heusden)
    services.commitment_create(actor=coordinator, allocation=bim, date=dt.date(2024, 2, 1), description="Contract",
                               amount_cents=30_000_00)
    services.expenditure_create(actor=coordinator, allocation=bim, date=dt.date(2024, 3, 1), description="Factuur 1",
                                amount_cents=10_000_01)
    services.expenditure_create(actor=coordinator, allocation=bibob, date=dt.date(2024, 4, 1),
                                description="Juridisch advies", amount_cents=2_500_00)
    services.commitment_create(actor=coordinator, allocation=project, date=dt.date(2024, 5, 1),
                               description="Opdracht", amount_cents=1_000_00)
    services.expenditure_create(actor=coordinator, allocation=project, date=dt.date(2024, 6, 1),
                                description="Factuur", amount_cents=1_500_00)

    s = year_summary(2024)
    contributions = sum(100 * cbs_population[(code, 2024)] for code in FIVE)
    assert s.contributions_cents == contributions
    assert s.allocated_cents == 40_000_00 + 12_345_67 + 5_000_00
    assert s.committed_cents == 30_000_00 + 1_000_00
    assert s.spent_cents == 10_000_01 + 2_500_00 + 1_500_00
    assert s.balance_cents == contributions - s.spent_cents
    # Open commitments: BIM 30.000 committed, 10.000,01 spent; the project spent more than committed (0 open).
    assert s.outstanding_cents == 30_000_00 - 10_000_01
    assert s.balance_after_commitments_cents == s.balance_cents - s.outstanding_cents
    assert s.unallocated_cents == contributions - s.allocated_cents

    benefits = {b.municipality.cbs_code: b for b in s.benefits}
    weights = {c.cbs_code: c.amount_cents for c in s.contributions}
    shared_allocated, shared_spent = split_pro_rata(40_000_00, weights), split_pro_rata(10_000_01, weights)
    for code, b in benefits.items():
        assert b.contributed_cents == 100 * cbs_population[(code, 2024)]
        assert b.shared_allocated_cents == shared_allocated[code]
        assert b.shared_spent_cents == shared_spent[code]
    assert benefits["GM0865"].direct_allocated_cents == 12_345_67 and benefits["GM0865"].direct_spent_cents == 2_500_00
    assert benefits["GM0797"].direct_allocated_cents == 5_000_00 and benefits["GM0797"].direct_spent_cents == 1_500_00
    assert sum(b.allocated_cents for b in s.benefits) == s.allocated_cents
    assert sum(b.spent_cents for b in s.benefits) == s.spent_cents
    assert sum(b.contributed_cents for b in s.benefits) == s.contributions_cents
    # The larger municipality gets the larger share of base-team-wide money.
    assert benefits["GM1948"].shared_allocated_cents > benefits["GM0865"].shared_allocated_cents
