"""What the dashboards show, assembled for one viewer: indicator cards per general goal and theme,
neighbourhood tables with funnel flags, maps and the comparison of the municipalities.

Reads only. What a viewer may see of each figure is decided by the one publication gate
(ivp.indicators.publication.FigureGate): duiding first, small counts hidden with their protection. The methods
(overdispersion-aware funnel limits, the small-area rule) are ADR 0003 and 0011.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils.translation import gettext as _

from ivp import notation
from ivp.areas.exposure import exposure_note
from ivp.areas.models import Area, Population
from ivp.stats.breaks import municipality_code
from ivp.stats.funnel import Overdispersion, estimate_overdispersion, flags, funnel_limits
from ivp.stats.poisson import rate_interval
from ivp.stats.small_areas import MIN_POPULATION_FOR_RATE, count_band
from ivp.stats.suppression import needs_fallback

from . import charts
from .cache import CURRENT, memoised, token_or_current
from .definitions import INDICATORS, Indicator
from .labels import FUNNEL_LABELS, FUNNEL_ORDER, verdict_label
from .models import Interpretation, InterpretationScope, Observation, StructuralBreak
from .periods import period_end_year
from .publication import FigureGate, SeriesView, hidden_text
from .series import BASE_TEAM, LEVEL, Series, base_team_areas, indicator_series

PER = 1000
# The indicator of the neighbourhood table and of the comparison of the municipalities (their interpretations are
# written on this indicator's page).
TABLE_INDICATOR = "crime_total"


@dataclass
class Card:
    indicator: Indicator
    series: Series
    view: SeriesView
    interpretation: Interpretation | None
    public: bool
    chart: Callable[[], str] | None = field(default=None, repr=False)  # renders chart_svg when first asked
    too_small: bool = False  # counts too small to judge a change: look at the base team instead
    token: str | None = None  # the figures' state the card was computed from (ivp.indicators.cache)
    period_start: int | None = None  # first year of the period the card is shown for (plan or report period)

    @property
    def hidden_reason(self) -> str:
        return self.view.hidden_reason

    @property
    def latest(self):
        return self.view.latest

    @property
    def rounded(self) -> bool:
        return bool(self.series.rounding)

    @cached_property
    def rows(self) -> list[dict]:
        """The table beside the chart (formatted), made on first use like the chart; none for a hidden figure."""
        if self.hidden_reason:
            return []
        return [_row(p) for p in self.view.points]

    @cached_property
    def chart_svg(self) -> str:
        """The chart as inline SVG, rendered on first use: a dashboard whose card HTML is cached never needs it."""
        return self.chart() if self.chart else ""

    @property
    def fragment_key(self) -> tuple:
        """What a rendering of this card depends on besides the figures (`token`) and the language: the area,
        the indicator, the audience, how far the published duiding reaches and the interpretation shown (every
        edit raises its version)."""
        note = self.interpretation
        shown = "-" if note is None else f"{note.pk}.{note.version}"
        return (self.series.area_code, self.indicator.code, int(self.public), self.view.covered_until, shown,
                self.period_start)

    @property
    def latest_verdict(self) -> str:
        latest = self.latest
        return verdict_label(latest.verdict) if latest else ""

    @property
    def stale_note(self) -> str:
        """Said when the latest figure is older than the period it is shown for (e.g. a 2017 CBS figure in the
        plan period 2023-2026 or a 2023-2024 evaluation)."""
        latest = self.latest
        if latest is None or self.period_start is None or latest.year >= self.period_start:
            return ""
        return _("The latest figure available here is from %(year)d, before the period %(start)d onwards; it "
                 "describes the situation then, not now.") % {"year": latest.year, "start": self.period_start}


def _row(p) -> dict:
    hidden = p.hidden
    return {
        "period": p.period,
        "count": p.count_text,
        "population": notation.integer(p.population) if p.population else "-",
        "rate": "-" if p.rate is None else notation.decimal(p.rate),
        "interval": "-" if p.rate is None else f"{notation.decimal(p.lower)} - {notation.decimal(p.upper)}",
        "count_interval": "-" if p.count_lower is None
        else f"{notation.decimal(p.count_lower)} - {notation.decimal(p.count_upper)}",
        "verdict": verdict_label(p.verdict),
        "note": p.no_verdict or p.note,
        "hidden": hidden,
    }


def interpretations_for(gate: FigureGate, area_code: str) -> list[Interpretation]:
    """The interpretations of the area's own figures this viewer may read (published ones only for the public
    audience), in one query; for a wijk or buurt also its municipality's interpretation of the neighbourhoods."""
    qs = Interpretation.objects.for_user(gate.user).select_related("author", "cosigned_by")
    if not gate.internal:
        qs = qs.filter(published=True)
    own = Q(scope=InterpretationScope.FIGURE) & (Q(area__isnull=True) if area_code == BASE_TEAM
                                                 else Q(area__code=area_code))
    scope = own
    if area_code.startswith(("WK", "BU")):
        scope |= Q(scope=InterpretationScope.NEIGHBOURHOODS, area__code=municipality_code_of(area_code))
    return list(qs.filter(scope).order_by("pk"))


