"""Municipality pages: the shared plan as it applies there, local priorities and adoption."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ivp.core.access import access_for
from ivp.core.selectors import municipalities_for_user
from ivp.plans import services
from ivp.plans.models import Adoption
from ivp.plans.selectors import (
    adoptions_for_user,
    current_plan,
    is_current_version,
    is_editable_version,
    local_priorities_for_user,
)

from ..forms import AdoptionForm, LocalPriorityForm
from .guards import refuse_unless
from .submit import form_status, submit


def _municipality(request, cbs_code: str):
    return get_object_or_404(municipalities_for_user(request.user), cbs_code=cbs_code.upper())


def municipality_detail(request, cbs_code: str):
    municipality = _municipality(request, cbs_code)
    plan = current_plan(request.user)
    context = {"municipality": municipality, "plan": plan, "adoption": None, "priorities": [], "can_edit": False}
    if plan is not None:
        context.update(
            adoption=adoptions_for_user(request.user, plan).filter(municipality=municipality).first(),
            priorities=local_priorities_for_user(request.user).filter(plan=plan, municipality=municipality),
            can_edit=access_for(request.user).can_edit_municipality(municipality.pk) and is_current_version(plan),
            themes=plan.themes.filter(parent__isnull=True).order_by("order"),
        )
    return render(request, "web/municipality_detail.html", context)


def _require_edit(request, municipality, *, action: str, target=None) -> None:
    refuse_unless(access_for(request.user).can_edit_municipality(municipality.pk), request, action=action,
                  target=target, municipality=municipality,
                  message=_("No edit rights for %(m)s.") % {"m": municipality})


@login_required
@require_http_methods(["GET", "POST"])
def local_priority_create(request, cbs_code: str):
    municipality = _municipality(request, cbs_code)
    plan = current_plan(request.user)
    if plan is None:
        raise Http404
    _require_edit(request, municipality, action="local_priority.create")
    form = LocalPriorityForm(request.POST or None)
    response = submit(
        request, form, success_message=_("Local priority added."),
        service=lambda values: services.local_priority_create(actor=request.user, plan=plan,
                                                              municipality=municipality, **values),
        success_url=lambda priority: reverse("web:local_priority_detail", kwargs={"pk": priority.pk}))
    return response or render(request, "web/local_priority_form.html",
                              {"form": form, "municipality": municipality, "title": _("Add local priority")},
                              status=form_status(form))


def local_priority_detail(request, pk: int):
    priority = get_object_or_404(local_priorities_for_user(request.user), pk=pk)
    return render(request, "web/local_priority_detail.html", {
        "priority": priority,
        "can_edit": access_for(request.user).can_edit_municipality(priority.municipality_id)
        and is_editable_version(priority.plan),
    })


@login_required
@require_http_methods(["GET", "POST"])
def local_priority_edit(request, pk: int):
    priority = get_object_or_404(local_priorities_for_user(request.user), pk=pk)
    _require_edit(request, priority.municipality, action="local_priority.update", target=priority)
    form = LocalPriorityForm(request.POST or None, initial=_priority_initial(priority))
    response = submit(
        request, form, success_message=_("Changes saved."),
        service=lambda values: services.local_priority_update(actor=request.user, priority=priority,
                                                              expected_version=form.expected_version, **values),
        success_url=reverse("web:local_priority_detail", kwargs={"pk": priority.pk}),
        saved=lambda: _priority_initial(local_priorities_for_user(request.user).get(pk=priority.pk)))
    return response or render(request, "web/local_priority_form.html", {
        "form": form, "municipality": priority.municipality, "priority": priority,
        "title": _("Edit local priority"),
    }, status=form_status(form))


def _priority_initial(priority) -> dict:
    return {"title": priority.title, "domain": priority.domain, "description": priority.description,
            "version": priority.version}


@login_required
@require_POST
def local_priority_delete(request, pk: int):
    priority = get_object_or_404(local_priorities_for_user(request.user), pk=pk)
    municipality = priority.municipality
    _require_edit(request, municipality, action="local_priority.delete", target=priority)
    services.local_priority_delete(actor=request.user, priority=priority)
    messages.success(request, _("Local priority deleted. The text remains visible in the history of %(m)s.")
                     % {"m": municipality})
    if priority.plan.is_proposal:
        return redirect(reverse("web:plan_proposal", kwargs={"pk": priority.plan_id})
                        + f"#priorities-{municipality.cbs_code}")
    return redirect("web:municipality_detail", cbs_code=municipality.cbs_code)


@login_required
@require_http_methods(["GET", "POST"])
def adoption_edit(request, pk: int):
    adoption = get_object_or_404(Adoption.objects.for_user(request.user).select_related("municipality", "plan"), pk=pk)
    _require_edit(request, adoption.municipality, action="adoption.update", target=adoption)
    form = AdoptionForm(request.POST or None, initial=_adoption_initial(adoption))
    response = submit(
        request, form, success_message=_("Adoption updated."),
        service=lambda values: services.adoption_update(actor=request.user, adoption=adoption,
                                                        expected_version=form.expected_version, **values),
        success_url=lambda _saved: _adoption_return(adoption),  # after the save: the proposal may be in force
        saved=lambda: _adoption_initial(Adoption.objects.for_user(request.user).get(pk=adoption.pk)))
    return response or render(request, "web/adoption_form.html", {
        "form": form, "adoption": adoption, "municipality": adoption.municipality,
        "return_url": _adoption_return(adoption)}, status=form_status(form))


def _adoption_return(adoption) -> str:
    """A proposal's adoptions are recorded from the proposal page (ADR 0015); once every council adopted it, that
    version's page; the others from the municipality's page."""
    plan = adoption.plan
    if plan.is_proposal:
        return reverse("web:plan_proposal", kwargs={"pk": plan.pk}) + "#adoptions-heading"
    if plan.based_on_id:
        return reverse("web:plan_version", kwargs={"key": plan.key, "version": plan.version})
    return reverse("web:municipality_detail", kwargs={"cbs_code": adoption.municipality.cbs_code})


def _adoption_initial(adoption) -> dict:
    return {"status": adoption.status, "date": adoption.date, "decision_reference": adoption.decision_reference,
            "version": adoption.version}
