"""The year summary of the fund: contributions from the CBS population, allocations, commitments,
expenditures, the balance, and what each municipality contributed and benefited.

Rules (also explained on the fund page):
- contribution = rate (cents per inhabitant) x inhabitants on 1 January of the year (CBS 37230ned);
  when that year is not available, the most recent earlier year is used, and the summary says which.
  Without any population figure the municipality contributes nothing and a warning says so: a
  population is never invented;
- balance = contributions - expenditures (commitments are shown beside it, not subtracted);
- open commitments = per allocation what was committed but not yet spent (never below zero);
- benefit: an allocation naming a municipality benefits that municipality; a base-team-wide
  allocation is split over the municipalities in proportion to their contributions (largest
  remainder, so the parts add up to the cent).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Sum
from django.utils.translation import gettext as _

from ivp.areas.models import Area, Population
from ivp.core.models import Organisation
from ivp.core.roles import OrganisationKind
from ivp.money import format_euro, format_number, split_pro_rata

from .models import DEFAULT_RATE_CENTS, Allocation, Commitment, Expenditure, FundYear
from .selectors import FundAccess

POPULATION_TABLE = "37230ned"


@dataclass(frozen=True)
class Contribution:
    year: int
    municipality: Organisation
    population: int | None
    population_year: int | None
    rate_cents: int

    @property
    def cbs_code(self) -> str:
        return self.municipality.cbs_code

    @property
    def amount_cents(self) -> int:
        return 0 if self.population is None else self.rate_cents * self.population

    @property
    def population_date(self) -> dt.date | None:
        return None if self.population_year is None else dt.date(self.population_year, 1, 1)

    @property
    def is_fallback(self) -> bool:
        return self.population_year is not None and self.population_year != self.year

    @property
    def warning(self) -> str:
        if self.population is None:
            return _("No CBS population figure (table %(table)s) of %(name)s on or before 1 January %(year)s: "
                     "no contribution is counted for %(name)s. Import the open data to correct this.") % {
                "table": POPULATION_TABLE, "name": self.municipality.name, "year": self.year}
        if self.is_fallback:
            return _("The CBS population of 1 January %(year)s of %(name)s is not available yet; the population of "
                     "1 January %(used)s (%(population)s inhabitants) is used.") % {
                "year": self.year, "name": self.municipality.name, "used": self.population_year,
                "population": format_number(self.population)}
        return ""

    @property
    def council_warning(self) -> str:
        """The warning in council language (a report): no table ids or import instructions."""
        if self.population is None:
            return _("No CBS population figure of %(name)s on or before 1 January %(year)s is available, so no "
                     "contribution is counted for %(name)s.") % {"name": self.municipality.name, "year": self.year}
        return self.warning


@dataclass(frozen=True)
class AllocationLine:
    allocation: Allocation
    committed_cents: int
    spent_cents: int

    @property
    def outstanding_cents(self) -> int:
        return max(self.committed_cents - self.spent_cents, 0)

    @property
    def remaining_cents(self) -> int:
        return self.allocation.amount_cents - self.spent_cents

    @property
    def overrun(self) -> bool:
        return max(self.committed_cents, self.spent_cents) > self.allocation.amount_cents


@dataclass(frozen=True)
class Benefit:
    municipality: Organisation
    contributed_cents: int
    direct_allocated_cents: int
    shared_allocated_cents: int
    direct_spent_cents: int
    shared_spent_cents: int

    @property
    def allocated_cents(self) -> int:
        return self.direct_allocated_cents + self.shared_allocated_cents

    @property
    def spent_cents(self) -> int:
        return self.direct_spent_cents + self.shared_spent_cents

    @property
    def net_cents(self) -> int:
        """Benefit (spent) minus contribution: positive = received more than paid in."""
        return self.spent_cents - self.contributed_cents


@dataclass(frozen=True)
class YearSummary:
    year: int
    settings: FundYear
    contributions: list[Contribution]
    allocations: list[AllocationLine]
    commitments: list[Commitment]
    expenditures: list[Expenditure]
    benefits: list[Benefit]
    # Totals of the whole fund; they stay complete when a viewer sees only some rows.
    population_total: int
    contributions_cents: int
    allocated_cents: int
    committed_cents: int
    spent_cents: int
    outstanding_cents: int
    shared_allocated_cents: int
    shared_spent_cents: int
    unattributed_allocated_cents: int = 0
    unattributed_spent_cents: int = 0
    partial: bool = False  # rows of other municipalities are hidden from this viewer
    details_hidden: bool = False  # allocations, commitments and expenditures are hidden from this viewer
    fund_warnings: list[str] = field(default_factory=list)

    @property
    def rate_cents(self) -> int:
        return self.settings.rate_cents

    @property
    def balance_cents(self) -> int:
        return self.contributions_cents - self.spent_cents

    @property
    def balance_after_commitments_cents(self) -> int:
        return self.balance_cents - self.outstanding_cents

    @property
    def unallocated_cents(self) -> int:
        return self.contributions_cents - self.allocated_cents

    @property
    def over_allocated_cents(self) -> int:
        """How much more is allocated than the contributions of the year (0 when it fits)."""
        return max(0, self.allocated_cents - self.contributions_cents)

    @property
    def is_negative(self) -> bool:
        return self.balance_cents < 0

    @property
    def negative_approved(self) -> bool:
        return self.settings.negative_balance_approved

    @property
    def warnings(self) -> list[str]:
        """Everything to say about this year: fallback populations, missing ones and fund problems."""
        return [c.warning for c in self.contributions if c.warning] + self.fund_warnings

    @property
    def council_warnings(self) -> list[str]:
        """`warnings` as a council report says them (ivp.reports)."""
        return [c.council_warning for c in self.contributions if c.warning] + self.fund_warnings

    @property
    def fallback_notes(self) -> list[str]:
        return [c.warning for c in self.contributions if c.is_fallback]

    @property
    def problems(self) -> list[str]:
        """Warnings that need action: a missing population, an unapproved negative balance, an overrun."""
        return [c.warning for c in self.contributions if c.population is None] + self.fund_warnings

    def visible_to(self, access: FundAccess) -> YearSummary:
        """The same summary with only the rows this viewer may see; totals stay those of the whole fund."""
        contributions = [c for c in self.contributions if access.can_see_municipality(c.municipality.pk)]
        benefits = [b for b in self.benefits if access.can_see_municipality(b.municipality.pk)]
        hidden = not access.read_fund
        return replace(
            self, contributions=contributions, benefits=benefits,
            allocations=[] if hidden else self.allocations, commitments=[] if hidden else self.commitments,
            expenditures=[] if hidden else self.expenditures,
            fund_warnings=[] if hidden else self.fund_warnings,
            partial=len(contributions) < len(self.contributions), details_hidden=hidden,
        )


def municipalities():
    return Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("name")


def contributions_for(year: int, settings: FundYear | None = None) -> list[Contribution]:
    settings = settings or FundYear.objects.filter(year=year).first() or FundYear(year=year)
    orgs = list(municipalities())
    # The municipality's area: linked by the import (Area.organisation), else the same CBS code.
    areas = {a.organisation_id: a for a in Area.objects.filter(organisation__in=orgs)}
    by_code = {a.code: a for a in Area.objects.filter(code__in=[o.cbs_code for o in orgs], level="gemeente")}
    area_of = {o.pk: areas.get(o.pk) or by_code.get(o.cbs_code) for o in orgs}
    latest: dict[int, Population] = {}
    populations = Population.objects.filter(
        area_id__in=[a.pk for a in area_of.values() if a is not None], source_table=POPULATION_TABLE, year__lte=year,
    ).order_by("area_id", "-year")
    for population in populations:
        latest.setdefault(population.area_id, population)
    result = []
    for org in orgs:
        area = area_of[org.pk]
        population = latest.get(area.pk) if area is not None else None
        result.append(Contribution(
            year=year, municipality=org, population=population.value if population else None,
            population_year=population.year if population else None, rate_cents=settings.rate_cents,
        ))
    return result


def _entries(model, year: int, as_of: dt.date | None):
    rows = model.objects.filter(allocation__year=year)
    return rows if as_of is None else rows.filter(date__lte=as_of)


def _sums(model, year: int, as_of: dt.date | None = None) -> dict[int, int]:
    rows = _entries(model, year, as_of).values("allocation_id").annotate(total=Sum("amount_cents"))
    return {row["allocation_id"]: row["total"] or 0 for row in rows}


def year_summary(year: int, *, as_of: dt.date | None = None) -> YearSummary:
    """The year's summary; with `as_of` (a report's peildatum) only the commitments and expenditures dated on or
    before that day count."""
    settings = FundYear.objects.filter(year=year).first() or FundYear(year=year, rate_cents=DEFAULT_RATE_CENTS)
    contributions = contributions_for(year, settings)
    allocations = list(Allocation.objects.filter(year=year).select_related("beneficiary"))
    committed, spent = _sums(Commitment, year, as_of), _sums(Expenditure, year, as_of)
    lines = [AllocationLine(a, committed.get(a.pk, 0), spent.get(a.pk, 0)) for a in allocations]

    weights = {c.cbs_code: c.amount_cents for c in contributions}
    direct_allocated, direct_spent = defaultdict(int), defaultdict(int)
    shared_allocated = shared_spent = 0
    for line in lines:
        beneficiary = line.allocation.beneficiary
        if beneficiary is None:
            shared_allocated += line.allocation.amount_cents
            shared_spent += line.spent_cents
        else:
            direct_allocated[beneficiary.cbs_code] += line.allocation.amount_cents
            direct_spent[beneficiary.cbs_code] += line.spent_cents
    allocated_split = split_pro_rata(shared_allocated, weights)
    spent_split = split_pro_rata(shared_spent, weights)
    benefits = [Benefit(
        municipality=c.municipality, contributed_cents=c.amount_cents,
        direct_allocated_cents=direct_allocated[c.cbs_code], shared_allocated_cents=allocated_split[c.cbs_code],
        direct_spent_cents=direct_spent[c.cbs_code], shared_spent_cents=spent_split[c.cbs_code],
    ) for c in contributions]

    commitments = list(_entries(Commitment, year, as_of).select_related("allocation"))
    expenditures = list(_entries(Expenditure, year, as_of).select_related("allocation"))
    summary = YearSummary(
        year=year, settings=settings, contributions=contributions, allocations=lines, commitments=commitments,
        expenditures=expenditures, benefits=benefits,
        population_total=sum(c.population or 0 for c in contributions),
        contributions_cents=sum(c.amount_cents for c in contributions),
        allocated_cents=sum(a.amount_cents for a in allocations),
        committed_cents=sum(line.committed_cents for line in lines),
        spent_cents=sum(line.spent_cents for line in lines),
        outstanding_cents=sum(line.outstanding_cents for line in lines),
        shared_allocated_cents=shared_allocated, shared_spent_cents=shared_spent,
        unattributed_allocated_cents=shared_allocated - sum(allocated_split.values()),
        unattributed_spent_cents=shared_spent - sum(spent_split.values()),
    )
    summary.fund_warnings.extend(_fund_warnings(summary))
    return summary


def _fund_warnings(summary: YearSummary) -> list[str]:
    warnings = []
    if summary.is_negative and not summary.negative_approved:
        warnings.append(_("The balance of %(year)s is below zero (%(balance)s) without an approval of the "
                          "coordinator.") % {"year": summary.year, "balance": format_euro(summary.balance_cents)})
    if summary.over_allocated_cents:
        warnings.append(_("In %(year)s, %(excess)s more is allocated than the contributions of that year "
                          "(%(contributions)s).") % {"year": summary.year,
                                                     "excess": format_euro(summary.over_allocated_cents),
                                                     "contributions": format_euro(summary.contributions_cents)})
    for line in summary.allocations:
        if line.overrun:
            warnings.append(_("More was committed or spent on \"%(title)s\" than was allocated (%(amount)s).")
                            % {"title": line.allocation.title, "amount": format_euro(line.allocation.amount_cents)})
    if summary.unattributed_allocated_cents or summary.unattributed_spent_cents:
        warnings.append(_("No municipality has a contribution in %(year)s, so base-team-wide allocations cannot be "
                          "split over the municipalities.") % {"year": summary.year})
    return warnings


def balance_cents(year: int) -> int:
    """Contributions minus expenditures of a year (what the negative-balance rule checks)."""
    contributions = sum(c.amount_cents for c in contributions_for(year))
    spent = Expenditure.objects.filter(allocation__year=year).aggregate(total=Sum("amount_cents"))["total"] or 0
    return contributions - spent