def municipality_code_of(area_code: str) -> str:
    area = Area.objects.filter(code=area_code).select_related("parent__parent").defer("geometry").first()
    while area is not None and area.level != "gemeente":
        area = area.parent
    return area.code if area is not None else ""


def note_for(notes: list[Interpretation], indicator: str, year: int | None) -> Interpretation | None:
    """The interpretation that speaks about this year: the one of this indicator whose period ends in it, else the
    nearest later one (a range 2021-2024 covers 2024), the area's own before its municipality's neighbourhoods."""
    if year is None:
        return None
    best = None
    for note in notes:
        if note.indicator != indicator:
            continue
        end = period_end_year(note.period)
        if end is None or end < year:
            continue
        rank = (note.scope != InterpretationScope.FIGURE, end - year, -note.pk)
        if best is None or rank < best[0]:
            best = (rank, note)
    return best[1] if best else None


def interpretation_for(user, indicator: str, area_code: str, period: str, *,
                       scope: str = InterpretationScope.FIGURE) -> Interpretation | None:
    """The interpretation of exactly this indicator, area, period and scope (the indicator page's edit forms)."""
    qs = Interpretation.objects.for_user(user).filter(indicator=indicator, period=period, scope=scope)
    qs = qs.filter(area__isnull=True) if area_code == BASE_TEAM else qs.filter(area__code=area_code)
    return qs.select_related("author", "cosigned_by").first()


def card_for(user, indicator: Indicator, area_code: str, *, with_chart: bool = True,
             token: str | None | object = CURRENT, notes: list | None = None,
             gate: FigureGate | None = None, period_start: int | None = None) -> Card:
    """The card of one indicator for this viewer. `gate` (made once per request), `token` (the figures' state)
    and `notes` (interpretations_for, fetched once) save queries when a caller builds many cards."""
    token = token_or_current(token)
    gate = gate or FigureGate(user, token=token)
    series = indicator_series(indicator.code, area_code, token=token)
    view = gate.series(series)
    if notes is None:
        notes = interpretations_for(gate, area_code)
    latest = view.latest
    note = note_for(notes, indicator.code, latest.year if latest else None)
    card = Card(indicator, series, view, note, not gate.internal, token=token, period_start=period_start)
    if view.hidden_reason:
        return card
    counts = [p.count for p in series.points if p.count is not None]
    # The series mean stands in for the expected count, so one lucky year does not decide it.
    card.too_small = area_code != BASE_TEAM and bool(counts) and needs_fallback(sum(counts) / len(counts))
    # Small areas get no chart: it would draw the exact counts that the table gives as a range.
    if with_chart and not series.small_area and any(p.count is not None for p in view.points):
        card.chart = lambda: _chart_svg(indicator, view, area_code, token)
    return card


