"""What the API reads, for one viewer: the domain selectors and the one publication gate, nothing else.

A request without a token is the public audience (anonymous); a token request reads with its owner's rights, the
same `for_user()` rules and the same `FigureGate` as the pages. Unknown or invisible objects raise Http404
(answered as problem+json)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from ivp.areas.models import Area
from ivp.budget.selectors import MAX_YEAR, MIN_YEAR, PUBLIC_FUND, FundAccess, fund_access_for, fund_years
from ivp.budget.summary import YearSummary, year_summary
from ivp.core.models import Organisation
from ivp.core.selectors import municipalities_for_user
from ivp.execution.selectors import PublicActivity, public_activities
from ivp.indicators.cache import figures_token
from ivp.indicators.dashboard import interpretations_for, note_for
from ivp.indicators.definitions import INDICATORS, Indicator
from ivp.indicators.models import Interpretation
from ivp.indicators.publication import FigureGate, SeriesView
from ivp.indicators.series import BASE_TEAM, indicator_series
from ivp.indicators.services.interpretations import municipality_of
from ivp.plans.models import Adoption, FocusLens, GeneralGoal, Plan, Theme
from ivp.plans.selectors import adoptions_for_user, current_plan
from ivp.reports.models import CouncilReport, CouncilReportFile
from ivp.reports.selectors import council_reports_for_user, presented_council_reports

# --- the plan -----------------------------------------------------------------------------------------------------


def plan_for(user) -> Plan:
    plan = current_plan(user)
    if plan is None:
        raise Http404
    return plan


def adoptions_of(user, plan: Plan) -> QuerySet[Adoption]:
    return adoptions_for_user(user, plan)


def themes_of(user) -> QuerySet[Theme]:
    return (Theme.objects.filter(plan=plan_for(user)).select_related("parent")
            .prefetch_related("statements", "sub_themes").order_by("order"))


def theme(user, code: str) -> Theme:
    found = themes_of(user).filter(code=code).first()
    if found is None:
        raise Http404
    return found


def goals_of(user) -> QuerySet[GeneralGoal]:
    return GeneralGoal.objects.filter(plan=plan_for(user)).order_by("number")


def goal(user, code: str) -> GeneralGoal:
    found = goals_of(user).filter(code=code).first()
    if found is None:
        raise Http404
    return found


def lenses_of(user) -> QuerySet[FocusLens]:
    return FocusLens.objects.filter(plan=plan_for(user)).order_by("number")


def lens(user, code: str) -> FocusLens:
    found = lenses_of(user).filter(code=code).first()
    if found is None:
        raise Http404
    return found


# --- municipalities and areas -------------------------------------------------------------------------------------


def municipalities_of(user) -> QuerySet[Organisation]:
    """The municipalities whose pages this viewer may open (municipal users: their own), by CBS code."""
    return municipalities_for_user(user).order_by("cbs_code")


def municipality(user, cbs_code: str) -> Organisation:
    found = municipalities_of(user).filter(cbs_code=cbs_code.upper()).first()
    if found is None:
        raise Http404
    return found


def areas(*, level: str = "", parent: str = "") -> QuerySet[Area]:
    """The area register (CBS, public statistics: not municipality-owned). No boundaries (large)."""
    qs = Area.objects.defer("geometry").select_related("parent").order_by("code")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent.upper())
    return qs


def area(code: str) -> Area:
    found = Area.objects.defer("geometry").select_related("parent").filter(code=code.upper()).first()
    if found is None:
        raise Http404
    return found


# --- indicators and series ----------------------------------------------------------------------------------------


def indicator(code: str) -> Indicator:
    if code not in INDICATORS:
        raise Http404
    return INDICATORS[code]


def figure_area_code(user, area_code: str) -> str:
    """The area of a series, checked as the indicator pages check it: the base team, or an area of a municipality
    this viewer may open (a municipal user gets 404 for another municipality's areas)."""
    if area_code.lower() == BASE_TEAM:
        return BASE_TEAM
    found = area(area_code)
    owner = municipality_of(found)
    if owner is None or not municipalities_for_user(user).filter(pk=owner.pk).exists():
        raise Http404
    return found.code


@dataclass
class PublishedSeries:
    view: SeriesView
    audience: str
    interpretation: Interpretation | None


def series_for(user, area_code: str, indicator_code: str) -> PublishedSeries:
    """One series as this viewer may see it, through the publication gate (ADR 0011)."""
    ind = indicator(indicator_code)
    code = figure_area_code(user, area_code)
    token = figures_token()
    gate = FigureGate(user, token=token)
    view = gate.series(indicator_series(ind.code, code, token=token))
    latest = view.latest
    note = None if view.hidden_reason else note_for(interpretations_for(gate, code), ind.code,
                                                     latest.year if latest else None)
    return PublishedSeries(view=view, audience=gate.audience, interpretation=note)


# --- the fund -----------------------------------------------------------------------------------------------------

# What the public sees of the fund: the year's totals, and per municipality its contribution (CBS population x
# rate, public figures) and what it benefited; not the individual allocations, commitments and expenditures.


def fund_access(user) -> FundAccess:
    """The viewer's fund rights, never less than the public's."""
    own = fund_access_for(user)
    if not own.read_totals:
        return PUBLIC_FUND
    return FundAccess(read_totals=True, read_fund=own.read_fund, read_all_contributions=True, edit=False,
                      own_municipality_ids=own.own_municipality_ids)


def fund_years_of(user) -> list[int]:
    return fund_years(user)


def fund_summary(user, year: int) -> YearSummary:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return year_summary(year).visible_to(fund_access(user))


# --- council reports ----------------------------------------------------------------------------------------------


def council_reports(user) -> QuerySet[CouncilReport]:
    """Reports presented to the council are public; a token sees besides those what its owner sees on the report
    pages (drafts and adopted versions of their own municipality)."""
    visible = Q(pk__in=presented_council_reports().values("pk"))  # the public rule of the report pages (ADR 0020)
    if user is not None and user.is_authenticated:
        visible |= Q(pk__in=council_reports_for_user(user).values("pk"))
    return (CouncilReport.objects.filter(visible).select_related("municipality").prefetch_related("files")
            .order_by("area_code", "kind", "-period", "-number"))


def council_report(user, pk: int) -> CouncilReport:
    found = council_reports(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def council_report_file(user, pk: int, variant: str, fmt: str) -> CouncilReportFile:
    report = council_report(user, pk)
    found = CouncilReportFile.objects.filter(report=report, variant=variant, fmt=fmt).first()
    if found is None:
        raise Http404
    return found


# --- published activities ----------------------------------------------------------------------------------------


def activities(*, municipality: str = "", as_of: dt.date | None = None) -> list[PublicActivity]:
    """The activities marked public (the same list as the public pages, for every viewer: a token's owner reads the
    internal execution plans on the pages)."""
    return public_activities(municipality=municipality or None, as_of=as_of)


def activity(pk: int, *, as_of: dt.date | None = None) -> PublicActivity:
    found = next((a for a in public_activities(as_of=as_of) if a.id == pk), None)
    if found is None:
        raise Http404
    return found
