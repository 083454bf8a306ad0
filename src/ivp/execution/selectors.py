"""Reads of execution data. Execution plans and activities only through `for_user()`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from ivp.core.models import Organisation, User
from ivp.core.selectors import editors_of, municipalities_in_full_for_user
from ivp.plans.models import LocalPriority, Plan, Theme

from .models import Activity, ActivityStatus, ExecutionPlan, ThemeAdjustment


def periods_of(plan: Plan) -> list[tuple[int, int]]:
    """The two-year execution periods of a plan: 2023-2026 gives (2023, 2024) and (2025, 2026)."""
    return [(start, min(start + 1, plan.period_end)) for start in range(plan.period_start, plan.period_end + 1, 2)]


def current_period_start(plan: Plan, today: dt.date | None = None) -> int:
    """The period that contains today; before the plan its first period, after it its last."""
    year = (today or timezone.localdate()).year
    periods = periods_of(plan)
    for start, end in periods:
        if start <= year <= end:
            return start
    return periods[0][0] if year < periods[0][0] else periods[-1][0]


def execution_plans_for_user(user) -> QuerySet[ExecutionPlan]:
    return ExecutionPlan.objects.for_user(user).select_related("plan", "municipality")


def activities_for_user(user) -> QuerySet[Activity]:
    return Activity.objects.for_user(user).select_related("execution_plan__plan", "municipality", "owner")


def eligible_owners(municipality: Organisation | None) -> QuerySet[User]:
    """Who can own an activity: who may edit its execution plan (ivp.core.selectors.editors_of)."""
    return editors_of([] if municipality is None else [municipality.pk])


@dataclass
class ThemeRow:
    theme: Theme
    adjustment: ThemeAdjustment | None
    activities: list[Activity] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.adjustment is None or self.adjustment.is_inherited:
            return "inherited"
        return "not_applicable" if self.adjustment.not_applicable else "adjusted"


def execution_plan_rows(execution_plan: ExecutionPlan) -> dict:
    """The execution plan as it reads: every shared theme (inherited, adjusted or not applicable) with
    the activities serving it, then the local priorities taken on, then activities linked to neither."""
    adjustments = {a.theme_id: a for a in execution_plan.adjustments.all()}
    activities = list(
        execution_plan.activities.select_related("owner")
        .prefetch_related("themes", "local_priorities", "focus_lenses")
        .order_by("title", "id"))
    themes = Theme.objects.filter(plan=execution_plan.plan_id).order_by("order")
    rows = []
    for theme in themes:
        serving = [a for a in activities if any(t.pk == theme.pk for t in a.themes.all())]
        rows.append(ThemeRow(theme, adjustments.get(theme.pk), serving))
    priorities = []
    for priority in execution_plan.local_priorities.order_by("order", "id"):
        serving = [a for a in activities if any(p.pk == priority.pk for p in a.local_priorities.all())]
        priorities.append({"priority": priority, "activities": serving})
    unlinked = [a for a in activities if not a.themes.all() and not a.local_priorities.all()]
    return {"themes": rows, "priorities": priorities, "unlinked": unlinked, "activities": activities}


def available_local_priorities(user, execution_plan: ExecutionPlan) -> QuerySet[LocalPriority]:
    if execution_plan.municipality_id is None:
        return LocalPriority.objects.none()
    return LocalPriority.objects.for_user(user).filter(plan=execution_plan.plan_id,
                                                       municipality=execution_plan.municipality_id)


def umbrella(user, plan: Plan, period_start: int) -> dict:
    """All execution plans of one period side by side: the base team's and those of every municipality
    the user reads in full (all five for the coordinator, police and OM; a municipal user's own)."""
    municipalities = list(municipalities_in_full_for_user(user))
    plans = {p.municipality_id: p for p in execution_plans_for_user(user).filter(plan=plan, period_start=period_start)
             .prefetch_related("adjustments", "local_priorities")}
    columns: list[dict] = [{"municipality": None, "execution_plan": plans.get(None)}]
    columns += [{"municipality": m, "execution_plan": plans.get(m.pk)} for m in municipalities]
    # Counted as the coverage matrix counts (ivp.execution.coverage): running and completed activities, stopped ones
    # not; a theme also counts the activities of its sub-themes (each activity once per theme).
    counts: dict[tuple[int, int], int] = {}
    for activity in (Activity.objects.for_user(user).filter(execution_plan__in=plans.values())
                     .exclude(status=ActivityStatus.STOPPED).prefetch_related("themes")):
        theme_ids = set()
        for theme in activity.themes.all():
            theme_ids.add(theme.pk)
            if theme.parent_id:
                theme_ids.add(theme.parent_id)
        for theme_id in theme_ids:
            key = (activity.execution_plan_id, theme_id)
            counts[key] = counts.get(key, 0) + 1
    rows = []
    for theme in Theme.objects.filter(plan=plan).order_by("order"):
        cells: list[dict] = []
        for column in columns:
            execution_plan = column["execution_plan"]
            if execution_plan is None:
                cells.append({"state": "missing"})
                continue
            adjustment = next((a for a in execution_plan.adjustments.all() if a.theme_id == theme.pk), None)
            row = ThemeRow(theme, adjustment)
            cells.append({"state": row.state, "adjustment": adjustment,
                          "activities": counts.get((execution_plan.pk, theme.pk), 0)})
        rows.append({"theme": theme, "cells": cells})
    return {"columns": columns, "rows": rows}


def sort_stale_first(activities, *, now: dt.datetime | None = None, days: int | None = None) -> list[Activity]:
    """Stale activities first, then by the oldest update; each gets `.stale` set for the template."""
    now = now or timezone.now()
    days = settings.IVP_STALE_AFTER_DAYS if days is None else days
    items = list(activities)
    for activity in items:
        activity.stale = activity.is_stale(now=now, days=days)
    return sorted(items, key=lambda a: (not a.stale, not a.is_active, a.last_update_at or a.created_at, a.pk))


def my_activities(user) -> list[Activity]:
    """The activities this user owns (and may read), stale ones first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return sort_stale_first(activities_for_user(user).filter(owner=user))
