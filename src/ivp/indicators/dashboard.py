"""What the dashboards show, assembled for one viewer: indicator cards per general goal and theme,
neighbourhood tables with funnel flags, maps and the comparison of the municipalities.

Reads only. Interpretations go through for_user(); figures are public statistics, but on public
pages (anonymous visitors) a figure appears only with a published interpretation, and small counts
are suppressed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils.translation import gettext as _

from ivp.areas.models import Area, Population
from ivp.core.access import access_for
from ivp.stats.breaks import municipality_code
from ivp.stats.funnel import flag as funnel_flag
from ivp.stats.funnel import funnel_limits
from ivp.stats.poisson import rate_interval
from ivp.stats.suppression import display_count, is_suppressed, needs_fallback

from . import charts
from .cache import CURRENT, figures_token, memoised, token_or_current
from .definitions import INDICATORS, Indicator
from .labels import FUNNEL_LABELS, verdict_label
from .models import Interpretation, Observation, StructuralBreak
from .series import BASE_TEAM, Series, base_team_areas, indicator_series


@dataclass
class Card:
    indicator: Indicator
    series: Series
    interpretation: Interpretation | None
    public: bool
    chart: Callable[[], str] | None = field(default=None, repr=False)  # renders chart_svg when first asked
    hidden_reason: str = ""
    too_small: bool = False  # counts too small to judge a change: look at the base team instead
    token: str | None = None  # the figures' state the card was computed from (ivp.indicators.cache)

    @property
    def latest(self):
        return self.series.latest

    @cached_property
    def rows(self) -> list[dict]:
        """The table beside the chart (formatted), made on first use like the chart; none for a hidden figure."""
        if self.hidden_reason:
            return []
        public = self.public
        return [{
            "period": p.period,
            "count": _count_text(p.count, public),
            "population": f"{p.population:,}".replace(",", ".") if p.population else "-",
            "rate": "-" if p.rate is None or (public and is_suppressed(p.count or 0)) else _fmt(p.rate),
            "interval": "-" if p.rate is None or (public and is_suppressed(p.count or 0))
            else f"{_fmt(p.lower)} - {_fmt(p.upper)}",
            "verdict": verdict_label(p.verdict),
            "note": p.note,
        } for p in self.series.points]

    @cached_property
    def chart_svg(self) -> str:
        """The chart as inline SVG, rendered on first use: a dashboard whose card HTML is cached never needs it."""
        return self.chart() if self.chart else ""

    @property
    def fragment_key(self) -> tuple:
        """What a rendering of this card depends on besides the figures (`token`) and the language: the area,
        the indicator, the public or signed-in view and the interpretation shown (every edit changes
        updated_at)."""
        note = self.interpretation
        shown = "-" if note is None else f"{note.pk}.{note.version}.{note.updated_at.isoformat()}"
        return (self.series.area_code, self.indicator.code, int(self.public), shown)

    @property
    def latest_verdict(self) -> str:
        latest = self.latest
        return verdict_label(latest.verdict) if latest else ""


def _fmt(value, digits=1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _count_text(count, public: bool) -> str:
    if count is None:
        return "-"
    return display_count(count) if public else f"{count:,}".replace(",", ".")


def interpretation_for(user, indicator: str, area_code: str, period: str) -> Interpretation | None:
    qs = Interpretation.objects.for_user(user).filter(indicator=indicator, period=period)
    qs = qs.filter(area__isnull=True) if area_code == BASE_TEAM else qs.filter(area__code=area_code)
    return qs.select_related("author", "cosigned_by").first()


def card_for(user, indicator: Indicator, area_code: str, *, with_chart: bool = True,
             token: str | None | object = CURRENT, notes: dict | None = None) -> Card:
    """The card of one indicator for this viewer. `token` (the figures' state, read once by a caller that
    builds many cards) and `notes` ({(indicator, period): interpretation}, fetched in one query) save queries."""
    public = not access_for(user).authenticated
    token = token_or_current(token)
    series = indicator_series(indicator.code, area_code, token=token)
    latest = series.latest
    if latest is None:
        note = None
    elif notes is not None:
        note = notes.get((indicator.code, latest.period))
    else:
        note = interpretation_for(user, indicator.code, area_code, latest.period)
    card = Card(indicator, series, note, public, token=token)
    if public and series.has_data and (note is None or not note.published):
        card.hidden_reason = _("This figure is shown publicly once an interpretation (duiding) is published.")
        return card
    suppressed = public and latest is not None and latest.count is not None and is_suppressed(latest.count)
    counts = [p.count for p in series.points if p.count is not None]
    # The series mean stands in for the expected count, so one lucky year does not decide it.
    card.too_small = area_code != BASE_TEAM and bool(counts) and needs_fallback(sum(counts) / len(counts))
    if with_chart and series.has_data and not suppressed:
        card.chart = lambda: _chart_svg(indicator, series, area_code, token)
    return card


def _chart_svg(indicator: Indicator, series: Series, area_code: str, token: str | None) -> str:
    use_rate = any(p.rate is not None for p in series.points)
    rows = [{"period": p.period,
             "value": p.rate if use_rate else p.count,
             "lower": p.lower if use_rate else p.count_lower,
             "upper": p.upper if use_rate else p.count_upper} for p in series.points
            if (p.rate if use_rate else p.count) is not None]
    years = [p.year for p in series.points]
    breaks = memoised("breaks", (area_code, min(years), max(years)),
                      lambda: _break_periods(area_code, years), token=token) if years else []
    spec = charts.series_spec(rows, y_title=_("per 1,000 inhabitants") if use_rate else _("count"),
                              x_title=_("year"), breaks=breaks)
    return charts.render_svg(
        spec, title=f"{indicator.name}: {series.area_name}",
        description=_("%(what)s per year with the 95%% interval as a band; the numbers are in the table "
                      "beside the chart.") % {"what": _("Rate") if use_rate else _("Number")},
        element_id=f"chart-{indicator.code}")


def _break_periods(area_code: str, years: list[int]) -> list[dict]:
    if not years:
        return []
    lo, hi = min(years), max(years)
    qs = StructuralBreak.objects.filter(start__year__gt=lo, start__year__lte=hi)
    if area_code == BASE_TEAM:
        scope = Q(area__isnull=True) | Q(area__organisation__isnull=False)
    else:
        scope = Q(area__isnull=True) | Q(area__code=area_code) | Q(area__code=municipality_code(area_code))
    qs = qs.filter(scope)
    return [{"period": str(b.start.year), "label": b.description} for b in qs]


def notes_key(user, area_code: str) -> tuple:
    """The interpretations this viewer may read for the area, as a cache key part: one cheap query without model
    instances. (pk, version) identifies what a card shows: interpretation_save raises the version with every change
    of text or publication; a co-signature (which changes neither) is not shown on the cards."""
    return tuple(_interpretations_qs(user, area_code).order_by("pk").values_list("pk", "version"))


def _interpretations_qs(user, area_code: str):
    qs = Interpretation.objects.for_user(user)
    return qs.filter(area__isnull=True) if area_code == BASE_TEAM else qs.filter(area__code=area_code)


def interpretations_for(user, area_code: str) -> dict[tuple[str, str], Interpretation]:
    """The interpretations this viewer may read for the area, by (indicator, period), in one query."""
    notes: dict[tuple[str, str], Interpretation] = {}
    for item in _interpretations_qs(user, area_code).select_related("author", "cosigned_by"):
        notes.setdefault((item.indicator, item.period), item)  # the first, as interpretation_for() picks it
    return notes


def goal_sections(user, plan, area_code: str, *, token: str | None | object = CURRENT,
                  notes: dict | None = None) -> list[dict]:
    """Per general goal of the plan: its indicator cards (an indicator may serve several goals)."""
    token = token_or_current(token)
    if notes is None:
        notes = interpretations_for(user, area_code)
    cards = {code: card_for(user, ind, area_code, token=token, notes=notes) for code, ind in INDICATORS.items()}
    sections = []
    for goal in plan.general_goals.all():
        members = [cards[c] for c, ind in INDICATORS.items() if goal.code in ind.goals]
        sections.append({
            "goal": goal,
            "with_data": [c for c in members if c.series.has_data],
            "without_data": [c for c in members if not c.series.has_data],
        })
    return sections


def theme_index(plan) -> list[dict]:
    """Per top-level theme: the indicators that measure it."""
    result = []
    for theme in plan.themes.filter(parent__isnull=True).order_by("order"):
        codes = [c for c, ind in INDICATORS.items() if theme.code in ind.themes]
        result.append({"theme": theme, "indicators": [INDICATORS[c] for c in codes]})
    return result


def neighbourhood_table(user, municipality_area: Area, *, indicator_code: str = "crime_total",
                        token: str | None | object = CURRENT) -> dict:
    """Rates per buurt for the latest year with populations, flagged against the base team's rate."""
    public = not access_for(user).authenticated
    token = token_or_current(token)
    key = (municipality_area.code, indicator_code, int(public))
    table = memoised("buurten", key, lambda: _neighbourhood_table(public, municipality_area, indicator_code),
                     token=token)
    # What a rendering of the table depends on besides the language (web/templatetags/figures.py).
    return {**table, "token": token, "fragment_key": key}


