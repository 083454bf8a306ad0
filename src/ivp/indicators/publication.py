"""The one publication gate: whether, and how, a viewer may see a figure (ADR 0011).

Every output that shows a registered figure (dashboard card, indicator page, chart, map, neighbourhood table,
funnel plot, comparison of the municipalities, council report, export, API, command line) asks a `FigureGate` made
for its viewer. Nothing else decides it, so suppression cannot be undone by an output that forgot a rule.

The gate applies two rules for the **public audience**: anonymous visitors, councillors and partners, and every
council report (a report leaves the building). The **internal audience** (coordinator, advisors, police, OM: the
people who write and co-sign the duiding) sees every figure, with a warning where no duiding is published yet.

1. *Duiding first* (ADR 0003). A figure is public only when a published interpretation covers it: one written for
   that indicator, area and a period ending in or after the figure's year (a duiding of 2024 interprets the series
   up to 2024; newer figures wait for theirs). A table needs its own: the neighbourhoods of a municipality for a
   year (its table, map and funnel plot, and the wijk and buurt pages of that indicator), the comparison of the
   municipalities for a year.
2. *Disclosure control* (ivp.stats.disclosure). Counts of 1-4 are hidden, and so are the cells that would give them
   back by subtraction from a total the same viewer sees (base team = municipalities, municipality = wijken, wijk =
   buurten, per table, indicator and year). A hidden count hides everything computed from it: its rate, interval,
   chart point, map colour, funnel point, the change verdicts next to it and the trend of its series.

Small areas (fewer than MIN_POPULATION_FOR_RATE inhabitants) get no rate and no flag for anybody: that is a rule of
the method, applied where rates are computed (ivp.indicators.dashboard), not a publication rule.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ivp import notation
from ivp.areas.models import Area
from ivp.core.access import access_for
from ivp.stats.disclosure import CellStatus, Relation, protect
from ivp.stats.small_areas import count_band
from ivp.stats.trend import Trend

from .cache import CURRENT, memoised, token_or_current
from .definitions import SourceSeries
from .models import Interpretation, InterpretationScope, Observation
from .periods import period_end_year
from .series import BASE_TEAM, Point, Series, base_team_areas


def hidden_text() -> str:
    """What a hidden count shows: the same for primary and secondary suppression, so that a reader cannot tell
    which hidden cell is the small one."""
    return _("hidden")


@dataclass(frozen=True)
class ViewPoint:
    """A series point as one viewer may see it: a hidden count hides everything derived from it."""

    point: Point
    hidden: bool = False
    verdict_hidden: bool = False
    small_area: bool = False  # the area has too few inhabitants for more than a range of the count

    @property
    def count_text(self) -> str:
        """The count as shown: hidden, as a range (small areas) or in full."""
        if self.point.count is None:
            return "-"
        if self.hidden:
            return hidden_text()
        return count_band(self.point.count) if self.small_area else notation.integer(self.point.count)

    def __getattr__(self, name):  # period, year, month, population, note, change, p_adjusted, ...
        return getattr(self.point, name)

    @property
    def count(self) -> int | None:
        return None if self.hidden else self.point.count

    @property
    def published(self) -> bool:
        """The source published a figure for this period (shown, or hidden by disclosure control)."""
        return self.point.count is not None

    @property
    def rate(self):
        return None if self.hidden else self.point.rate

    @property
    def lower(self):
        return None if self.hidden else self.point.lower

    @property
    def upper(self):
        return None if self.hidden else self.point.upper

    @property
    def count_lower(self):
        return None if self.hidden else self.point.count_lower

    @property
    def count_upper(self):
        return None if self.hidden else self.point.count_upper

    @property
    def verdict(self) -> str | None:
        return None if self.hidden or self.verdict_hidden else self.point.verdict


@dataclass
class SeriesView:
    """What a viewer may see of a series: the covered periods, with hidden counts hidden."""

    series: Series
    points: list[ViewPoint] = field(default_factory=list)
    hidden_reason: str = ""  # nothing of this figure is shown: why
    withheld_note: str = ""  # newer periods exist that no published duiding covers yet
    trend: Trend | None = None
    trend_note: str = ""
    covered_until: int | None = None  # the last year a published duiding covers (None: internal view)

    @property
    def latest(self) -> ViewPoint | None:
        shown = [p for p in self.points if p.published]
        return shown[-1] if shown else None

    @property
    def any_hidden(self) -> bool:
        return any(p.hidden for p in self.points)


class FigureGate:
    """The publication decisions for one viewer (build one per request or report; it reads the published
    interpretations once)."""

    def __init__(self, user=None, *, internal: bool | None = None, token: str | None | object = CURRENT):
        self.user = user
        self.internal = access_for(user).sees_internal_figures if internal is None else internal
        self.token = token_or_current(token)
        self._covered: dict[tuple[str, str, str], int] | None = None

    @classmethod
    def public(cls, *, token: str | None | object = CURRENT) -> FigureGate:
        """The gate of the public audience (council reports, anonymous pages)."""
        return cls(None, internal=False, token=token)

    @property
    def audience(self) -> str:
        return "internal" if self.internal else "public"

    # --- rule 1: duiding ------------------------------------------------------------------------------------

    def _coverage(self) -> dict[tuple[str, str, str], int]:
        """{(indicator, area code or BASE_TEAM, scope): the last year covered by a published interpretation}."""
        if self._covered is None:
            covered: dict[tuple[str, str, str], int] = {}
            rows = (Interpretation.objects.for_user(self.user).filter(published=True)
                    .values_list("indicator", "area__code", "scope", "period"))
            for indicator, area_code, scope, period in rows:
                end = period_end_year(period)
                if end is None:
                    continue
                key = (indicator, area_code or BASE_TEAM, scope)
                covered[key] = max(end, covered.get(key, end))
            self._covered = covered
        return self._covered

    def covered_until(self, indicator: str, area_code: str, *,
                      scope: str = InterpretationScope.FIGURE) -> int | None:
        """The last year a published interpretation covers for this figure (or table); None: none does. For a wijk
        or buurt, the interpretation of its municipality's neighbourhoods covers it too."""
        coverage = self._coverage()
        found = [coverage.get((indicator, area_code, scope))]
        if scope == InterpretationScope.FIGURE and area_code.startswith(("WK", "BU")):
            municipality = _municipality_of_code(area_code)
            if municipality:
                found.append(coverage.get((indicator, municipality, InterpretationScope.NEIGHBOURHOODS)))
        years = [y for y in found if y is not None]
        return max(years) if years else None

    def table_visible(self, scope: str, indicator: str, area_code: str, year: int) -> bool:
        """May this viewer see a table (neighbourhoods of a municipality, comparison of the municipalities)?"""
        if self.internal:
            return True
        until = self.covered_until(indicator, area_code, scope=scope)
        return until is not None and year <= until

    def table_reason(self, scope: str) -> str:
        if scope == InterpretationScope.COMPARISON:
            return _("The comparison of the municipalities is shown publicly once an interpretation (duiding) of it "
                     "is published.")
        return _("The figures per neighbourhood are shown publicly once an interpretation (duiding) of them is "
                 "published.")

    # --- rule 2: disclosure control -------------------------------------------------------------------------

    def cell_hidden(self, indicator: str, source: SourceSeries | None, area_code: str, year: int,
                    month: int = 0) -> bool:
        """Is this count hidden from this viewer (a small count, or one that would give a small count back)?"""
        if self.internal or source is None or source.rounding:
            return False  # rounded sources (CBS) did their own disclosure control
        statuses = protected_cells(indicator, source, year, month, token=self.token)
        status = statuses.get(area_code)
        return status is not None and status in (CellStatus.PRIMARY, CellStatus.SECONDARY)

    # --- one series ---------------------------------------------------------------------------------------

    def series(self, series: Series) -> SeriesView:
        """The series as this viewer may see it."""
        view = SeriesView(series, trend=series.trend, trend_note=series.trend_note)
        points = series.points
        if not self.internal:
            if any(p.month for p in points):
                view.hidden_reason = _("Monthly figures are shown to the safety partners only; the public sees "
                                       "yearly figures with their interpretation.")
                return view
            until = self.covered_until(series.indicator.code, series.area_code)
            view.covered_until = until
            if series.has_data and until is None:
                view.hidden_reason = _("This figure is shown publicly once an interpretation (duiding) is "
                                       "published.")
                return view
            newer = [p for p in points if p.count is not None and until is not None and p.year > until]
            if newer:
                view.withheld_note = _("Figures after %(year)d are shown once their interpretation is published.") % {
                    "year": until}
            points = [p for p in points if until is None or p.year <= until]
        hidden = {(p.year, p.month) for p in points if p.count is not None
                  and self.cell_hidden(series.indicator.code, series.source, series.area_code, p.year, p.month)}
        # A change verdict compares with the year before: hidden when either count is.
        view.points = [ViewPoint(p, hidden=(p.year, p.month) in hidden, verdict_hidden=(p.year - 1, p.month) in hidden,
                                 small_area=series.small_area) for p in points]
        if not self.internal and (hidden or len(points) != len(series.points)):
            # A trend fitted on hidden or not yet interpreted years would give those figures away (or pre-empt
            # their duiding): no trend on the public view then.
            view.trend = None
            view.trend_note = (_("No trend: some figures of this series are hidden to protect small numbers.")
                               if hidden else "")
        return view

    def notes_key(self, area_code: str) -> tuple:
        """What this gate's decisions for an area depend on besides the figures' token: the audience and the
        published coverage (a cache-key part)."""
        if self.internal:
            return ("internal",)
        coverage = self._coverage()
        return ("public", *sorted((k, v) for k, v in coverage.items()))