def _chart_svg(indicator: Indicator, view: SeriesView, area_code: str, token: str | None) -> str:
    """The series chart: only the points this viewer may see (a hidden count is not drawn: its rate would give it
    back)."""
    series = view.series
    use_rate = any(p.rate is not None for p in view.points)
    rows = [{"period": p.period,
             "value": p.rate if use_rate else p.count,
             "lower": p.lower if use_rate else p.count_lower,
             "upper": p.upper if use_rate else p.count_upper} for p in view.points
            if (p.rate if use_rate else p.count) is not None]
    years = [p.year for p in view.points]
    breaks = memoised("breaks", (area_code, min(years), max(years)),
                      lambda: _break_periods(area_code, years), token=token) if years else []
    spec = charts.series_spec(rows, periods=[p.period for p in view.points],
                              y_title=rate_title() if use_rate else _("number of registrations"), x_title=_("year"),
                              breaks=breaks)
    return charts.render_svg(
        spec, title=f"{indicator.name}: {series.area_name}",
        description=_("%(what)s per year with the 95%% interval as a band; the numbers are in the table "
                      "beside the chart.") % {"what": _("Rate") if use_rate else _("Number")},
        element_id=f"chart-{indicator.code}")


def rate_title() -> str:
    return _("per 1,000 inhabitants on 1 January")


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
    qs = Interpretation.objects.for_user(user)
    qs = qs.filter(area__isnull=True) if area_code == BASE_TEAM else qs.filter(area__code=area_code)
    return tuple(qs.order_by("pk").values_list("pk", "version"))


def goal_sections(user, plan, area_code: str, *, token: str | None | object = CURRENT,
                  gate: FigureGate | None = None) -> list[dict]:
    """Per general goal of the plan: its indicator cards (an indicator may serve several goals)."""
    token = token_or_current(token)
    gate = gate or FigureGate(user, token=token)
    notes = interpretations_for(gate, area_code)
    cards = {code: card_for(user, ind, area_code, token=token, notes=notes, gate=gate,
                            period_start=plan.period_start) for code, ind in INDICATORS.items()}
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


# --- the neighbourhoods of a municipality -----------------------------------------------------------------------

def neighbourhood_table(user, municipality_area: Area, *, indicator_code: str = TABLE_INDICATOR,
                        token: str | None | object = CURRENT, gate: FigureGate | None = None,
                        can_write: bool = False) -> dict:
    """Rates per buurt for the latest year with populations, flagged against the base team's rate, as this viewer
    may see them (`can_write`: the viewer may write the interpretation of the table; the section links to it)."""
    token = token_or_current(token)
    gate = gate or FigureGate(user, token=token)
    figures = neighbourhood_figures(municipality_area, indicator_code=indicator_code, token=token)
    key = (municipality_area.code, indicator_code, gate.audience, can_write)
    common = {"token": token, "can_write": can_write, "municipality_code": municipality_area.code,
              "indicator": indicator_code}
    if figures.get("year") and not gate.table_visible(InterpretationScope.NEIGHBOURHOODS, indicator_code,
                                                      municipality_area.code, figures["year"]):
        return {"rows": [], "year": figures["year"], "reason": gate.table_reason(InterpretationScope.NEIGHBOURHOODS),
                "fragment_key": (*key, "withheld"), "withheld": True, **common}
    note = None
    if figures.get("year"):
        notes = [n for n in _table_notes(gate, InterpretationScope.NEIGHBOURHOODS, municipality_area)
                 if n.indicator == indicator_code]
        note = note_for(notes, indicator_code, figures["year"])
    table = memoised("buurten", (*key[:3], figures.get("year")),
                     lambda: _neighbourhood_view(gate, figures, indicator_code), token=token)
    shown = "-" if note is None else f"{note.pk}.{note.version}"
    # What a rendering of the table depends on besides the language (web/templatetags/figures.py).
    return {**table, "interpretation": note, "fragment_key": (*key, shown), **common}


