"""Execution pages: execution plans (per municipality, the base team's, all side by side), activities
with their status history and milestones, "mijn activiteiten" and the coverage matrix with exports.

Everything here is internal working data: signed-in users only. Municipal users open their own
municipality only (404 on another's); partners see the base team's shared plan only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ivp.areas.models import Area, AreaLevel
from ivp.core.selectors import municipalities_in_full_for_user
from ivp.execution import services
from ivp.execution.coverage import EMPTY_CELL_DEFINITION, coverage_matrix
from ivp.execution.export import coverage_csv, coverage_xlsx
from ivp.execution.models import ActivityPartner, Milestone, StatusUpdate, ThemeAdjustment
from ivp.execution.selectors import (
    activities_for_user,
    available_local_priorities,
    current_period_start,
    eligible_owners,
    execution_plan_rows,
    execution_plans_for_user,
    my_activities,
    periods_of,
    umbrella,
)
from ivp.execution.services import can_edit_execution
from ivp.information.models import Register, SignalCategory, YouthGroup
from ivp.information.services import can_read_information
from ivp.plans.models import Theme
from ivp.plans.selectors import current_plan, is_current_version

from ..forms_execution import (
    ActivityForm,
    ExecutionPlanForm,
    MilestoneDoneForm,
    MilestoneForm,
    StatusUpdateForm,
    ThemeAdjustmentForm,
)
from . import public
from .guards import refuse_unless
from .public import public_for_anonymous
from .submit import form_status, submit

BASE_TEAM = "basisteam"


# --- helpers ----------------------------------------------------------------------------------------

def _plan(request):
    plan = current_plan(request.user)
    if plan is None:
        raise Http404
    return plan


def _period(request, plan) -> int:
    starts = [start for start, _end in periods_of(plan)]
    try:
        chosen = int(request.GET.get("periode", ""))
    except ValueError:
        chosen = None
    return chosen if chosen in starts else current_period_start(plan)


def _period_links(plan, chosen: int) -> list[dict]:
    return [{"start": start, "label": f"{start}-{end}", "current": start == chosen} for start, end in periods_of(plan)]


def _scope(request, scope: str):
    """The municipality of a page (read in full by this user, else 404), or None for the base team."""
    if scope == BASE_TEAM:
        return None
    return get_object_or_404(municipalities_in_full_for_user(request.user), cbs_code=scope.upper())


def _scope_code(municipality) -> str:
    return municipality.cbs_code if municipality else BASE_TEAM


def _page_url(municipality, period_start: int) -> str:
    if municipality is None:
        url = reverse("web:base_team_execution")
    else:
        url = reverse("web:municipality_execution", kwargs={"cbs_code": municipality.cbs_code})
    return f"{url}?periode={period_start}"


def _require_edit(request, municipality, *, action: str, target=None) -> None:
    refuse_unless(can_edit_execution(request.user, municipality.pk if municipality else None), request,
                  action=action, target=target, municipality=municipality,
                  message=_("No edit rights for this execution plan."))


def _execution_plan(request, pk: int):
    return get_object_or_404(execution_plans_for_user(request.user), pk=pk)


def _activity(request, pk: int):
    return get_object_or_404(activities_for_user(request.user), pk=pk)


def _editable(request, execution_plan) -> bool:
    return can_edit_execution(request.user, execution_plan.municipality_id) and is_current_version(
        execution_plan.plan)


# --- execution plans ----------------------------------------------------------------------------------

@public_for_anonymous()
@login_required
def execution_overview(request):
    """All execution plans of one period side by side (the umbrella view)."""
    plan = _plan(request)
    period = _period(request, plan)
    return render(request, "web/execution_overview.html", {
        "plan": plan, "period": period, "periods": _period_links(plan, period),
        "umbrella": umbrella(request.user, plan, period),
    })


def _execution_page(request, municipality):
    plan = _plan(request)
    period = _period(request, plan)
    execution_plan = execution_plans_for_user(request.user).filter(
        plan=plan, municipality=municipality, period_start=period).first()
    context = {
        "plan": plan, "period": period, "periods": _period_links(plan, period), "municipality": municipality,
        "execution_plan": execution_plan, "scope": _scope_code(municipality),
        "can_edit": can_edit_execution(request.user, municipality.pk if municipality else None)
        and is_current_version(plan),
    }
    if execution_plan is not None:
        content = execution_plan_rows(execution_plan)
        for activity in content["activities"]:
            activity.stale = activity.is_stale()
        context["content"] = content
    return render(request, "web/execution_plan.html", context)


@public_for_anonymous(public.execution_of_municipality)
@login_required
def municipality_execution(request, cbs_code: str):
    return _execution_page(request, _scope(request, cbs_code))


@public_for_anonymous(public.execution_of_base_team)
@login_required
def base_team_execution(request):
    return _execution_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def execution_plan_create(request, scope: str):
    municipality = _scope(request, scope)
    plan = _plan(request)
    _require_edit(request, municipality, action="execution_plan.create")
    form = ExecutionPlanForm(request.POST or None, periods=periods_of(plan),
                             initial={"period_start": _period(request, plan)})
    response = submit(
        request, form, success_message=_("Execution plan created."),
        service=lambda values: services.execution_plan_create(actor=request.user, plan=plan,
                                                              municipality=municipality, **values),
        success_url=lambda execution_plan: _page_url(municipality, execution_plan.period_start))
    return response or render(request, "web/execution_plan_form.html", {
        "form": form, "municipality": municipality, "title": _("New execution plan"),
        "cancel_url": _page_url(municipality, _period(request, plan)),
    }, status=form_status(form))


def _execution_plan_initial(execution_plan) -> dict:
    return {"status": execution_plan.status, "adopted_on": execution_plan.adopted_on,
            "decision_reference": execution_plan.decision_reference, "summary": execution_plan.summary,
            "local_priorities": list(execution_plan.local_priorities.all()), "version": execution_plan.version}


@login_required
@require_http_methods(["GET", "POST"])
def execution_plan_edit(request, pk: int):
    execution_plan = _execution_plan(request, pk)
    municipality = execution_plan.municipality
    _require_edit(request, municipality, action="execution_plan.update", target=execution_plan)
    priorities = available_local_priorities(request.user, execution_plan) if municipality else None
    form = ExecutionPlanForm(request.POST or None, initial=_execution_plan_initial(execution_plan),
                             local_priorities=priorities)
    response = submit(
        request, form, success_message=_("Changes saved."),
        service=lambda values: services.execution_plan_update(
            actor=request.user, execution_plan=execution_plan, expected_version=form.expected_version, **values),
        success_url=_page_url(municipality, execution_plan.period_start),
        saved=lambda: _execution_plan_initial(_execution_plan(request, execution_plan.pk)))
    return response or render(request, "web/execution_plan_form.html", {
        "form": form, "municipality": municipality, "execution_plan": execution_plan,
        "title": _("Edit execution plan"), "cancel_url": _page_url(municipality, execution_plan.period_start),
    }, status=form_status(form))


def _adjustment_initial(adjustment) -> dict:
    if adjustment is None:
        return {"version": 0}  # no adjustment yet: the save creates it
    return {"local_target": adjustment.local_target, "not_applicable": adjustment.not_applicable,
            "reason": adjustment.reason, "version": adjustment.version}


@login_required
@require_http_methods(["GET", "POST"])
def theme_adjustment_edit(request, pk: int, theme_pk: int):
    execution_plan = _execution_plan(request, pk)
    theme = get_object_or_404(Theme.objects.filter(plan=execution_plan.plan_id).prefetch_related("statements"),
                              pk=theme_pk)
    adjustment = ThemeAdjustment.objects.filter(execution_plan=execution_plan, theme=theme).first()
    _require_edit(request, execution_plan.municipality, action="theme_adjustment.save", target=adjustment)
    form = ThemeAdjustmentForm(request.POST or None, initial=_adjustment_initial(adjustment))
    response = submit(
        request, form, success_message=_("Changes saved."),
        service=lambda values: services.theme_adjustment_save(
            actor=request.user, execution_plan=execution_plan, theme=theme, expected_version=form.expected_version,
            **values),
        success_url=_page_url(execution_plan.municipality, execution_plan.period_start),
        saved=lambda: _adjustment_initial(ThemeAdjustment.objects.filter(execution_plan=execution_plan,
                                                                         theme=theme).first()))
    return response or render(request, "web/execution_adjustment_form.html", {
        "form": form, "execution_plan": execution_plan, "theme": theme, "municipality": execution_plan.municipality,
        "cancel_url": _page_url(execution_plan.municipality, execution_plan.period_start),
    }, status=form_status(form))


# --- activities ------------------------------------------------------------------------------------------

def _youth_groups_for(user, municipality):
    """The municipality's youth groups when this user may read that register, else None (no field)."""
    if municipality is None or not can_read_information(user, municipality.pk, Register.YOUTH_GROUPS):
        return None
    return YouthGroup.objects.for_user(user).filter(municipality=municipality).order_by("code")


