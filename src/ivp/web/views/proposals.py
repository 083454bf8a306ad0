"""A proposed plan version in the browser (ADR 0015): the coordinator starts it from the plan in force (or for the
next period), changes its themes, texts, goals, focus and principles, compares it with the version it was copied
from, and puts it out for consultation; the councils' decisions are recorded per municipality. Views are input ->
service -> response; the services check the role again and record every write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ivp.core.access import access_for
from ivp.core.selectors import municipalities_for_user
from ivp.plans import services
from ivp.plans.export import plan_document
from ivp.plans.models import Plan, StatementKind, Theme, ThemeStatement
from ivp.plans.selectors import (
    adoptions_for_user,
    current_plan,
    local_priorities_for_user,
    proposals_for_user,
    themes_of,
)
from ivp.reports import plan_diff
from ivp.reports.assembly.revision import action_label, part_label

from ..forms import LocalPriorityForm
from ..forms_plans import ProposalItemForm, ProposalStatementEditForm, ProposalStatementForm, ProposalThemeForm
from .guards import refuse_unless
from .submit import form_status, submit

ITEM_TITLES = {
    "doel": (gettext_lazy("Add general goal"), gettext_lazy("Edit general goal")),
    "focus": (gettext_lazy("Add focus lens"), gettext_lazy("Edit focus lens")),
    "uitgangspunt": (gettext_lazy("Add principle"), gettext_lazy("Edit principle")),
}


def _proposal(request, pk: int) -> Plan:
    return get_object_or_404(proposals_for_user(request.user).select_related("based_on"), pk=pk)


def _require_coordinator(request, *, action: str, target=None) -> None:
    refuse_unless(access_for(request.user).can_edit_shared_plan, request, action=action, target=target,
                  message=_("Only the coordinator of the base team may change the shared plan."))


def _url(plan: Plan, anchor: str = "") -> str:
    return reverse("web:plan_proposal", kwargs={"pk": plan.pk}) + (f"#{anchor}" if anchor else "")


def _form_page(request, plan, form, title: str, status_code: int, *, subject: str = ""):
    return render(request, "web/plan_proposal_form.html", {"form": form, "plan": plan, "title": title,
                                                           "subject": subject}, status=status_code)


# --- The proposal and its steps ----------------------------------------------------------------------------------

def plan_proposal(request, pk: int):
    plan = _proposal(request, pk)
    access = access_for(request.user)
    adoptions = adoptions_for_user(request.user, plan)
    priorities = {}
    for priority in local_priorities_for_user(request.user).filter(plan=plan).order_by("order", "id"):
        priorities.setdefault(priority.municipality_id, []).append(priority)
    return render(request, "web/plan_proposal.html", {
        "plan": plan,
        "themes": themes_of(plan),
        "kinds": [(StatementKind.WHY, _("Why is this a priority?")), (StatementKind.AMBITION, _("Ambitions")),
                  (StatementKind.ACTION, _("What will we do?"))],
        "general_goals": plan.general_goals.all(),
        "focus_lenses": plan.focus_lenses.all(),
        "principles": plan.principles.all(),
        "municipalities": [(a.municipality, priorities.get(a.municipality_id, [])) for a in adoptions],
        "adoptions": adoptions,
        "can_edit": access.can_edit_shared_plan and plan.is_draft_proposal,
        "can_manage": access.can_edit_shared_plan,
        "adopted_count": sum(1 for a in adoptions if a.status == "vastgesteld"),
    })


def plan_proposal_diff(request, pk: int):
    plan = _proposal(request, pk)
    base = plan.based_on
    changes = []
    if base is not None:
        def priorities(version):
            return [{"title": f"{p.municipality.name}: {p.title}", "domain": str(p.get_domain_display()),
                     "description": p.description}
                    for p in local_priorities_for_user(request.user).filter(plan=version)
                    .order_by("municipality__name", "order", "id")]
        changes = [{"part": part_label(ch.part), "where": ch.where, "change": ch.action,
                    "change_label": action_label(ch.action), "old": ch.old, "new": ch.new}
                   for ch in plan_diff.diff_plans(plan_document(base), plan_document(plan),
                                                  old_priorities=priorities(base), new_priorities=priorities(plan))]
    return render(request, "web/plan_proposal_diff.html", {"plan": plan, "base": base, "changes": changes})


@login_required
@require_POST
def plan_proposal_create(request):
    plan = current_plan(request.user)
    if plan is None:
        raise Http404
    _require_coordinator(request, action="plan.propose", target=plan)
    return _start(request, lambda: services.plan_proposal_create(actor=request.user, plan=plan),
                  _("Proposal started: a copy of the plan in force. Change it below."))


@login_required
@require_POST
def plan_next_period(request):
    plan = current_plan(request.user)
    if plan is None:
        raise Http404
    _require_coordinator(request, action="plan.next_period", target=plan)
    return _start(request, lambda: services.plan_next_period(actor=request.user, plan=plan),
                  _("The plan for the next period has been started as a concept."))


def _start(request, start, message: str):
    try:
        proposal = start()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("web:plan_overview")
    messages.success(request, message)
    return redirect(_url(proposal))


@login_required
@require_POST
def plan_proposal_submit(request, pk: int):
    plan = _proposal(request, pk)
    _require_coordinator(request, action="plan.consult", target=plan)
    services.plan_proposal_submit(actor=request.user, plan=plan)
    messages.success(request, _("The proposal is out for consultation. Record each council's decision below."))
    return redirect(_url(plan, "adoptions-heading"))


@login_required
@require_POST
def plan_proposal_discard(request, pk: int):
    plan = _proposal(request, pk)
    _require_coordinator(request, action="plan.discard", target=plan)
    try:
        services.plan_proposal_discard(actor=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_url(plan))
    messages.success(request, _("The proposal has been withdrawn. Its steps remain in the history of the plan."))
    return redirect("web:plan_overview")


# --- Themes --------------------------------------------------------------------------------------------------------

def _theme_initial(theme: Theme) -> dict:
    return {"number": theme.number, "title": theme.title, "short_title": theme.short_title,
            "introduction": theme.introduction, "version": theme.version}


@login_required
@require_http_methods(["GET", "POST"])
def proposal_theme_create(request, pk: int):
    plan = _proposal(request, pk)
    _require_coordinator(request, action="proposal.theme.create", target=plan)
    parent = None
    if request.GET.get("hoofdthema"):
        parent = get_object_or_404(Theme.objects.filter(plan=plan, parent__isnull=True), pk=request.GET["hoofdthema"])
    form = ProposalThemeForm(request.POST or None)
    response = submit(
        request, form, success_message=_("Theme added."),
        service=lambda values: services.proposal_theme_create(actor=request.user, plan=plan, parent=parent,
                                                              **values),
        success_url=lambda theme: _url(plan, f"theme-{theme.pk}"))
    title = _("Add sub-theme") if parent else _("Add theme")
    return response or _form_page(request, plan, form, title, form_status(form),
                                  subject=str(parent) if parent else "")


def _theme(request, theme_pk: int) -> Theme:
    return get_object_or_404(Theme.objects.filter(plan__in=proposals_for_user(request.user)).select_related("plan"),
                             pk=theme_pk)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_theme_edit(request, theme_pk: int):
    theme = _theme(request, theme_pk)
    _require_coordinator(request, action="proposal.theme.update", target=theme.plan)
    form = ProposalThemeForm(request.POST or None, initial=_theme_initial(theme))
    response = submit(
        request, form, success_message=_("Changes saved."),
        service=lambda values: services.proposal_theme_update(actor=request.user, theme=theme,
                                                              expected_version=form.expected_version, **values),
        success_url=_url(theme.plan, f"theme-{theme.pk}"),
        saved=lambda: _theme_initial(Theme.objects.get(pk=theme.pk)))
    return response or _form_page(request, theme.plan, form, _("Edit theme"), form_status(form), subject=str(theme))


@login_required
@require_POST
def proposal_theme_delete(request, theme_pk: int):
    theme = _theme(request, theme_pk)
    _require_coordinator(request, action="proposal.theme.delete", target=theme.plan)
    services.proposal_theme_delete(actor=request.user, theme=theme)
    messages.success(request, _("Theme removed from the proposal."))
    return redirect(_url(theme.plan, "themes-heading"))


# --- Texts of a theme: why a priority, ambitions, planned actions -----------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def proposal_statement_create(request, theme_pk: int):
    theme = _theme(request, theme_pk)
    _require_coordinator(request, action="proposal.statement.create", target=theme.plan)
    kind = request.GET.get("soort")
    form = ProposalStatementForm(request.POST or None,
                                 initial={"kind": kind if kind in StatementKind.values else StatementKind.AMBITION})
    response = submit(
        request, form, success_message=_("Text added."),
        service=lambda values: services.proposal_statement_create(actor=request.user, theme=theme, **values),
        success_url=_url(theme.plan, f"theme-{theme.pk}"))
    return response or _form_page(request, theme.plan, form, _("Add text to a theme"), form_status(form),
                                  subject=str(theme))


def _statement(request, pk: int) -> ThemeStatement:
    return get_object_or_404(ThemeStatement.objects.filter(theme__plan__in=proposals_for_user(request.user))
                             .select_related("theme__plan"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_statement_edit(request, pk: int):
    statement = _statement(request, pk)
    plan = statement.theme.plan
    _require_coordinator(request, action="proposal.statement.update", target=plan)
    form = ProposalStatementEditForm(request.POST or None,
                                     initial={"text": statement.text, "version": statement.version})
    response = submit(
        request, form, success_message=_("Changes saved."),
        service=lambda values: services.proposal_statement_update(actor=request.user, statement=statement,
                                                                  expected_version=form.expected_version, **values),
        success_url=_url(plan, f"theme-{statement.theme_id}"),
        saved=lambda: {"text": ThemeStatement.objects.get(pk=statement.pk).text})
    return response or _form_page(request, plan, form, statement.get_kind_display(), form_status(form),
                                  subject=str(statement.theme))


@login_required
@require_POST
def proposal_statement_delete(request, pk: int):
    statement = _statement(request, pk)
    plan = statement.theme.plan
    _require_coordinator(request, action="proposal.statement.delete", target=plan)
    services.proposal_statement_delete(actor=request.user, statement=statement)
    messages.success(request, _("Text removed from the proposal."))
    return redirect(_url(plan, f"theme-{statement.theme_id}"))


# --- General goals, focus lenses, principles ------------------------------------------------------------------

def _item_kind(kind: str):
    if kind not in services.ITEM_KINDS:
        raise Http404
    return services.ITEM_KINDS[kind]


def _item_initial(item, spec) -> dict:
    initial = {"title": getattr(item, spec.title_field), "version": item.version}
    if spec.has_description:
        initial["description"] = item.description
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def proposal_item_create(request, pk: int, kind: str):
    _item_kind(kind)
    plan = _proposal(request, pk)
    _require_coordinator(request, action="proposal.item.create", target=plan)
    form = ProposalItemForm(request.POST or None, kind=kind)
    response = submit(
        request, form, success_message=_("Added to the proposal."),
        service=lambda values: services.proposal_item_create(actor=request.user, plan=plan, kind=kind, **values),
        success_url=_url(plan, f"{kind}-heading"))
    return response or _form_page(request, plan, form, str(ITEM_TITLES[kind][0]), form_status(form))


def _item(request, kind: str, item_pk: int):
    spec = _item_kind(kind)
    item = get_object_or_404(spec.model.objects.filter(plan__in=proposals_for_user(request.user))
                             .select_related("plan"), pk=item_pk)
    return item, spec


@login_required
@require_http_methods(["GET", "POST"])
def proposal_item_edit(request, kind: str, item_pk: int):
    item, spec = _item(request, kind, item_pk)
    _require_coordinator(request, action="proposal.item.update", target=item.plan)
    form = ProposalItemForm(request.POST or None, kind=kind, initial=_item_initial(item, spec))
    response = submit(
        request, form, success_message=_("Changes saved."),
        service=lambda values: services.proposal_item_update(actor=request.user, item=item,
                                                             expected_version=form.expected_version, **values),
        success_url=_url(item.plan, f"{kind}-heading"),
        saved=lambda: _item_initial(spec.model.objects.get(pk=item.pk), spec))
    return response or _form_page(request, item.plan, form, str(ITEM_TITLES[kind][1]), form_status(form))


@login_required
@require_POST
def proposal_item_delete(request, kind: str, item_pk: int):
    item, _spec = _item(request, kind, item_pk)
    _require_coordinator(request, action="proposal.item.delete", target=item.plan)
    services.proposal_item_delete(actor=request.user, item=item)
    messages.success(request, _("Removed from the proposal."))
    return redirect(_url(item.plan, f"{kind}-heading"))


# --- Local priorities of a municipality in the proposal (its own editors) ---------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def proposal_priority_create(request, pk: int, cbs_code: str):
    plan = _proposal(request, pk)
    municipality = get_object_or_404(municipalities_for_user(request.user), cbs_code=cbs_code.upper())
    refuse_unless(access_for(request.user).can_edit_municipality(municipality.pk), request,
                  action="local_priority.create", municipality=municipality,
                  message=_("No edit rights for %(m)s.") % {"m": municipality})
    form = LocalPriorityForm(request.POST or None)
    response = submit(
        request, form, success_message=_("Local priority added."),
        service=lambda values: services.local_priority_create(actor=request.user, plan=plan,
                                                              municipality=municipality, **values),
        success_url=_url(plan, f"priorities-{municipality.cbs_code}"))
    return response or render(request, "web/local_priority_form.html", {
        "form": form, "municipality": municipality, "title": _("Add local priority"), "proposal": plan,
    }, status=form_status(form))