def _neighbourhood_table(public: bool, municipality_area: Area, indicator_code: str) -> dict:
    buurten = list(Area.objects.filter(level="buurt", parent__parent=municipality_area).order_by("code"))
    team_buurten = Area.objects.filter(level="buurt", parent__parent__in=base_team_areas())
    source = next(iter(INDICATORS[indicator_code].sources_for("buurt")), None)
    if source is None or not buurten:
        return {"rows": [], "year": None, "reason": _("No figures per neighbourhood are available.")}
    pops = Population.objects.filter(area__in=team_buurten, source_table="85984NED")
    if not pops.exists():
        return {"rows": [], "year": None, "reason": _("No population per neighbourhood is available.")}
    year = pops.order_by("-year").first().year
    pop = {p.area_id: p.value for p in pops.filter(year=year)}
    counts = {o.area_id: o.value for o in Observation.objects.filter(
        table=source.table, category__in=source.categories, area__in=team_buurten, year=year, month=0)}
    team_count = sum(v for a, v in counts.items() if v is not None and pop.get(a))
    team_pop = sum(p for a, p in pop.items() if counts.get(a) is not None)
    if not team_pop:
        return {"rows": [], "year": year, "reason": _("No figures per neighbourhood for %(year)d.") % {"year": year}}
    target = 1000 * team_count / team_pop
    rows, features, points = [], [], []
    for buurt in buurten:
        count, population = counts.get(buurt.pk), pop.get(buurt.pk)
        row = {"code": buurt.code, "name": buurt.name, "count": _count_text(count, public),
               "population": f"{population:,}".replace(",", ".") if population else "-",
               "rate": "-", "interval": "-", "flag": "", "flag_code": "", "note": ""}
        value = None
        if count is None:
            row["note"] = _("no figure")
        elif not population:
            row["note"] = _("no population (e.g. a business park): no rate")
        elif public and is_suppressed(count):
            row["note"] = _("small number, not shown")
        else:
            rate = rate_interval(count, population)
            result = funnel_flag(count, population, target)
            value = rate.rate
            row.update(rate=_fmt(rate.rate), interval=f"{_fmt(rate.lower)} - {_fmt(rate.upper)}",
                       flag=str(FUNNEL_LABELS[str(result.code)]), flag_code=str(result.code))
            points.append({"name": buurt.name if str(result.code) != "within" else "",
                           "population": population, "rate": rate.rate,
                           "flag": str(FUNNEL_LABELS[str(result.code)])})
        rows.append(row)
        if buurt.geometry:
            features.append({"type": "Feature", "geometry": buurt.geometry,
                             "properties": {"name": buurt.name, "value": value}})
    map_svg = ""
    if features:
        map_svg = charts.render_svg(
            charts.choropleth_spec(features, legend_title=_("per 1,000")),
            title=_("Map: registered crime per 1,000 inhabitants per neighbourhood, %(year)d") % {"year": year},
            description=_("Neighbourhoods coloured by rate; grey means no rate. The table lists every "
                          "neighbourhood with its numbers."), element_id="map-buurten")
    funnel_svg = ""
    if points:
        max_pop = max(p["population"] for p in points)
        limits = [{"population": lp.population, "lower95": lp.lower_95, "upper95": lp.upper_95,
                   "lower998": lp.lower_998, "upper998": lp.upper_998}
                  for lp in funnel_limits(target, [max(50, max_pop * i / 60) for i in range(1, 61)])]
        funnel_svg = charts.render_svg(
            charts.funnel_spec(points, limits, target=target, y_title=_("per 1,000"), x_title=_("inhabitants")),
            title=_("Funnel plot of the neighbourhoods, %(year)d") % {"year": year},
            description=_("Each point is a neighbourhood; lines are the 95%% (dashed) and 99.8%% (solid) limits "
                          "around the base-team rate. Points outside stand out more than chance explains."),
            element_id="funnel-buurten")
    return {"rows": rows, "year": year, "target": _fmt(target), "map_svg": map_svg, "funnel_svg": funnel_svg,
            "reason": "", "source": source.table}


