"""An indicator's series for one area (or the whole base team): counts, populations in matching
boundaries, rates with exact intervals, and the verdict on each change and on the trend.

Honesty rules (issues #3 and #12, ADR 0003 and 0011): no figure is estimated; a rate is shown only with a population
in the same boundaries as the figure, otherwise the point says why; "no data" is an answer. Verdicts only where the
method holds for these data:

* year-on-year changes account for the extra-Poisson variation between years (a dispersion pooled over the areas of
  comparable size at the same level, `between_year_dispersion`); where counts are rounded by the source the test
  takes the least favourable true counts;
* below the municipality (wijken, buurten) the change tests of one municipality and year are many at once: a verdict
  is significant only after Benjamini-Hochberg control of the false discovery rate over that family;
* no verdict across a structural break (a COVID period, a change in registration) or between figures in different
  boundaries, and no trend on fewer than five yearly points (ivp.stats.trend.MIN_POINTS).

This module computes for everybody alike (and is cached); what a viewer may see of it is decided by the one
publication gate, ivp.indicators.publication.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from ivp.areas.boundaries import boundaries_match
from ivp.areas.models import Area, Population
from ivp.information.codes import REGISTER_TABLE
from ivp.stats.change import Change, between_year_dispersion, compare_periods
from ivp.stats.multiplicity import bh_adjusted
from ivp.stats.poisson import exact_interval, rate_interval
from ivp.stats.small_areas import MIN_POPULATION_FOR_RATE
from ivp.stats.trend import MIN_POINTS, Trend, poisson_trend
from ivp.stats.verdict import Verdict

from .cache import CURRENT, memoised, token_or_current
from .definitions import INDICATORS, Indicator, SourceSeries
from .models import BreakKind, Observation, StructuralBreak

BASE_TEAM = "basisteam"
LEVEL = 0.95
FDR = 0.05  # false discovery rate below the municipality (Benjamini-Hochberg)
# Reference areas for the between-year dispersion: those whose mean count lies within this factor of the area's own
# (extra-Poisson variation grows with the size of the counts); widened when too few degrees of freedom remain.
COMPARABLE_FACTORS = (3.0, 10.0, None)
MIN_DISPERSION_DF = 20


@dataclass(frozen=True)
class Point:
    year: int
    count: int | None
    count_lower: float | None
    count_upper: float | None
    population: int | None
    population_year: int | None
    rate: float | None
    lower: float | None
    upper: float | None
    note: str = ""
    change: Change | None = None
    month: int = 0  # 0: the whole year
    boundary_year: int | None = None
    no_verdict: str = ""  # why this point's change gets no verdict (a structural break, other boundaries)
    p_adjusted: float | None = None  # Benjamini-Hochberg adjusted p-value (wijk and buurt level only)
    family_size: int = 0  # how many change tests that adjustment covered

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    @property
    def verdict(self) -> str | None:
        if self.change is None or self.no_verdict:
            return None
        return str(self.change.verdict)


@dataclass
class Series:
    indicator: Indicator
    area_code: str
    area_name: str
    level: str
    source: SourceSeries | None
    points: list[Point] = field(default_factory=list)
    no_data_reason: str = ""  # in plain words, with the public source a reader can consult
    no_data_source: str = ""  # the tables that would hold it (for the methods appendix and the command line)
    trend: Trend | None = None
    trend_note: str = ""  # why there is no trend verdict (too few points, a structural break)
    other_sources: list[str] = field(default_factory=list)
    dispersion: float = 1.0  # between-year dispersion used in the change tests (1: Poisson)
    dispersion_df: int = 0
    municipality_code: str = ""  # the municipality a wijk or buurt belongs to (the family of its tests)
    small_area: bool = False  # fewer inhabitants than MIN_POPULATION_FOR_RATE: counts as a range, no rates

    @property
    def has_data(self) -> bool:
        return any(p.count is not None for p in self.points)

    @property
    def rounding(self) -> int:
        return self.source.rounding if self.source else 0

    # Pickled (cached) by reference to the registry: the definitions hold lazy translations, and unpickling
    # those builds a proxy class per string (most of the cost of a cache hit).
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["indicator"] = self.indicator.code
        state["source"] = None if self.source is None else self.indicator.sources.index(self.source)
        return state

    def __setstate__(self, state: dict) -> None:
        indicator = INDICATORS[state["indicator"]]
        source = None if state["source"] is None else indicator.sources[state["source"]]
        self.__dict__.update({**state, "indicator": indicator, "source": source})

    @property
    def latest(self) -> Point | None:
        points = [p for p in self.points if p.count is not None]
        return points[-1] if points else None


def public_source_name(source) -> str:
    """Who publishes a source series, in words a reader can look up ("Politie (data.politie.nl)"); the table id
    itself belongs in a "sources and method" section only (issue 13)."""
    if source is None:
        return "-"
    if source.table.startswith("47"):
        return _("Police (data.politie.nl)")
    if source.table == REGISTER_TABLE:
        return _("the municipality's own information registers")
    return _("CBS (opendata.cbs.nl, StatLine)")


def public_source_text(indicator: Indicator, level: str) -> str:
    """Why there is no figure, in council language, and where a reader can find the published one."""
    if indicator.unit == "percentage":
        return _("This figure comes from a survey (the Veiligheidsmonitor). CBS publishes it per municipality of "
                 "70,000 inhabitants or more only; smaller municipalities can add their own survey results here. "
                 "See veiligheidsmonitor.nl.")
    if "register" in indicator.tags:
        if level in ("wijk", "buurt", BASE_TEAM):
            return _("Figures of the information registers exist per municipality only.")
        return _("This municipality has not recorded anything in this register for these years.")
    police = any(s.table.startswith("47") for s in indicator.sources) or not indicator.sources
    if level in ("wijk", "buurt"):
        return _("This figure is not published per district or neighbourhood. See the municipality's figures.")
    if any(s.table in ("47021NED", "47024NED") for s in indicator.sources):
        return _("This figure has not been loaded here yet for this area. The police publish it per municipality "
                 "on data.politie.nl (registered nuisance).")
    if police:
        return _("This figure has not been loaded here yet for this area. The police publish it per municipality "
                 "on data.politie.nl (registered crime).")
    return _("This figure has not been loaded here yet for this area. CBS publishes it on opendata.cbs.nl "
             "(StatLine).")


def base_team_areas() -> list[Area]:
    return list(Area.objects.filter(level="gemeente", organisation__isnull=False).defer("geometry").order_by("code"))


def indicator_series(indicator_code: str, area_code: str, *, by_month: bool = False,
                     token: str | None | object = CURRENT) -> Series:
    """The series per year (default) or per month. Monthly changes compare a month with the same
    month a year earlier (crime is seasonal); monthly series get no trend line for the same reason.

    Cached under the figures' state token (`ivp.indicators.cache`); a caller that needs many series passes
    the token it read once."""
    token = token_or_current(token)
    return memoised("series", (indicator_code, area_code, by_month),
                    lambda: _adjusted_series(indicator_code, area_code, by_month=by_month, token=token), token=token)


def _adjusted_series(indicator_code: str, area_code: str, *, by_month: bool, token) -> Series:
    series = _raw_series(indicator_code, area_code, by_month=by_month, token=token)
    if series.level not in ("wijk", "buurt") or not series.municipality_code or not series.has_data:
        return series
    family = _family_adjustment(indicator_code, series.level, series.municipality_code, by_month=by_month,
                                token=token)
    points = []
    for point in series.points:
        adjusted = family.get((area_code, point.year, point.month))
        if adjusted is None or point.change is None:
            points.append(point)
            continue
        p_adjusted, size = adjusted
        verdict = point.change.verdict
        if verdict in (Verdict.SIGNIFICANT_INCREASE, Verdict.SIGNIFICANT_DECREASE) and p_adjusted >= FDR:
            verdict = Verdict.WITHIN_NORMAL_VARIATION
        points.append(replace(point, change=replace(point.change, verdict=verdict), p_adjusted=p_adjusted,
                              family_size=size))
    return replace(series, points=points)


def _family_adjustment(indicator_code: str, level: str, municipality_code: str, *, by_month: bool,
                       token) -> dict[tuple[str, int, int], tuple[float, int]]:
    """Benjamini-Hochberg adjusted p-values of the change tests of all wijken (or buurten) of one municipality,
    per period: {(area code, year, month): (adjusted p, number of tests in the family)}."""
    def compute():
        within = Q(parent__code=municipality_code) | Q(parent__parent__code=municipality_code)
        areas = Area.objects.filter(within, level=level).values_list("code", flat=True)
        by_period: dict[tuple[int, int], list[tuple[str, float]]] = {}
        for code in areas:
            for point in _raw_series(indicator_code, code, by_month=by_month, token=token).points:
                if point.change is not None and point.change.p_value is not None and not point.no_verdict:
                    by_period.setdefault((point.year, point.month), []).append((code, point.change.p_value))
        result = {}
        for (year, month), tests in by_period.items():
            adjusted = bh_adjusted([p for _code, p in tests])
            for (code, _p), p_adj in zip(tests, adjusted, strict=True):
                result[(code, year, month)] = (p_adj, len(tests))
        return result

    return memoised("family", (indicator_code, level, municipality_code, by_month), compute, token=token)


def _raw_series(indicator_code: str, area_code: str, *, by_month: bool, token) -> Series:
    return memoised("raw-series", (indicator_code, area_code, by_month),
                    lambda: _compute_series(indicator_code, area_code, by_month=by_month, token=token), token=token)


def _compute_series(indicator_code: str, area_code: str, *, by_month: bool, token=None) -> Series:
    indicator = INDICATORS[indicator_code]
    if area_code == BASE_TEAM:
        members = base_team_areas()
        series = Series(indicator, BASE_TEAM, _("Base team (all municipalities)"), BASE_TEAM, None)
        level = "gemeente"
    else:
        area = Area.objects.defer("geometry").select_related("parent", "parent__parent").get(code=area_code)
        members = [area]
        series = Series(indicator, area.code, area.name, area.level, None)
        level = area.level
        series.municipality_code = _municipality_code_of(area)
    if not members:
        series.no_data_reason = _("No municipalities are known yet; import the open data first.")
        return series
    candidates = indicator.sources_for(level)
    found: list[tuple[SourceSeries, dict]] = []
    for source in candidates:
        counts = _counts(source, members, level, by_month=by_month)
        if counts:
            found.append((source, counts))
    if not found and by_month and any(_counts(s, members, level) for s in candidates):
        series.no_data_reason = _("Only yearly figures are available for this area in the imported data; monthly "
                                  "figures come from the open-data service (47013NED, 47022NED).")
        return series
    if not found:
        series.no_data_source = ", ".join(s.table for s in candidates) or str(indicator.production_source)
        series.no_data_reason = public_source_text(indicator, level)
        return series
    source, counts = found[0]
    names = {m.pk: m.name for m in members}
    series.source = source
    series.other_sources = [s.table for s, _c in found[1:]]
    changes = {m.pk: list(m.boundary_changes.values_list("year", flat=True)) for m in members}
    points: list[Point] = []
    for year, month in sorted(counts):
        count, boundary_year, missing = counts[(year, month)]
        # A month's rate uses the population on 1 January of its year.
        population, pop_year, note = _population(members, year, boundary_year, changes)
        if count is None:
            why = (_("No figure for %(areas)s in this period, so no total.") % {
                "areas": ", ".join(sorted(names[m] for m in missing))} if missing
                else _("Not published for this period."))
            points.append(Point(year, None, None, None, population, pop_year, None, None, None, why, month=month,
                                boundary_year=boundary_year))
            continue
        c_low, c_up = exact_interval(count, LEVEL, rounding=source.rounding)
        if population and population < MIN_POPULATION_FOR_RATE:
            note = note or _("No rate: fewer than %(min)d inhabitants, too few for a rate per 1,000 to mean "
                             "anything.") % {"min": MIN_POPULATION_FOR_RATE}
            population = None
        if population:
            rate = rate_interval(count, population, per=indicator.per, level=LEVEL, rounding=source.rounding)
            points.append(Point(year, count, c_low, c_up, population, pop_year, rate.rate, rate.lower, rate.upper,
                                note, month=month, boundary_year=boundary_year))
        else:
            points.append(Point(year, count, c_low, c_up, None, None, None, None, None, note, month=month,
                                boundary_year=boundary_year))
    if level in ("wijk", "buurt"):
        latest_population = Population.objects.filter(area=members[0]).order_by("-year").first()
        series.small_area = latest_population is not None and latest_population.value < MIN_POPULATION_FOR_RATE
    counted = [p.count for p in points if p.count is not None]
    if indicator.method_note or not counted:
        # No change or trend tests: counts of own work (the reason in words), or no count at all (e.g. a base-team
        # total where one municipality has no figure).
        series.points = [replace(p, no_verdict=str(indicator.method_note)) for p in points] if indicator.method_note \
            else points
        series.trend_note = str(indicator.method_note)
        return series
    series.dispersion, series.dispersion_df = _dispersion(
        source, "gemeente" if area_code == BASE_TEAM else level, sum(counted) / len(counted), token=token)
    breaks = _breaks(area_code)
    series.points = _with_changes(points, series, breaks)
    if not by_month:
        series.trend, series.trend_note = _trend(series, breaks)
    return series


def _municipality_code_of(area: Area) -> str:
    while area is not None and area.level not in ("gemeente", "land"):
        area = area.parent
    return area.code if area is not None and area.level == "gemeente" else ""


def _counts(source: SourceSeries, members: list[Area], level: str, *,
            by_month: bool = False) -> dict[tuple[int, int], tuple[int | None, int, set]]:
    """{(year, month): (count or None, boundary year, members without figure)}, summed over categories
    (and members / child buurten); month 0 is the whole year.

    A year counts only when every category is published for every member: a partial sum would be a
    guess, so it becomes None ("not published").
    """
    if level in source.sum_children_for:
        areas = Area.objects.filter(parent__in=members, level="buurt")
    elif level in source.levels or (level == "gemeente" and "gemeente" in source.levels):
        areas = Area.objects.filter(pk__in=[m.pk for m in members])
    else:
        return {}
    rows = Observation.objects.filter(table=source.table, category__in=source.categories, area__in=areas)
    rows = rows.filter(month__gt=0) if by_month else rows.filter(month=0)
    expected = len(source.categories) * areas.count()
    member_of = {a.pk: (a.parent_id if a.level == "buurt" and level != "buurt" else a.pk) for a in areas}
    per_period: dict[tuple[int, int], dict] = {}
    for row in rows.values("year", "month", "value", "boundary_year", "area_id"):
        entry = per_period.setdefault((row["year"], row["month"]), {
            "n": 0, "sum": 0, "missing": False, "boundary": row["boundary_year"], "members": set()})
        entry["n"] += 1
        entry["members"].add(member_of[row["area_id"]])
        if row["value"] is None:
            entry["missing"] = True
        else:
            entry["sum"] += row["value"]
    all_members = {m.pk for m in members}
    return {
        period: (None if e["missing"] or e["n"] < expected else e["sum"], e["boundary"], all_members - e["members"])
        for period, e in per_period.items()
    }


def _population(members, year, figure_boundary_year, changes) -> tuple[int | None, int | None, str]:
    total = 0
    for member in members:
        candidates = list(Population.objects.filter(area=member, year=year).order_by("source_table"))
        match = next((p for p in candidates
                      if boundaries_match(changes[member.pk], figure_boundary_year, p.boundary_year)), None)
        if match is None:
            if candidates:
                return None, None, _("No rate: the population of %(area)s for %(year)d is in other boundaries than "
                                     "the figure (boundary change).") % {"area": member.name, "year": year}
            known = Population.objects.filter(area=member).aggregate(n=Sum("year"))["n"]
            if known is None:
                return None, None, _("No rate: no population is known for %(area)s.") % {"area": member.name}
            return None, None, _("No rate: no population on 1 January %(year)d for %(area)s.") % {
                "year": year, "area": member.name}
        total += match.value
    return total, year, ""


# --- between-year dispersion -------------------------------------------------------------------------------------

def _reference_counts(source: SourceSeries, level: str) -> list[list[tuple[int, int, float]]]:
    """Every area's yearly series at `level` in this source (wijken as the sums of their buurten), as
    [(year, count, 1.0), ...]: the reference from which the between-year dispersion is pooled. Exposure 1: the
    log-linear fit of each area absorbs its (slowly changing) population."""
    if level in source.sum_children_for:
        rows = Observation.objects.filter(table=source.table, category__in=source.categories, month=0,
                                          area__level="buurt", area__parent__level=level)
        key = "area__parent_id"
    elif level in source.levels:
        rows = Observation.objects.filter(table=source.table, category__in=source.categories, month=0,
                                          area__level=level)
        key = "area_id"
    else:
        return []
    totals: dict[int, dict[int, int | None]] = {}
    for area, year, value in rows.values_list(key, "year", "value"):
        years = totals.setdefault(area, {})
        years[year] = None if value is None or years.get(year, 0) is None else years.get(year, 0) + value
    return [[(year, count, 1.0) for year, count in sorted(years.items()) if count is not None]
            for years in totals.values()]


def _dispersion(source: SourceSeries, level: str, mean_count: float, *, token) -> tuple[float, int]:
    """(phi, df): the between-year dispersion for an area with this mean count, pooled over the areas of the same
    level whose mean count is comparable (ivp.stats.change.between_year_dispersion); (1.0, 0) when it cannot be
    estimated (the change test is then the exact Poisson one, and says so)."""
    reference = memoised("dispersion-reference", (source.table, source.categories, level),
                         lambda: _reference_counts(source, level), token=token)
    usable = [s for s in reference if len(s) >= 3 and sum(c for _t, c, _e in s) > 0]
    for factor in COMPARABLE_FACTORS:
        chosen = usable if factor is None else [
            s for s in usable if mean_count / factor <= sum(c for _t, c, _e in s) / len(s) <= mean_count * factor]
        phi, df = between_year_dispersion(chosen)
        if df >= MIN_DISPERSION_DF:
            return phi, df
    return 1.0, 0


# --- structural breaks -------------------------------------------------------------------------------------------

def _breaks(area_code: str) -> list[tuple[dt.date, dt.date | None, str]]:
    """(start, end, short label) of the breaks that apply to this area, other than boundary changes (those are
    handled through the boundaries of each figure)."""
    qs = StructuralBreak.objects.exclude(kind=BreakKind.BOUNDARY)
    if area_code == BASE_TEAM:
        qs = qs.filter(Q(area__isnull=True) | Q(area__organisation__isnull=False))
    else:
        codes = {area_code}
        area = Area.objects.filter(code=area_code).select_related("parent__parent").first()
        while area is not None:
            codes.add(area.code)
            area = area.parent
        qs = qs.filter(Q(area__isnull=True) | Q(area__code__in=codes))
    result = []
    for b in qs:
        years = str(b.start.year) if b.end is None or b.end.year == b.start.year else f"{b.start.year}-{b.end.year}"
        result.append((b.start, b.end, f"{b.get_kind_display()}, {years}"))
    return result


def _break_between(breaks, first_year: int, last_year: int) -> str:
    """The label of a break that makes years first_year..last_year incomparable: one that starts after the
    first year began, or a temporary one (e.g. COVID measures) that overlaps any of these years."""
    span_start, span_end = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    for start, end, description in breaks:
        if end is None and span_start < start <= span_end:
            return description
        if end is not None and start <= span_end and end >= span_start:
            return description
    return ""


def _with_changes(points: list[Point], series: Series, breaks) -> list[Point]:
    """Each point compared with the same period one year earlier (the previous year, or the same month)."""
    by_period = {(p.year, p.month): p for p in points if p.count is not None}
    result = []
    for point in points:
        change, no_verdict = None, ""
        previous = by_period.get((point.year - 1, point.month))
        if previous is not None and point.count is not None:
            same_exposure = not (point.population and previous.population)
            change = compare_periods(
                previous.count, 1 if same_exposure else previous.population, point.count,
                1 if same_exposure else point.population, LEVEL, dispersion=series.dispersion,
                dispersion_df=series.dispersion_df or None, rounding=series.rounding)
            if previous.boundary_year != point.boundary_year:
                no_verdict = _("No verdict: the two years are in different boundaries.")
            elif described := _break_between(breaks, previous.year, point.year):
                no_verdict = _("No verdict: the comparison spans a break in the series (%(what)s).") % {
                    "what": described}
        result.append(replace(point, change=change, no_verdict=no_verdict))
    return result


def _trend(series: Series, breaks) -> tuple[Trend | None, str]:
    usable = [p for p in series.points if p.count is not None]
    if not usable:
        return None, ""
    same_exposure = all(p.population for p in usable)
    points = [(p.year, p.count, p.population if same_exposure else 1) for p in usable]
    if len(points) < MIN_POINTS:
        return poisson_trend(points, level=LEVEL), _(
            "No trend verdict: %(n)d yearly figures are too few to tell a trend from chance (at least %(min)d are "
            "needed). The figures themselves are in the table.") % {"n": len(points), "min": MIN_POINTS}
    if len({p.boundary_year for p in usable}) > 1:
        return None, _("No trend verdict: the figures are in different boundaries over the years.")
    described = _break_between(breaks, usable[0].year, usable[-1].year)
    if described:
        return None, _("No trend verdict: the years span a break in the series (%(what)s).") % {"what": described}
    trend = poisson_trend(points, level=LEVEL)
    if trend.verdict == Verdict.INSUFFICIENT_DATA:
        return trend, _("No trend verdict: too few registrations.")
    return trend, ""