def _activity_form(execution_plan, data=None, initial=None, user=None) -> ActivityForm:
    not_applicable = execution_plan.adjustments.filter(not_applicable=True).values("theme_id")
    wijken = Area.objects.filter(level=AreaLevel.DISTRICT).select_related("parent").order_by("parent__name", "name")
    if execution_plan.municipality_id:
        wijken = wijken.filter(parent__organisation=execution_plan.municipality_id)
    else:
        wijken = wijken.filter(parent__organisation__isnull=False)
    return ActivityForm(
        data, initial=initial,
        owners=eligible_owners(execution_plan.municipality),
        lenses=execution_plan.plan.focus_lenses.order_by("number"),
        themes=Theme.objects.filter(plan=execution_plan.plan_id).exclude(pk__in=not_applicable).order_by("order"),
        local_priorities=execution_plan.local_priorities.order_by("order", "id"),
        wijken=wijken,
        youth_groups=_youth_groups_for(user, execution_plan.municipality),
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request, pk: int):
    execution_plan = _execution_plan(request, pk)
    _require_edit(request, execution_plan.municipality, action="activity.create")
    form = _activity_form(execution_plan, request.POST or None, initial={"owner": request.user.pk},
                          user=request.user)
    response = submit(
        request, form, success_message=_("Activity added."),
        service=lambda values: services.activity_create(actor=request.user, execution_plan=execution_plan, **values),
        success_url=lambda activity: reverse("web:activity_detail", kwargs={"pk": activity.pk}))
    return response or render(request, "web/execution_activity_form.html", {
        "form": form, "execution_plan": execution_plan, "municipality": execution_plan.municipality,
        "title": _("Add activity"), "cancel_url": _page_url(execution_plan.municipality, execution_plan.period_start),
    }, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = _activity(request, pk)
    execution_plan = activity.execution_plan
    _require_edit(request, activity.municipality, action="activity.update", target=activity)
    form = _activity_form(execution_plan, request.POST or None, initial=ActivityForm.initial_for(activity),
                          user=request.user)
    response = submit(
        request, form, success_message=_("Changes saved."),
        service=lambda values: services.activity_update(actor=request.user, activity=activity,
                                                        expected_version=form.expected_version, **values),
        success_url=reverse("web:activity_detail", kwargs={"pk": activity.pk}),
        saved=lambda: ActivityForm.initial_for(_activity(request, activity.pk)))
    return response or render(request, "web/execution_activity_form.html", {
        "form": form, "execution_plan": execution_plan, "municipality": activity.municipality, "activity": activity,
        "title": _("Edit activity"), "cancel_url": reverse("web:activity_detail", kwargs={"pk": activity.pk}),
    }, status=form_status(form))


def _activity_page(request, activity, *, status_form=None, milestone_form=None):
    activity = (activities_for_user(request.user).prefetch_related(
        "themes", "local_priorities", "focus_lenses", "wijken",
        Prefetch("partner_roles", queryset=ActivityPartner.objects.select_related("organisation")),
    ).get(pk=activity.pk))
    can_edit = _editable(request, activity.execution_plan)
    # What it addresses in the information position: only for readers of the municipality's registers.
    information_links = None
    if activity.municipality_id and can_read_information(request.user, activity.municipality_id):
        labels = dict(SignalCategory.choices)
        groups = (_youth_groups_for(request.user, activity.municipality) or YouthGroup.objects.none()).filter(
            activities=activity)
        information_links = {"categories": [labels.get(c, c) for c in activity.signal_categories or []],
                             "youth_groups": list(groups)}
    return render(request, "web/execution_activity_detail.html", {
        "information_links": information_links,
        "activity": activity, "execution_plan": activity.execution_plan, "municipality": activity.municipality,
        "stale": activity.is_stale(), "can_edit": can_edit,
        "updates": StatusUpdate.objects.filter(activity=activity).select_related("author"),
        "milestones": [(m, m.state_on()) for m in Milestone.objects.filter(activity=activity)],
        "status_form": status_form or (StatusUpdateForm() if can_edit else None),
        "milestone_form": milestone_form or (MilestoneForm() if can_edit else None),
        "plan_url": _page_url(activity.municipality, activity.execution_plan.period_start),
    }, status=form_status(status_form or milestone_form))


@public_for_anonymous()
@login_required
def activity_detail(request, pk: int):
    return _activity_page(request, _activity(request, pk))


@login_required
@require_POST
def activity_status_add(request, pk: int):
    activity = _activity(request, pk)
    _require_edit(request, activity.municipality, action="activity.status_update", target=activity)
    form = StatusUpdateForm(request.POST)
    response = submit(
        request, form, success_message=_("Status update added."),
        service=lambda values: services.status_update_add(actor=request.user, activity=activity, **values),
        success_url=reverse("web:activity_detail", kwargs={"pk": activity.pk}) + "#status-heading")
    return response or _activity_page(request, activity, status_form=form)


@login_required
@require_POST
def milestone_add(request, pk: int):
    activity = _activity(request, pk)
    _require_edit(request, activity.municipality, action="milestone.create", target=activity)
    form = MilestoneForm(request.POST)
    response = submit(
        request, form, success_message=_("Milestone added."),
        service=lambda values: services.milestone_create(actor=request.user, activity=activity, **values),
        success_url=reverse("web:activity_detail", kwargs={"pk": activity.pk}) + "#milestones-heading")
    return response or _activity_page(request, activity, milestone_form=form)


@login_required
@require_POST
def milestone_update(request, pk: int):
    milestone = get_object_or_404(
        Milestone.objects.filter(activity__in=activities_for_user(request.user)).select_related("activity"), pk=pk)
    activity = milestone.activity
    action = request.POST.get("action", "")
    _require_edit(request, activity.municipality, action="milestone.delete" if action == "delete"
                  else "milestone.update", target=activity)
    if action == "delete":
        services.milestone_delete(actor=request.user, milestone=milestone)
        messages.success(request, _("Milestone deleted."))
    elif action in ("done", "open"):
        form = MilestoneDoneForm(request.POST)
        done_on = form.cleaned_data.get("done_on") if form.is_valid() else None
        try:
            services.milestone_update(actor=request.user, milestone=milestone, done=action == "done",
                                      done_on=done_on if action == "done" else None)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Milestone updated."))
    else:
        raise Http404
    return redirect(reverse("web:activity_detail", kwargs={"pk": activity.pk}) + "#milestones-heading")


@login_required
def my_activities_view(request):
    return render(request, "web/execution_my_activities.html", {
        "activities": my_activities(request.user), "stale_days": settings.IVP_STALE_AFTER_DAYS,
    })


# --- coverage -----------------------------------------------------------------------------------------

@public_for_anonymous()
@login_required
def coverage_matrix_view(request):
    plan = _plan(request)
    period = _period(request, plan)
    coverage = coverage_matrix(request.user, plan, period)
    return render(request, "web/execution_coverage.html", {
        "plan": plan, "period": period, "periods": _period_links(plan, period), "coverage": coverage,
        "empty_scope": coverage.empty_scope(), "empty_definition": EMPTY_CELL_DEFINITION,
    })


@login_required
def coverage_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    plan = _plan(request)
    period = _period(request, plan)
    coverage = coverage_matrix(request.user, plan, period)
    name = f"ivp-dekking-{period}-{period + 1}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(coverage_csv(coverage), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            coverage_xlsx(coverage),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