def municipality_comparison(user, *, indicator_code: str = "crime_total") -> dict:
    """The municipalities of the base team in a funnel plot around the base-team rate (latest year); it does
    not depend on the viewer."""
    token = figures_token()
    return memoised("comparison", (indicator_code,), lambda: _municipality_comparison(indicator_code, token),
                    token=token)


def _municipality_comparison(indicator_code: str, token: str | None) -> dict:
    team = indicator_series(indicator_code, BASE_TEAM, token=token)
    latest = team.latest
    if latest is None or not latest.rate:
        return {"rows": [], "funnel_svg": "", "year": None}
    target = latest.rate
    rows, points = [], []
    for area in base_team_areas():
        series = indicator_series(indicator_code, area.code, token=token)
        point = next((p for p in series.points if p.year == latest.year), None)
        if point is None or point.rate is None:
            continue
        result = funnel_flag(point.count, point.population, target)
        label = str(FUNNEL_LABELS[str(result.code)])
        rows.append({"name": area.name, "code": area.code, "count": f"{point.count:,}".replace(",", "."),
                     "population": f"{point.population:,}".replace(",", "."), "rate": _fmt(point.rate),
                     "interval": f"{_fmt(point.lower)} - {_fmt(point.upper)}", "flag": label})
        points.append({"name": area.name, "population": point.population, "rate": point.rate, "flag": label})
    pops = [p["population"] for p in points]
    limits = [{"population": lp.population, "lower95": lp.lower_95, "upper95": lp.upper_95,
               "lower998": lp.lower_998, "upper998": lp.upper_998}
              for lp in funnel_limits(target, [min(pops) * 0.8 + (max(pops) * 1.1 - min(pops) * 0.8) * i / 50
                                               for i in range(51)])]
    svg = charts.render_svg(
        charts.funnel_spec(points, limits, target=target, y_title=_("per 1,000"), x_title=_("inhabitants")),
        title=_("Comparison of the municipalities, %(year)d") % {"year": latest.year},
        description=_("Each point is a municipality; the lines are the 95%% and 99.8%% limits around the "
                      "base-team rate."), element_id="funnel-gemeenten")
    return {"rows": rows, "funnel_svg": svg, "year": latest.year, "target": _fmt(target),
            "source": team.source.table if team.source else ""}
