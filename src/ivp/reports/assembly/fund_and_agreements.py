"""The safety fund for the years of the period and the cooperation agreements concerning the area."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from ivp import notation
from ivp.budget.selectors import fund_access_for
from ivp.budget.summary import year_summary
from ivp.money import format_euro, format_number
from ivp.partners.selectors import agreements_concerning, agreements_for_user

from .. import content as c


def fund_section(user, municipality, years: list[int], *, as_of=None) -> c.FundSection:
    access = fund_access_for(user)
    if not access.read_totals:
        return c.FundSection(years=[], hidden_reason=_("Your role gives no access to the safety fund."))
    sections = []
    totals = Counter()
    for year in years:
        summary = year_summary(year, as_of=as_of).visible_to(access)
        own = next((b for b in summary.benefits if municipality is not None and b.municipality.pk == municipality.pk),
                   None)
        sections.append(c.FundYearSection(
            year=year, rate=format_euro(summary.rate_cents),
            contributions=format_euro(summary.contributions_cents), allocated=format_euro(summary.allocated_cents),
            committed=format_euro(summary.committed_cents), spent=format_euro(summary.spent_cents),
            outstanding=format_euro(summary.outstanding_cents), balance=format_euro(summary.balance_cents),
            is_negative=summary.is_negative,
            contribution_rows=[(x.municipality.name,
                                format_number(x.population) if x.population is not None else "-",
                                notation.date(x.population_date), format_euro(x.amount_cents))
                               for x in summary.contributions],
            benefit_rows=[(b.municipality.name, format_euro(b.contributed_cents), format_euro(b.allocated_cents),
                           format_euro(b.spent_cents)) for b in summary.benefits],
            allocation_rows=[(line.allocation.title,
                              line.allocation.beneficiary.name if line.allocation.beneficiary else _("whole base team"),
                              format_euro(line.allocation.amount_cents), format_euro(line.committed_cents),
                              format_euro(line.spent_cents)) for line in summary.allocations],
            warnings=list(summary.council_warnings),
            own_contribution=format_euro(own.contributed_cents) if own else "",
            own_benefit_allocated=format_euro(own.allocated_cents) if own else "",
            own_benefit_spent=format_euro(own.spent_cents) if own else ""))
        totals.update({"contributions": summary.contributions_cents, "allocated": summary.allocated_cents,
                       "committed": summary.committed_cents, "spent": summary.spent_cents,
                       "balance": summary.balance_cents})
    hidden = "" if access.read_fund else _("Your role shows the fund totals and your own municipality's "
                                            "contribution only.")
    return c.FundSection(years=sections, hidden_reason=hidden,
                         totals={k: format_euro(v) for k, v in totals.items()} if len(years) > 1 else {})


def agreement_rows(user, municipality, team_name: str) -> list[c.AgreementRow]:
    qs = agreements_for_user(user)
    if municipality is not None:
        qs = agreements_concerning(qs, municipality)
    rows = []
    for a in qs.order_by("review_date", "title"):
        rows.append(c.AgreementRow(
            title=a.title, kind=str(a.get_kind_display()),
            owner_area=a.municipality.name if a.municipality else team_name,
            parties=[p.name for p in a.parties.all()], status=str(a.get_status_display()),
            start_date=notation.date(a.start_date), review_date=notation.date(a.review_date) or notation.DASH,
            overdue=a.is_overdue))
    return sorted(rows, key=lambda r: (not r.overdue, r.title))