def _table_notes(gate: FigureGate, scope: str, area: Area | None) -> list[Interpretation]:
    qs = Interpretation.objects.for_user(gate.user).filter(scope=scope).select_related("author", "cosigned_by")
    if not gate.internal:
        qs = qs.filter(published=True)
    return list(qs.filter(area__isnull=True) if area is None else qs.filter(area=area))


def neighbourhood_figures(municipality_area: Area, *, indicator_code: str = TABLE_INDICATOR, level: str = "buurt",
                          year: int | None = None, token: str | None | object = CURRENT) -> dict:
    """Every buurt (or wijk) of the municipality with count, population, rate, interval and funnel flag, for
    everybody alike; the gate decides what a viewer sees of it. Flags are against the rate of all areas of that
    level in the base team with at least MIN_POPULATION_FOR_RATE inhabitants, with limits widened for the
    overdispersion between those areas. A wijk's count is the sum of its buurten and its population its own CBS
    figure (85984NED), the same denominator as on its own page. `year`: the latest year with populations by
    default."""
    token = token_or_current(token)
    return memoised("area-figures", (municipality_area.code, indicator_code, level, year),
                    lambda: _level_figures(municipality_area, indicator_code, level, year), token=token)


def _level_figures(municipality_area: Area, indicator_code: str, level: str, year: int | None) -> dict:
    indicator = INDICATORS[indicator_code]
    source = next(iter(indicator.sources_for("buurt")), None)
    municipalities = base_team_areas()
    if level == "buurt":
        own = Area.objects.filter(level="buurt", parent__parent=municipality_area)
        team = Area.objects.filter(level="buurt", parent__parent__in=municipalities)
    else:
        own = Area.objects.filter(level="wijk", parent=municipality_area)
        team = Area.objects.filter(level="wijk", parent__in=municipalities)
    areas = list(own.select_related("parent").order_by("code"))
    if source is None or not areas:
        return {"rows": [], "year": None, "reason": _("No figures per neighbourhood are available.")}
    pops = Population.objects.filter(area__in=team, source_table="85984NED")
    if not pops.exists():
        return {"rows": [], "year": None, "reason": _("No population per neighbourhood is available.")}
    year = year or pops.order_by("-year").first().year
    pop = dict(pops.filter(year=year).values_list("area_id", "value"))
    if not pop:
        return {"rows": [], "year": year, "reason": _("No population per neighbourhood on 1 January %(year)d.")
                % {"year": year}}
    rows_qs = Observation.objects.filter(table=source.table, category__in=source.categories, year=year, month=0)
    if level == "buurt":
        rows_qs = rows_qs.filter(area__in=team).values_list("area_id", "value")
        expected = {a: len(source.categories) for a in team.values_list("pk", flat=True)}
    else:
        rows_qs = rows_qs.filter(area__parent__in=team, area__level="buurt").values_list("area__parent_id", "value")
        expected = {}
        for parent in Area.objects.filter(level="buurt", parent__in=team).values_list("parent_id", flat=True):
            expected[parent] = expected.get(parent, 0) + len(source.categories)
    counts: dict[int, int | None] = {}
    seen: dict[int, int] = {}
    for area_id, value in rows_qs:
        seen[area_id] = seen.get(area_id, 0) + 1
        counts[area_id] = None if value is None or counts.get(area_id, 0) is None else counts.get(area_id, 0) + value
    counts = {a: (c if seen.get(a, 0) >= expected.get(a, 0) else None) for a, c in counts.items()}
    # The reference: areas large enough for a rate (tiny ones, such as business parks with a few residents, would
    # dominate the spread and the base-team rate with figures per resident that mean little).
    reference = [a for a, c in counts.items() if c is not None and (pop.get(a) or 0) >= MIN_POPULATION_FOR_RATE]
    team_pop = sum(pop[a] for a in reference)
    if not team_pop:
        return {"rows": [], "year": year, "reason": _("No figures per neighbourhood for %(year)d.") % {"year": year}}
    target = PER * sum(counts[a] for a in reference) / team_pop
    dispersion = estimate_overdispersion([counts[a] for a in reference], [target * pop[a] / PER for a in reference])
    rated = [a for a in areas if counts.get(a.pk) is not None and (pop.get(a.pk) or 0) >= MIN_POPULATION_FOR_RATE]
    flagged = dict(zip([a.pk for a in rated], flags([counts[a.pk] for a in rated], [pop[a.pk] for a in rated],
                                                    target, PER, overdispersion=dispersion), strict=True))
    rows = []
    for area in areas:
        count, population = counts.get(area.pk), pop.get(area.pk)
        row = {"code": area.code, "name": area.name, "parent": area.parent.name if area.parent else "",
               "count": count, "population": population, "rate": None, "lower": None, "upper": None,
               "flag_code": "", "z": None, "note": "", "exposure": "", "small": False, "geometry": area.geometry}
        if count is None:
            row["note"] = _("no figure published")
        elif not population:
            row["note"] = _("no inhabitants known (e.g. a business park): no rate")
        elif population < MIN_POPULATION_FOR_RATE:
            row["small"] = True
            row["note"] = _("fewer than %(min)s inhabitants: only the number is shown (as a range), no rate") % {
                "min": notation.integer(MIN_POPULATION_FOR_RATE)}
        else:
            rate = rate_interval(count, population, per=PER, level=LEVEL)
            result = flagged[area.pk]
            row.update(rate=rate.rate, lower=rate.lower, upper=rate.upper, flag_code=str(result.code),
                       z=result.z, exposure=exposure_note(area.name))
        rows.append(row)
    return {"rows": rows, "year": year, "target": target, "dispersion": dispersion, "reason": "",
            "source_index": indicator.sources.index(source), "source_table": source.table,
            "indicator": indicator_code, "municipality": municipality_area.code, "level": level,
            "reference_areas": len(reference)}


