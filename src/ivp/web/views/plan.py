"""Pages of the shared plan: overview, versions, themes."""

from django.shortcuts import get_object_or_404, render

from ivp.core.access import access_for
from ivp.plans.models import Theme
from ivp.plans.selectors import (
    adoptions_for_user,
    current_plan,
    is_current_version,
    plans_for_user,
    proposals_for_user,
    themes_of,
)


def _plan_context(request, plan):
    return {
        "plan": plan,
        "is_current": is_current_version(plan),
        "themes": themes_of(plan),
        "focus_lenses": plan.focus_lenses.all(),
        "general_goals": plan.general_goals.all(),
        "principles": plan.principles.all(),
        "adoptions": adoptions_for_user(request.user, plan),
        # Proposed versions (ADR 0015): the re-prioritisation of this plan and the next period's plan.
        "proposals": list(proposals_for_user(request.user)) if is_current_version(plan) else [],
        "can_propose": access_for(request.user).can_edit_shared_plan and is_current_version(plan),
    }


def plan_overview(request):
    plan = current_plan(request.user)
    if plan is None:
        return render(request, "web/no_plan.html", status=200)
    return render(request, "web/plan_overview.html", _plan_context(request, plan))


def plan_version(request, key: str, version: int):
    plan = get_object_or_404(plans_for_user(request.user), key=key, version=version)
    return render(request, "web/plan_overview.html", _plan_context(request, plan))


def plan_versions(request):
    plans = plans_for_user(request.user).order_by("key", "-version")
    return render(request, "web/plan_versions.html", {"plans": plans})


def theme_detail(request, pk: int):
    readable_plans = plans_for_user(request.user)
    theme = get_object_or_404(
        Theme.objects.filter(plan__in=readable_plans).select_related("plan", "parent").prefetch_related(
            "statements", "sub_themes__statements"
        ),
        pk=pk,
    )
    return render(request, "web/theme_detail.html", {"theme": theme, "plan": theme.plan,
                                                     "is_current": is_current_version(theme.plan)})
