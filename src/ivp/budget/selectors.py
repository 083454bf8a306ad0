"""Who may read what of the fund, and reads scoped to the user.

- coordinator (and superusers): everything, and edits;
- police and OM: everything, read-only;
- advisor: the fund (allocations, commitments, expenditures, totals) and their own municipality's
  contribution (not the other municipalities');
- councillor: the fund totals and their own municipality's contribution;
- partner and anonymous: nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ivp.core.access import access_for
from ivp.core.roles import Capability
from ivp.plans.selectors import current_plan

from .models import Allocation, FundYear

MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class FundAccess:
    read_totals: bool = False
    read_fund: bool = False
    read_all_contributions: bool = False
    edit: bool = False
    own_municipality_ids: frozenset[int] = frozenset()

    def can_see_municipality(self, municipality_id: int | None) -> bool:
        return self.read_all_contributions or municipality_id in self.own_municipality_ids


# What everyone may see of the fund (public pages and the open API, ADR 0020): totals and each municipality's
# contribution and spending, not the single allocations, commitments and payments (they can name people).
PUBLIC_FUND = FundAccess(read_totals=True, read_fund=False, read_all_contributions=True)


def fund_access_for(user) -> FundAccess:
    access = access_for(user)
    if access.read_all:
        return FundAccess(read_totals=True, read_fund=True, read_all_contributions=True, edit=access.edit_all,
                          own_municipality_ids=access.readable_municipality_ids)
    return FundAccess(
        read_totals=bool(access.readable_municipality_ids),
        read_fund=access.can_somewhere(Capability.READ_FUND),
        own_municipality_ids=access.readable_municipality_ids,
    )


def require_read_totals(user) -> FundAccess:
    fund = fund_access_for(user)
    if not fund.read_totals:
        raise PermissionDenied(_("Your role gives no access to the safety fund."))
    return fund


def require_read_fund(user) -> FundAccess:
    fund = require_read_totals(user)
    if not fund.read_fund:
        raise PermissionDenied(_("Your role shows the fund totals and your own municipality's contribution only."))
    return fund


def require_edit_fund(user) -> None:
    if not fund_access_for(user).edit:
        raise PermissionDenied(_("Only the coordinator of the base team may change the safety fund."))


def fund_year(year: int) -> FundYear:
    """The settings of a year (unsaved defaults when the coordinator never set anything)."""
    return FundYear.objects.filter(year=year).first() or FundYear(year=year)


def fund_years(user) -> list[int]:
    """Years to list: the plan period, this year, and every year with settings or allocations; newest first."""
    years = {dt.date.today().year}
    plan = current_plan(user)
    if plan is not None:
        years.update(range(plan.period_start, plan.period_end + 1))
    years.update(FundYear.objects.values_list("year", flat=True))
    years.update(Allocation.objects.values_list("year", flat=True))
    return sorted((y for y in years if MIN_YEAR <= y <= MAX_YEAR), reverse=True)
