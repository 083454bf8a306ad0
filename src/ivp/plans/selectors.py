"""Reads of plan data. Municipality-owned rows only through `for_user()`."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ivp.core.access import access_for

from .models import PUBLIC_PLAN_STATUSES, Adoption, LocalPriority, Plan, Theme


def plans_for_user(user) -> QuerySet[Plan]:
    """Plan versions the user may read: the public ones for anonymous visitors, all when signed in."""
    qs = Plan.objects.select_related("base_team")
    if not access_for(user).authenticated:
        qs = qs.filter(status__in=PUBLIC_PLAN_STATUSES)
    return qs


def current_plan(user, key: str | None = None) -> Plan | None:
    """The plan in force: the newest version that is not a proposal (ADR 0015)."""
    qs = plans_for_user(user).filter(is_proposal=False)
    if not key:
        newest = qs.order_by("-created_at", "-version").first()
        if newest is None:
            return None
        key = newest.key
    # Within a plan the version number decides (a promoted proposal may be older than a reloaded version 1).
    return qs.filter(key=key).order_by("-version").first()


def is_current_version(plan: Plan) -> bool:
    """The newest version of its plan that is not a proposal: execution plans, local priorities and adoptions of it
    may be edited; older versions are read-only."""
    return not plan.is_proposal and not Plan.objects.filter(
        key=plan.key, version__gt=plan.version, is_proposal=False).exists()


def is_editable_version(plan: Plan) -> bool:
    """Local priorities may be edited in the current version and in a proposal that is still a concept."""
    return plan.is_draft_proposal or is_current_version(plan)


def proposals_for_user(user) -> QuerySet[Plan]:
    """Proposed versions (re-prioritisations and next periods) not yet in force, newest first."""
    return plans_for_user(user).filter(is_proposal=True).order_by("-created_at", "-version")


def open_proposal(key: str) -> Plan | None:
    """The open proposal of a plan (at most one per key)."""
    return Plan.objects.filter(key=key, is_proposal=True).first()


def themes_of(plan: Plan) -> list[Theme]:
    """Top-level themes with their sub-themes and statements, in plan order."""
    return list(
        Theme.objects.filter(plan=plan, parent__isnull=True)
        .prefetch_related("statements", Prefetch("sub_themes", queryset=Theme.objects.prefetch_related("statements")))
        .order_by("order")
    )


def adoptions_for_user(user, plan: Plan) -> QuerySet[Adoption]:
    return Adoption.objects.for_user(user).filter(plan=plan).select_related("municipality").order_by("order")


def local_priorities_for_user(user) -> QuerySet[LocalPriority]:
    return LocalPriority.objects.for_user(user).select_related("plan", "municipality")