def _municipality_of_code(area_code: str) -> str:
    area = Area.objects.filter(code=area_code).select_related("parent", "parent__parent").defer(
        "geometry", "parent__geometry", "parent__parent__geometry").first()
    while area is not None and area.level != "gemeente":
        area = area.parent
    return area.code if area is not None else ""


# --- the protected tables ---------------------------------------------------------------------------------------

def protected_cells(indicator: str, source: SourceSeries, year: int, month: int = 0, *,
                    token: str | None | object = CURRENT) -> dict[str, CellStatus]:
    """{area code (BASE_TEAM for the base team): status} for one table, indicator and period of the base team's
    hierarchy (municipalities, their wijken and buurten), cached under the figures' token."""
    token = token_or_current(token)
    return memoised("protected", (indicator, source.table, source.categories, year, month),
                    lambda: _protect_table(source, year, month), token=token)


def _protect_table(source: SourceSeries, year: int, month: int) -> dict[str, CellStatus]:
    municipalities = base_team_areas()
    with_buurten = "buurt" in source.levels
    buurten = list(Area.objects.filter(level="buurt", parent__parent__in=municipalities)
                   .values_list("pk", "code", "parent_id", "parent__code", "parent__parent_id")) if with_buurten else []
    ids = [m.pk for m in municipalities] + [b[0] for b in buurten]
    sums: dict[int, list] = {}
    for area_id, value in Observation.objects.filter(
            table=source.table, category__in=source.categories, area_id__in=ids, year=year, month=month
    ).values_list("area_id", "value"):
        entry = sums.setdefault(area_id, [0, 0])
        entry[0] += 1
        entry[1] = None if value is None or entry[1] is None else entry[1] + value

    def count_of(area_id) -> int | None:
        entry = sums.get(area_id)
        return None if entry is None or entry[0] < len(source.categories) else entry[1]

    counts: dict[Hashable, int | None] = {}
    relations: list[Relation] = []
    wijken: dict[str, list[str]] = {}
    wijk_parent: dict[str, int | None] = {}
    for pk, code, _wijk_id, wijk_code, municipality_id in buurten:
        counts[code] = count_of(pk)
        wijken.setdefault(wijk_code, []).append(code)
        wijk_parent[wijk_code] = municipality_id
    for wijk_code, parts in wijken.items():
        counts[wijk_code] = _total([counts[p] for p in parts])
        relations.append(Relation(wijk_code, tuple(parts)))
    for municipality in municipalities:
        own_wijken = tuple(w for w, parent in wijk_parent.items() if parent == municipality.pk)
        if "gemeente" in source.levels:
            counts[municipality.code] = count_of(municipality.pk)
        else:
            counts[municipality.code] = _total([counts[w] for w in own_wijken])
        if own_wijken:
            relations.append(Relation(municipality.code, own_wijken))
    counts[BASE_TEAM] = _total([counts[m.code] for m in municipalities])
    relations.append(Relation(BASE_TEAM, tuple(m.code for m in municipalities)))
    return {str(key): status for key, status in protect(counts, relations).items()}


def _total(values: list[int | None]) -> int | None:
    """The sum of the parts, or None when there are none or one is not published (a total would be a guess)."""
    known = [v for v in values if v is not None]
    return sum(known) if values and len(known) == len(values) else None

