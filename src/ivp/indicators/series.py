"""An indicator's series for one area (or the whole base team): counts, populations in matching
boundaries, rates with exact intervals, and the verdict on each change and on the trend.

Honesty rules (issue #3): no figure is estimated; a rate is shown only with a population in the
same boundaries as the figure, otherwise the point says why; "no data" is an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from ivp.areas.boundaries import boundaries_match
from ivp.areas.models import Area, Population
from ivp.stats.change import Change, compare_periods
from ivp.stats.poisson import exact_interval, rate_interval
from ivp.stats.trend import Trend, poisson_trend

from .cache import CURRENT, memoised, token_or_current
from .definitions import INDICATORS, Indicator, SourceSeries
from .models import Observation

BASE_TEAM = "basisteam"
LEVEL = 0.95


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

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    @property
    def verdict(self) -> str | None:
        return str(self.change.verdict) if self.change else None


@dataclass
class Series:
    indicator: Indicator
    area_code: str
    area_name: str
    level: str
    source: SourceSeries | None
    points: list[Point] = field(default_factory=list)
    no_data_reason: str = ""
    trend: Trend | None = None
    other_sources: list[str] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return any(p.count is not None for p in self.points)

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
                    lambda: _compute_series(indicator_code, area_code, by_month=by_month), token=token)


def _compute_series(indicator_code: str, area_code: str, *, by_month: bool) -> Series:
    indicator = INDICATORS[indicator_code]
    if area_code == BASE_TEAM:
        members = base_team_areas()
        series = Series(indicator, BASE_TEAM, _("Base team (all municipalities)"), BASE_TEAM, None)
        level = "gemeente"
    else:
        area = Area.objects.defer("geometry").get(code=area_code)
        members = [area]
        series = Series(indicator, area.code, area.name, area.level, None)
        level = area.level
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
        tables = ", ".join(s.table for s in candidates) or indicator.production_source
        series.no_data_reason = _(
            "No data for this area level in the imported figures. In production this indicator comes from %(src)s."
        ) % {"src": tables if candidates else indicator.production_source}
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
            points.append(Point(year, None, None, None, population, pop_year, None, None, None, why, month=month))
            continue
        c_low, c_up = exact_interval(count, LEVEL)
        if population:
            rate = rate_interval(count, population, per=indicator.per, level=LEVEL)
            points.append(Point(year, count, c_low, c_up, population, pop_year, rate.rate, rate.lower, rate.upper,
                                note, month=month))
        else:
            points.append(Point(year, count, c_low, c_up, None, None, None, None, None, note, month=month))
    series.points = _with_changes(points)
    usable = [(p.year, p.count, p.population or 1) for p in series.points if p.count is not None]
    same_exposure = all(p.population for p in series.points if p.count is not None) or len({u[2] for u in usable}) == 1
    if not by_month and same_exposure and len(usable) >= 3:
        series.trend = poisson_trend(usable, level=LEVEL)
    return series


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


def _with_changes(points: list[Point]) -> list[Point]:
    """Each point compared with the same period one year earlier (the previous year, or the same month)."""
    by_period = {(p.year, p.month): p for p in points if p.count is not None}
    result = []
    for point in points:
        change = None
        previous = by_period.get((point.year - 1, point.month))
        if previous is not None and point.count is not None:
            if point.population and previous.population:
                change = compare_periods(previous.count, previous.population, point.count, point.population, LEVEL)
            else:
                change = compare_periods(previous.count, 1, point.count, 1, LEVEL)
        result.append(Point(**{**point.__dict__, "change": change}))
    return result
