"""Reads of execution data. Execution plans and activities only through `for_user()`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from ivp.core.models import Organisation, User
from ivp.core.selectors import editors_of, municipalities_in_full_for_user
from ivp.plans.models import LocalPriority, Plan, Theme
from ivp.plans.selectors import current_plan

from .asof import status_as_of
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


# --- Public activities (ADR 0020) ---------------------------------------------------------------------

BASE_TEAM_SCOPE = "basisteam"


@dataclass(frozen=True)
class PublicTheme:
    number: str
    code: str
    title: str


@dataclass(frozen=True)
class PublicActivity:
    """What may be shown publicly of an activity its municipality marked public: never the owner's name, the
    spending, the milestones, the partners' roles or an explanation that was not itself marked public."""

    id: int
    title: str
    description: str
    municipality_code: str | None  # CBS code; None: the base team's execution plan
    owner_organisation: str  # the municipality (or the base team) responsible, never a person
    period_start: int
    period_end: int
    themes: tuple[PublicTheme, ...]
    local_priorities: tuple[str, ...]
    focus_lenses: tuple[str, ...]
    status: str  # an ActivityStatus value; "" when there was no status update on or before `status_as_of`
    status_label: str
    status_date: dt.date | None  # the as-of date of the status update shown
    status_as_of: dt.date  # the date the status is given for
    narrative: str  # the explanation of that status update when it was marked public, else ""
    planned_budget_cents: int
    start_date: dt.date | None
    end_date: dt.date | None

    @property
    def period_label(self) -> str:
        return f"{self.period_start}-{self.period_end}"


def public_activities(*, municipality: Organisation | str | None = None,
                      as_of: dt.date | None = None) -> list[PublicActivity]:
    """The activities marked public (`Activity.is_public`) of the current plan version, with their status as of
    `as_of` (default today; ivp.execution.asof.status_as_of).

    `municipality`: an Organisation or its CBS code (that municipality's activities), "basisteam" (the base team's
    execution plan), None (all). Readable by anyone: this is the one public read of execution data, so it returns
    plain values, never model instances from which more could be reached."""
    day = as_of or timezone.localdate()
    plan = current_plan(AnonymousUser())  # the current public plan version
    if plan is None:
        return []
    queryset = Activity.objects.filter(is_public=True, execution_plan__plan=plan)
    if municipality == BASE_TEAM_SCOPE:
        queryset = queryset.filter(municipality__isnull=True)
    elif isinstance(municipality, str):
        queryset = queryset.filter(municipality__cbs_code=municipality.upper())
    elif municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    queryset = (queryset.select_related("execution_plan", "municipality")
                .prefetch_related("themes", "local_priorities", "focus_lenses", "status_updates")
                .order_by("municipality__name", "execution_plan__period_start", "title", "id"))
    base_team_name = plan.base_team.name if plan.base_team_id else ""
    result = []
    for activity in queryset:
        update = status_as_of(activity.status_updates.all(), day)
        status = update.status if update else ""
        owner = activity.municipality
        result.append(PublicActivity(
            id=activity.pk, title=activity.title, description=activity.description,
            municipality_code=owner.cbs_code if owner is not None else None,
            owner_organisation=owner.name if owner is not None else base_team_name,
            period_start=activity.execution_plan.period_start, period_end=activity.execution_plan.period_end,
            themes=tuple(PublicTheme(t.number, t.code, t.title) for t in sorted(activity.themes.all(),
                                                                               key=lambda t: t.order)),
            local_priorities=tuple(p.title for p in sorted(activity.local_priorities.all(), key=lambda p: p.order)),
            focus_lenses=tuple(lens.name for lens in sorted(activity.focus_lenses.all(), key=lambda x: x.number)),
            status=status, status_label=str(ActivityStatus(status).label) if status else "",
            status_date=update.as_of if update else None, status_as_of=day,
            narrative=update.narrative if update and update.narrative_public else "",
            planned_budget_cents=activity.planned_budget_cents,
            start_date=activity.start_date, end_date=activity.end_date))
    return result
