"""The coverage matrix: theme x focus lens x municipality, with the number of activities and their
planned budget per cell; and the wijken that stand out in the figures, with whether any activity
addresses them.

Counting rules (also shown on the page):
- an activity counts in every theme it serves and in every lens it serves, so cell budgets do not
  add up to a total; a theme counts the activities of its sub-themes too;
- stopped activities do not count (they no longer cover anything); completed ones do;
- a theme an execution plan marks "not applicable here" is not an empty cell but a choice.

An empty cell ("lege cel") has one definition (`Cell.empty`, `EMPTY_CELL_DEFINITION`), used by the coverage page and
the council reports alike; what differs between them is only the scope, which both state (`empty_scope`): the page
counts the execution plans the viewer reads, a municipality's report that municipality's, the base-team report all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ivp.areas.models import Area, AreaLevel
from ivp.core.models import Organisation
from ivp.core.selectors import municipalities_in_full_for_user
from ivp.indicators.dashboard import neighbourhood_figures
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.labels import FUNNEL_LABELS
from ivp.indicators.models import InterpretationScope
from ivp.indicators.publication import FigureGate
from ivp.notation import integer as notation_integer
from ivp.plans.models import FocusLens, Plan, Theme
from ivp.stats.funnel import FunnelCode

from .models import Activity, ActivityStatus, ThemeAdjustment
from .selectors import execution_plans_for_user

STANDING_OUT = (str(FunnelCode.ABOVE_95), str(FunnelCode.ABOVE_998))


EMPTY_CELL_DEFINITION = gettext_lazy(
    "An empty cell is a combination of a theme (or sub-theme) and a focus lens in one execution plan (of a "
    "municipality or of the base team) that no running or completed activity serves. A theme the execution plan "
    "marks as not applicable is not an empty cell, and where there is no execution plan for the period there are no "
    "cells to count.")


@dataclass
class Cell:
    activities: int = 0
    planned_budget_cents: int = 0
    not_applicable: bool = False
    no_plan: bool = False

    @property
    def empty(self) -> bool:
        """A "lege cel" (EMPTY_CELL_DEFINITION): in an existing execution plan, no activity, not "not applicable"."""
        return self.activities == 0 and not self.not_applicable and not self.no_plan


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
        return self.empty_cells_of()

    def empty_cells_of(self, keys=None) -> int:
        """Empty cells in the columns of these owners (municipality ids, None for the base team; default all)."""
        wanted = [i for i, column in enumerate(self.columns) if keys is None or column.key in set(keys)]
        return sum(1 for row in self.rows for i in wanted for cell in row["cells"][i] if cell.empty)

    def empty_by_column(self, keys=None) -> list[tuple[Column, int]]:
        """(column, empty cells) for the owners with an execution plan."""
        return [(column, self.empty_cells_of([column.key])) for column in self.columns
                if column.has_plan and (keys is None or column.key in set(keys))]

    def empty_scope(self, keys=None) -> str:
        """A count of empty cells with its scope, in words ("11 empty cells in the execution plan of Vught."), as the
        page and the reports say it beside the matrix."""
        parts = self.empty_by_column(keys)
        if not parts:
            return _("There is no execution plan for this period, so there are no cells to count.")
        total = sum(n for _column, n in parts)
        if len(parts) == 1:
            return ngettext("%(n)s empty cell in the execution plan of %(plan)s.",
                            "%(n)s empty cells in the execution plan of %(plan)s.", total) % {
                "n": notation_integer(total), "plan": parts[0][0].name}
        return ngettext("%(n)s empty cell in the execution plans of %(plans)s.",
                        "%(n)s empty cells in the execution plans of %(plans)s.", total) % {
            "n": notation_integer(total),
            "plans": "; ".join(f"{column.name}: {notation_integer(n)}" for column, n in parts)}


def coverage_matrix(user, plan: Plan, period_start: int, *, gate: FigureGate | None = None) -> Coverage:
    """The matrix for the execution plans of one period that the user may read; the figures of the wijken through
    `gate` (the viewer's by default; a council report passes the public one)."""
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
    coverage.wijken = standout_wijken(user, [c.municipality for c in columns if c.municipality], plans,
                                     gate=gate)
    return coverage


def standout_wijken(user, municipalities: list[Organisation], execution_plans, *,
                    indicator_code: str = "crime_total", gate: FigureGate | None = None) -> dict:
    """Per wijk of these municipalities: registered crime in the latest year (its buurten added up, its own CBS
    population), flagged against the rate of all wijken of the base team, with limits that allow for the usual
    spread between wijken (ivp.indicators.dashboard.neighbourhood_figures); a wijk stands out when it, or one of
    its buurten (flagged among the buurten), lies above its funnel. What is shown goes through the publication gate
    (`gate`, by default the viewer's): a municipality's wijken appear for the public audience only with a published
    interpretation of its neighbourhoods, and hidden counts stay hidden. For each wijk that stands out: the
    activities of these execution plans that take place there."""
    gate = gate or FigureGate(user)
    result = {"rows": [], "year": None, "reason": "", "source": "", "withheld": []}
    activities = (Activity.objects.for_user(user).filter(execution_plan__in=list(execution_plans))
                  .exclude(status=ActivityStatus.STOPPED).prefetch_related("wijken"))
    by_wijk: dict[str, list[Activity]] = {}
    for activity in activities:
        for wijk in activity.wijken.all():
            by_wijk.setdefault(wijk.code, []).append(activity)
    areas = {a.organisation_id: a for a in Area.objects.filter(level=AreaLevel.MUNICIPALITY,
                                                                organisation__in=municipalities).defer("geometry")}
    for municipality in municipalities:
        area = areas.get(municipality.pk)
        if area is None:
            continue
        wijken = neighbourhood_figures(area, indicator_code=indicator_code, level="wijk", token=gate.token)
        buurten = neighbourhood_figures(area, indicator_code=indicator_code, level="buurt", token=gate.token)
        if wijken.get("reason") or not wijken.get("rows"):
            result["reason"] = result["reason"] or wijken.get("reason", "")
            continue
        year = wijken["year"]
        result.update(year=year, source=wijken["source_table"])
        if not gate.table_visible(InterpretationScope.NEIGHBOURHOODS, indicator_code, area.code, year):
            result["withheld"].append(municipality.name)
            continue
        source = INDICATORS[indicator_code].sources[wijken["source_index"]]
        reliable = wijken["dispersion"].reliable

        def shown(row, source=source, year=year) -> bool:
            return row["rate"] is not None and not gate.cell_hidden(indicator_code, source, row["code"], year)

        flagged_buurten: dict[str, list[str]] = {}
        if buurten.get("rows") and buurten["dispersion"].reliable:
            for row in buurten["rows"]:
                if row["flag_code"] in STANDING_OUT and shown(row):
                    flagged_buurten.setdefault(row["parent"], []).append(row["name"])
        for row in wijken["rows"]:
            wijk_out = reliable and row["flag_code"] in STANDING_OUT and shown(row)
            if not wijk_out and not flagged_buurten.get(row["name"]):
                continue
            serving = by_wijk.get(row["code"], [])
            result["rows"].append({
                "wijk_name": row["name"], "code": row["code"], "municipality": municipality,
                "count": row["count"] if shown(row) else None, "population": row["population"],
                "rate": row["rate"] if shown(row) else None,
                "flag_code": row["flag_code"] if wijk_out else "",
                "flag": str(FUNNEL_LABELS[row["flag_code"]]) if wijk_out else "",
                "buurten": flagged_buurten.get(row["name"], []), "activities": serving, "addressed": bool(serving),
            })
        result["target"] = wijken["target"]
        result["buurt_target"] = buurten.get("target")
    if result["year"] is None and not result["reason"]:
        result["reason"] = _("No figures per neighbourhood are available, so no wijk can be marked as standing out.")
    if result["withheld"] and not result["rows"]:
        result["reason"] = _("The figures per wijk are shown once an interpretation (duiding) of the neighbourhoods "
                             "is published.")
    # Wijken that stand out as a whole first, then those with a neighbourhood that does.
    result["rows"].sort(key=lambda r: (r["flag_code"] not in STANDING_OUT, r["municipality"].name, r["code"]))
    return result
