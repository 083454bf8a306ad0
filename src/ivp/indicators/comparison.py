"""Comparison beyond the base team (ADR 0020): a municipality's (or the base team's) registered crime next to the
Netherlands as a whole and next to the Dutch municipalities of similar size, for the public pages and their CSV.

What is compared, and what is not:
- The area's own figure is the one the publication gate shows the public (`FigureGate.series`): its latest point
  covered by a published duiding, never a hidden one. Nothing of the comparison appears before that point does.
- The Netherlands: the police's national total (Politie 47013NED, region NL01) per 1,000 inhabitants on 1 January,
  the inhabitants being the sum of all municipalities in CBS 37230ned for that year (the snapshot has no national
  population row). National totals are national statistics, not a figure of the plan's areas: shown only beside the
  area's public figure of the same year.
- Municipalities of similar size: every Dutch municipality with 80-125 % of the area's inhabitants in that year,
  with a police count (47013NED) and a CBS population of the same code and year (47013NED uses the current
  municipal boundaries, 37230ned those of the year: codes that do not match are left out and counted).
- Urbanity (stedelijkheid) is in the snapshot for the five municipalities only (CBS 85984NED), so there is no
  comparison by urbanity; the page says so.

The statistics are those of the dashboard (ivp.stats): exact Poisson intervals for every rate, and a verdict against
the national or the peer-group rate from the funnel test with the between-municipality spread estimated from all
Dutch municipalities (`national_overdispersion`). No verdict when that spread cannot be estimated reliably.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from ivp.areas.models import Area, Population
from ivp.stats.funnel import flag
from ivp.stats.poisson import rate_interval

from .cache import CURRENT, memoised, token_or_current
from .dashboard import PER, national_overdispersion
from .definitions import INDICATORS
from .labels import FUNNEL_LABELS
from .models import Observation
from .publication import FigureGate
from .series import BASE_TEAM, indicator_series

NATIONAL_CODE = "NL01"
NATIONAL_TABLE = "47013NED"
POPULATION_TABLE = "37230ned"
COMPARISON_INDICATOR = "crime_total"
PEER_LOWER, PEER_UPPER = 0.8, 1.25  # municipalities with 80-125 % of the area's inhabitants
MIN_SHOWN_COUNT = 5  # as the publication gate: counts of 1-4 are never shown


@dataclass(frozen=True)
class RateRow:
    name: str
    code: str
    count: int | None
    population: int | None
    rate: float | None
    lower: float | None
    upper: float | None
    verdict: str = ""  # the funnel label against the reference rate; "" when there is none
    no_verdict_reason: str = ""


@dataclass
class Comparison:
    indicator: str
    area_code: str
    area_name: str
    year: int | None = None
    withheld_reason: str = ""  # nothing is shown: why
    own: RateRow | None = None
    national: RateRow | None = None
    national_reason: str = ""
    peer_pooled: RateRow | None = None
    peers: list[RateRow] = field(default_factory=list)
    peers_left_out: int = 0  # municipalities without a population of the same code and year
    peer_reason: str = ""
    urbanity_note: str = ""
    method: str = ""
    source: str = ""

    @property
    def shown(self) -> bool:
        return not self.withheld_reason and self.own is not None


def _counts_by_area(table: str, categories: tuple[str, ...], year: int, level: str) -> dict[int, int]:
    counts: dict[int, int | None] = {}
    for area_id, value in Observation.objects.filter(
            table=table, category__in=categories, area__level=level, year=year, month=0).values_list("area_id",
                                                                                                     "value"):
        known = counts.get(area_id, 0)
        counts[area_id] = None if value is None or known is None else known + value
    return {a: c for a, c in counts.items() if c is not None}


def _national_figures(categories: tuple[str, ...], year: int) -> dict:
    """{count, population} of the Netherlands in `year` (None where the snapshot has none)."""
    count = (Observation.objects.filter(table=NATIONAL_TABLE, category__in=categories, area__code=NATIONAL_CODE,
                                        year=year, month=0).aggregate(total=Sum("value"))["total"])
    population = (Population.objects.filter(year=year, source_table=POPULATION_TABLE, area__level="gemeente")
                  .aggregate(total=Sum("value"))["total"])
    return {"count": count, "population": population}


def _municipal_figures(categories: tuple[str, ...], year: int) -> dict:
    """Per municipality with a police count and a CBS population of the same code and year: (code, name, count,
    population); and how many with a count had no population."""
    counts = _counts_by_area(NATIONAL_TABLE, categories, year, "gemeente")
    populations = dict(Population.objects.filter(area_id__in=list(counts), year=year, source_table=POPULATION_TABLE)
                       .values_list("area_id", "value"))
    names = dict(Area.objects.filter(pk__in=list(counts)).values_list("pk", "code"))
    labels = dict(Area.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
    rows = [(names[a], labels[a], c, populations[a]) for a, c in counts.items() if populations.get(a)]
    return {"rows": sorted(rows), "left_out": len(counts) - len(rows)}


def _rate_row(name: str, code: str, count: int | None, population: int | None) -> RateRow:
    if count is None or not population:
        return RateRow(name, code, count, population, None, None, None)
    if count < MIN_SHOWN_COUNT:
        return RateRow(name, code, None, population, None, None, None)
    rate = rate_interval(count, population, PER)
    return RateRow(name, code, count, population, rate.rate, rate.lower, rate.upper)


def _verdict(count: int, population: int, target: float, dispersion) -> tuple[str, str]:
    if not dispersion.reliable:
        return "", _("No verdict: the usual spread between municipalities could not be estimated reliably.")
    result = flag(count, population, target, PER, overdispersion=dispersion)
    return str(FUNNEL_LABELS[str(result.code)]), ""


def public_comparison(area_code: str, *, gate: FigureGate | None = None, indicator_code: str = COMPARISON_INDICATOR,
                      token: str | None | object = CURRENT) -> Comparison:
    """The area's public figure beside the Netherlands and municipalities of similar size (module docstring)."""
    token = token_or_current(token)
    gate = gate or FigureGate.public(token=token)
    indicator = INDICATORS[indicator_code]
    result = Comparison(indicator=indicator_code, area_code=area_code, area_name=area_code,
                        urbanity_note=_("Urbanity (stedelijkheid) is only available for the five municipalities of "
                                        "the base team, so there is no comparison with municipalities of similar "
                                        "urbanity."))
    if area_code != BASE_TEAM and not Area.objects.filter(code=area_code).exists():
        result.withheld_reason = _("There are no figures for this area yet.")  # no open data imported
        return result
    series = indicator_series(indicator_code, area_code, token=token)
    result.area_name = area_name = series.area_name
    view = gate.series(series)
    if view.hidden_reason:
        result.withheld_reason = view.hidden_reason
        return result
    latest = next((p for p in reversed(view.points) if p.published), None)
    if latest is None or series.source is None:
        result.withheld_reason = _("There are no figures for this area yet.")
        return result
    if latest.hidden or latest.rate is None or latest.count is None or not latest.population:
        result.withheld_reason = _("The latest figure is hidden to protect small numbers, so there is no "
                                   "comparison.")
        return result
    year = latest.year
    result.year = year
    result.own = RateRow(str(area_name), area_code, latest.count, latest.population, latest.rate, latest.lower,
                         latest.upper)
    result.source = _("Police (data.politie.nl) and CBS (StatLine), %(year)d") % {"year": year}
    categories = next((s.categories for s in indicator.sources if s.table == NATIONAL_TABLE), None)
    if categories is None:
        result.national_reason = result.peer_reason = _("This figure has no national series per municipality.")
        return result
    national_source = next(s for s in indicator.sources if s.table == NATIONAL_TABLE)
    dispersion = national_overdispersion(national_source, year, token=token)
    result.method = _("Rates per 1,000 inhabitants on 1 January with their 95%% interval. The verdict compares the "
                      "count with what the reference rate would give for the same number of inhabitants, allowing "
                      "for the usual spread between Dutch municipalities (estimated from %(n)d municipalities).") % {
        "n": dispersion.n_areas}
    national = memoised("comparison-national", (tuple(categories), year),
                        lambda: _national_figures(tuple(categories), year), token=token)
    if national["count"] is None or not national["population"]:
        result.national_reason = _("The snapshot has no national figure for %(year)d.") % {"year": year}
    else:
        result.national = _rate_row(_("The Netherlands"), NATIONAL_CODE, national["count"], national["population"])
        verdict, reason = _verdict(latest.count, latest.population, result.national.rate or 0.0, dispersion)
        result.own = RateRow(**{**result.own.__dict__, "verdict": verdict, "no_verdict_reason": reason})
    if area_code == BASE_TEAM:
        result.peer_reason = _("The base team is compared with the Netherlands only: a group of five municipalities "
                               "has no counterpart among the municipalities.")
        return result
    municipal = memoised("comparison-municipal", (tuple(categories), year),
                         lambda: _municipal_figures(tuple(categories), year), token=token)
    own_population = latest.population
    peers = [(code, name, count, population) for code, name, count, population in municipal["rows"]
             if code != area_code and PEER_LOWER * own_population <= population <= PEER_UPPER * own_population]
    result.peers_left_out = municipal["left_out"]
    if not peers:
        result.peer_reason = _("The snapshot has no municipalities of similar size for %(year)d.") % {"year": year}
        return result
    result.peers = sorted((_rate_row(name, code, count, population) for code, name, count, population in peers),
                          key=lambda r: (r.population or 0, r.code))
    pooled = _rate_row(_("Municipalities of similar size together"), "", sum(p[2] for p in peers),
                       sum(p[3] for p in peers))
    result.peer_pooled = pooled
    if pooled.rate is not None:
        verdict, reason = _verdict(latest.count, latest.population, pooled.rate, dispersion)
        result.peer_pooled = RateRow(**{**pooled.__dict__, "verdict": verdict, "no_verdict_reason": reason})
    return result