def _neighbourhood_view(gate: FigureGate, figures: dict, indicator_code: str) -> dict:
    """The neighbourhood table, map and funnel plot as this viewer may see them."""
    if figures.get("reason") or not figures.get("rows"):
        return {"rows": [], "year": figures.get("year"), "reason": figures.get("reason", "")}
    year, target, dispersion = figures["year"], figures["target"], figures["dispersion"]
    source = INDICATORS[indicator_code].sources[figures["source_index"]]
    rows, features, points = [], [], []
    for r in figures["rows"]:
        hidden = r["count"] is not None and gate.cell_hidden(indicator_code, source, r["code"], year)
        if hidden:
            count_text, note = hidden_text(), _("hidden to protect small numbers")
        elif r["small"]:
            count_text, note = count_band(r["count"]), r["note"]
        else:
            count_text, note = notation.integer(r["count"]), r["note"]
        shown_rate = not hidden and r["rate"] is not None
        row = {"code": r["code"], "name": r["name"], "wijk": r["parent"], "count": count_text,
               "population": notation.integer(r["population"]) if r["population"] else "-",
               "rate": notation.decimal(r["rate"]) if shown_rate else "-",
               "interval": f"{notation.decimal(r['lower'])} - {notation.decimal(r['upper'])}" if shown_rate else "-",
               "flag": str(FUNNEL_LABELS[r["flag_code"]]) if shown_rate and dispersion.reliable else "",
               "flag_code": r["flag_code"] if shown_rate and dispersion.reliable else "",
               "note": note, "exposure": r["exposure"] if shown_rate else ""}
        rows.append(row)
        if shown_rate and dispersion.reliable:
            points.append({"name": r["name"] if r["flag_code"] != "within" else "", "population": r["population"],
                           "rate": r["rate"], "flag": str(FUNNEL_LABELS[r["flag_code"]])})
        if r["geometry"]:
            features.append({"type": "Feature", "geometry": r["geometry"],
                             "properties": {"name": r["name"], "value": r["rate"] if shown_rate else None}})
    map_svg = ""
    if features:
        map_svg = charts.render_svg(
            charts.choropleth_spec(features, legend_title=_("per 1,000 inhabitants"),
                                   missing_label=_("no rate (see the table)")),
            title=_("Map: registered crime per 1,000 inhabitants per neighbourhood, %(year)d") % {"year": year},
            description=_("Neighbourhoods coloured by rate per 1,000 inhabitants on 1 January; grey means no rate. "
                          "The table lists every neighbourhood with its numbers."), element_id="map-buurten")
    funnel_svg = ""
    if points:
        max_pop = max(p["population"] for p in points)
        grid = [max(MIN_POPULATION_FOR_RATE, max_pop * i / 60) for i in range(1, 61)]
        funnel_svg = charts.render_svg(
            charts.funnel_spec(points, _limits(target, grid, dispersion), target=target, y_title=rate_title(),
                               x_title=_("inhabitants on 1 January"), categories=_funnel_categories()),
            title=_("Funnel plot of the neighbourhoods, %(year)d") % {"year": year},
            description=_("Each point is a neighbourhood; the lines are the 95%% (dashed) and 99.8%% (solid) limits "
                          "around the rate of all neighbourhoods of the base team, widened for the usual spread "
                          "between neighbourhoods. A point outside stands out."), element_id="funnel-buurten")
    return {"rows": rows, "year": year, "target": notation.decimal(target), "map_svg": map_svg,
            "funnel_svg": funnel_svg, "reason": "", "method": _funnel_method_text(dispersion),
            "flags_shown": dispersion.reliable, "reference_areas": notation.integer(figures["reference_areas"])}


