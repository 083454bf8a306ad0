"""The coverage matrix: theme x focus lens x municipality, with the number of activities and their
planned budget per cell; and the wijken that stand out in the figures, with whether any activity
addresses them.

Counting rules (also shown on the page):
- an activity counts in every theme it serves and in every lens it serves, so cell budgets do not
  add up to a total; a theme counts the activities of its sub-themes too;
- stopped activities do not count (they no longer cover anything); completed ones do;
- a theme an execution plan marks "not applicable here" is not an empty cell but a choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ivp.areas.models import Area, AreaLevel, Population
from ivp.core.models import Organisation
from ivp.core.selectors import municipalities_in_full_for_user
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.labels import FUNNEL_LABELS
from ivp.indicators.models import Observation
from ivp.indicators.series import base_team_areas
from ivp.plans.models import FocusLens, Plan, Theme
from ivp.stats.funnel import FunnelCode
from ivp.stats.funnel import flag as funnel_flag

from .models import Activity, ActivityStatus, ThemeAdjustment
from .selectors import execution_plans_for_user

STANDING_OUT = (FunnelCode.ABOVE_95, FunnelCode.ABOVE_998)


@dataclass
class Cell:
    activities: int = 0
    planned_budget_cents: int = 0
    not_applicable: bool = False
    no_plan: bool = False

    @property
    def empty(self) -> bool:
        return self.activities == 0 and not self.not_applicable


@dataclass
class Column:
    """One owner of execution plans: a municipality, or the base team (municipality None)."""

    municipality: Organisation | None
    has_plan: bool

    @property
    def key(self) -> int | None:
        return self.municipality.pk if self.municipality else None

    @property
    def name(self) -> str:
        return self.municipality.name if self.municipality else _("Base team (shared)")

    @property
    def cbs_code(self) -> str:
        return self.municipality.cbs_code if self.municipality else ""


@dataclass
class Coverage:
    plan: Plan
    period_start: int
    lenses: list[FocusLens]
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)  # {"theme", "cells": [[Cell per lens] per column]}
    wijken: dict = field(default_factory=dict)

    @property
    def empty_cells(self) -> int:
        return sum(1 for row in self.rows for cells in row["cells"] for cell in cells if cell.empty)


def coverage_matrix(user, plan: Plan, period_start: int) -> Coverage:
    """The matrix for the execution plans of one period that the user may read."""
    lenses = list(plan.focus_lenses.order_by("number"))
    themes = list(Theme.objects.filter(plan=plan).order_by("order"))
    plans = list(execution_plans_for_user(user).filter(plan=plan, period_start=period_start))
    owners = [None, *municipalities_in_full_for_user(user)]
    with_plan = {p.municipality_id for p in plans}
    columns = [Column(m, (m.pk if m else None) in with_plan) for m in owners]
    not_applicable = {(a.execution_plan.municipality_id, a.theme_id) for a in ThemeAdjustment.objects.filter(
        execution_plan__in=plans, not_applicable=True).select_related("execution_plan")}
    counted: dict[tuple, Cell] = {}
    activities = (Activity.objects.for_user(user).filter(execution_plan__in=plans)
                  .exclude(status=ActivityStatus.STOPPED).prefetch_related("themes", "focus_lenses"))
    for activity in activities:
        theme_ids = set()
        for theme in activity.themes.all():
            theme_ids.add(theme.pk)
            if theme.parent_id:
                theme_ids.add(theme.parent_id)
        for theme_id in theme_ids:
            for lens in activity.focus_lenses.all():
                cell = counted.setdefault((activity.municipality_id, theme_id, lens.pk), Cell())
                cell.activities += 1
                cell.planned_budget_cents += activity.planned_budget_cents
    coverage = Coverage(plan, period_start, lenses, columns)
    for theme in themes:
        cells = []
        for column in columns:
            per_lens = []
            for lens in lenses:
                cell = counted.get((column.key, theme.pk, lens.pk)) or Cell()
                cell.not_applicable = (column.key, theme.pk) in not_applicable
                cell.no_plan = not column.has_plan
                per_lens.append(cell)
            cells.append(per_lens)
        coverage.rows.append({"theme": theme, "cells": cells})
    coverage.wijken = standout_wijken(user, [c.municipality for c in columns if c.municipality], plans)
    return coverage


def standout_wijken(user, municipalities: list[Organisation], execution_plans, *,
                    indicator_code: str = "crime_total") -> dict:
    """Per wijk of these municipalities: registered crime in the latest year with buurt populations
    (the wijk's buurten summed), flagged against the rate of all buurten of the base team (as on the
    figures dashboard); a wijk stands out when it, or one of its buurten, lies above the funnel. For
    each wijk that stands out: the activities of these execution plans that take place there."""
    result = {"rows": [], "year": None, "reason": "", "source": ""}
    source = next(iter(INDICATORS[indicator_code].sources_for("buurt")), None)
    team_buurten = Area.objects.filter(level=AreaLevel.NEIGHBOURHOOD, parent__parent__in=base_team_areas())
    pops = Population.objects.filter(area__in=team_buurten, source_table="85984NED")
    if source is None or not pops.exists():
        result["reason"] = _("No figures per neighbourhood are available, so no wijk can be marked as standing out.")
        return result
    year = pops.order_by("-year").first().year
    population = {p.area_id: p.value for p in pops.filter(year=year)}
    counts = {}
    for o in Observation.objects.filter(table=source.table, category__in=source.categories, area__in=team_buurten,
                                        year=year, month=0):
        if o.value is not None:
            counts[o.area_id] = counts.get(o.area_id, 0) + o.value
    usable = {a for a in counts if population.get(a)}
    team_pop = sum(population[a] for a in usable)
    result.update(year=year, source=source.table)
    if not team_pop:
        result["reason"] = _("No figures per neighbourhood for %(year)d.") % {"year": year}
        return result
    target = 1000 * sum(counts[a] for a in usable) / team_pop
    activities = (Activity.objects.for_user(user).filter(execution_plan__in=list(execution_plans))
                  .exclude(status=ActivityStatus.STOPPED).prefetch_related("wijken"))
    by_wijk: dict[int, list[Activity]] = {}
    for activity in activities:
        for wijk in activity.wijken.all():
            by_wijk.setdefault(wijk.pk, []).append(activity)
    wijken = Area.objects.filter(level=AreaLevel.DISTRICT, parent__organisation__in=municipalities).select_related(
        "parent__organisation").prefetch_related("children").order_by("parent__name", "code")
    for wijk in wijken:
        buurten = [b for b in wijk.children.all() if b.pk in usable]
        if not buurten:
            continue
        count, inhabitants = sum(counts[b.pk] for b in buurten), sum(population[b.pk] for b in buurten)
        wijk_flag = funnel_flag(count, inhabitants, target)
        flagged_buurten = [b for b in buurten if funnel_flag(counts[b.pk], population[b.pk], target).code
                           in STANDING_OUT]
        if wijk_flag.code not in STANDING_OUT and not flagged_buurten:
            continue
        serving = by_wijk.get(wijk.pk, [])
        result["rows"].append({
            "wijk": wijk, "municipality": wijk.parent.organisation, "count": count, "population": inhabitants,
            "rate": wijk_flag.rate, "flag_code": str(wijk_flag.code), "flag": str(FUNNEL_LABELS[str(wijk_flag.code)]),
            "buurten": flagged_buurten, "activities": serving, "addressed": bool(serving),
        })
    # Wijken that stand out as a whole first, then those with a neighbourhood that does.
    result["rows"].sort(key=lambda r: (r["flag_code"] not in STANDING_OUT, r["municipality"].name, r["wijk"].code))
    result["target"] = target
    return result