def _funnel_categories() -> list[tuple[str, str]]:
    """(label, code) for every flag, in a fixed order: the legend and colours never change meaning."""
    return [(str(FUNNEL_LABELS[code]), code) for code in FUNNEL_ORDER]


def _limits(target: float, grid: list[float], dispersion: Overdispersion | None) -> list[dict]:
    return [{"population": lp.population, "lower95": lp.lower_95, "upper95": lp.upper_95,
             "lower998": lp.lower_998, "upper998": lp.upper_998}
            for lp in funnel_limits(target, grid, PER, overdispersion=dispersion)]


def _funnel_method_text(dispersion: Overdispersion) -> str:
    if not dispersion.reliable:
        return _("Too few areas to estimate the usual spread between them, so no area is marked as standing out.")
    if dispersion.tau2 > 0:
        return _("The limits allow for the usual spread between areas (random-effects funnel after Spiegelhalter, "
                 "estimated from %(n)s areas). An area outside the 99.8%% limit stands out even then; outside the "
                 "95%% limit is a weaker sign: the estimate leaves out the most extreme areas, so the 95%% limits are "
                 "somewhat narrow and more than 1 in 20 areas lie outside them.") % {
            "n": notation.integer(dispersion.n_areas)}
    return _("The areas differ no more than chance explains, so the limits are those of chance alone (Poisson).")


# --- the municipalities compared --------------------------------------------------------------------------------

def municipality_comparison(user, *, indicator_code: str = TABLE_INDICATOR, token: str | None | object = CURRENT,
                            gate: FigureGate | None = None) -> dict:
    """The municipalities of the base team in a funnel plot around the base-team rate (latest year)."""
    token = token_or_current(token)
    gate = gate or FigureGate(user, token=token)
    figures = memoised("comparison", (indicator_code,), lambda: _comparison_figures(indicator_code, token),
                       token=token)
    if not figures.get("rows"):
        return figures
    if not gate.table_visible(InterpretationScope.COMPARISON, indicator_code, BASE_TEAM, figures["year"]):
        return {"rows": [], "year": figures["year"], "withheld": True,
                "reason": gate.table_reason(InterpretationScope.COMPARISON)}
    notes = [n for n in _table_notes(gate, InterpretationScope.COMPARISON, None) if n.indicator == indicator_code]
    return {**figures, "interpretation": note_for(notes, indicator_code, figures["year"])}


def _comparison_figures(indicator_code: str, token: str | None) -> dict:
    team = indicator_series(indicator_code, BASE_TEAM, token=token)
    latest = team.latest
    if latest is None or not latest.rate:
        return {"rows": [], "funnel_svg": "", "year": None}
    target = latest.rate
    dispersion = national_overdispersion(team.source, latest.year, token=token)
    members, points = [], []
    for area in base_team_areas():
        series = indicator_series(indicator_code, area.code, token=token)
        point = next((p for p in series.points if p.year == latest.year), None)
        if point is None or point.rate is None:
            continue
        members.append((area, point))
    results = flags([p.count for _a, p in members], [p.population for _a, p in members], target, PER,
                    overdispersion=dispersion)
    rows = []
    for (area, point), result in zip(members, results, strict=True):
        label = str(FUNNEL_LABELS[str(result.code)]) if dispersion.reliable else ""
        rows.append({"name": area.name, "code": area.code, "count": notation.integer(point.count),
                     "population": notation.integer(point.population), "rate": notation.decimal(point.rate),
                     "interval": f"{notation.decimal(point.lower)} - {notation.decimal(point.upper)}", "flag": label})
        points.append({"name": area.name, "population": point.population, "rate": point.rate, "flag": label})
    pops = [p["population"] for p in points]
    grid = [min(pops) * 0.8 + (max(pops) * 1.1 - min(pops) * 0.8) * i / 50 for i in range(51)]
    svg = charts.render_svg(
        charts.funnel_spec(points, _limits(target, grid, dispersion), target=target, y_title=rate_title(),
                           x_title=_("inhabitants on 1 January"), categories=_funnel_categories()),
        title=_("Comparison of the municipalities, %(year)d") % {"year": latest.year},
        description=_("Each point is a municipality; the lines are the 95%% and 99.8%% limits around the base-team "
                      "rate, widened for the usual spread between Dutch municipalities."),
        element_id="funnel-gemeenten")
    return {"rows": rows, "funnel_svg": svg, "year": latest.year, "target": notation.decimal(target),
            "source": team.source.table if team.source else "", "method": _funnel_method_text(dispersion)}


def national_overdispersion(source, year: int, *, token: str | None | object = CURRENT) -> Overdispersion:
    """The spread between all Dutch municipalities in the snapshot for this table and year, around their own
    (national) rate: five municipalities cannot estimate it, several hundred can. Only municipalities with a
    population in the figure's year (CBS 37230ned) take part."""
    token = token_or_current(token)

    def compute() -> Overdispersion:
        counts: dict[int, int | None] = {}
        for area_id, value in Observation.objects.filter(
                table=source.table, category__in=source.categories, area__level="gemeente", year=year, month=0
        ).values_list("area_id", "value"):
            known = counts.get(area_id, 0)
            counts[area_id] = None if value is None or known is None else known + value
        pops = dict(Population.objects.filter(area_id__in=list(counts), year=year, source_table="37230ned")
                    .values_list("area_id", "value"))
        usable = [a for a, c in counts.items() if c is not None and pops.get(a)]
        if not usable:
            return estimate_overdispersion([], [])
        rate = sum(counts[a] for a in usable) / sum(pops[a] for a in usable)
        return estimate_overdispersion([counts[a] for a in usable], [rate * pops[a] for a in usable])

    return memoised("national-dispersion", (source.table, source.categories, year), compute, token=token)
