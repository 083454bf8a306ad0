"""Writes of execution data. Every write checks the role and records an audit event.

Who may write: an advisor in their own municipality's execution plans, the base-team coordinator
in all of them and in the base team's own plan (municipality NULL). Police, OM, councillors and
partners only read. Only execution plans of the current plan version can be changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ivp.areas.models import Area, AreaLevel
from ivp.core.access import access_for, require_edit_municipality
from ivp.core.audit.recorder import NothingChanged, audited, field_changes
from ivp.core.locking import create_once, require_version, save_versioned
from ivp.core.models import Organisation
from ivp.core.roles import OrganisationKind
from ivp.information.models import SignalCategory, YouthGroup
from ivp.plans.models import FocusLens, LocalPriority, Plan, Theme
from ivp.plans.selectors import is_current_version

from .asof import status_as_of, validate_as_of
from .models import (
    Activity,
    ActivityPartner,
    ActivityStatus,
    ExecutionPlan,
    ExecutionPlanStatus,
    Milestone,
    PartnerRole,
    StatusUpdate,
    ThemeAdjustment,
)
from .selectors import periods_of

NO_LENS_MESSAGE = gettext_lazy("Every activity must serve at least one focus lens (Weerbaarheid, Jeugd or "
                               "Kwetsbaren).")
NO_OWNER_MESSAGE = gettext_lazy("Every activity needs an owner: choose who is responsible for it.")


def require_edit_execution(actor, municipality: Organisation | None) -> None:
    """The base team's plan (no municipality) is the coordinator's; a municipality's plan its advisors'."""
    if municipality is not None:
        require_edit_municipality(actor, municipality)
    elif not access_for(actor).edit_all:
        raise PermissionDenied(_("Only the coordinator of the base team may change the base team's execution plan."))


def can_edit_execution(user, municipality_id: int | None) -> bool:
    access = access_for(user)
    return access.edit_all if municipality_id is None else access.can_edit_municipality(municipality_id)


def _require_current(plan: Plan) -> None:
    if not is_current_version(plan):
        raise PermissionDenied(_("This is an old version of the plan; it is read-only."))


def _names(objects) -> list[str]:
    return sorted(str(o) for o in objects)


def _plain(value):
    """A value as it is stored in an audit event's changes."""
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- Execution plans -------------------------------------------------------------------------------

def _clean_plan_fields(status: str, adopted_on: dt.date | None, decision_reference: str, summary: str) -> dict:
    errors: dict[str, Any] = {}
    if status not in ExecutionPlanStatus.values:
        errors["status"] = _("Choose a valid status.")
    if status == ExecutionPlanStatus.ADOPTED and adopted_on is None:
        errors["adopted_on"] = _("Enter the date on which the college adopted the execution plan.")
    if adopted_on is not None and adopted_on > timezone.localdate():
        errors["adopted_on"] = _("The date of the college decision is in the future.")
    decision_reference = (decision_reference or "").strip()
    if len(decision_reference) > 200:
        errors["decision_reference"] = _("The reference is too long (at most 200 characters).")
    if errors:
        raise ValidationError(errors)
    return {"status": status, "adopted_on": adopted_on, "decision_reference": decision_reference,
            "summary": (summary or "").strip()}


def execution_plan_create(*, actor, plan: Plan, municipality: Organisation | None, period_start: int,
                          status: str = ExecutionPlanStatus.CONCEPT, adopted_on: dt.date | None = None,
                          decision_reference: str = "", summary: str = "") -> ExecutionPlan:
    """A new execution plan of `municipality` (None: the base team) for the period starting in `period_start`."""
    with audited(actor=actor, action="execution_plan.create", municipality=municipality) as event:
        require_edit_execution(actor, municipality)
        _require_current(plan)
        if municipality is not None and municipality.kind != OrganisationKind.MUNICIPALITY:
            raise ValidationError({"municipality": _("An execution plan belongs to a municipality or the base team.")})
        periods = dict(periods_of(plan))
        if period_start not in periods:
            raise ValidationError({"period_start": _("Choose one of the periods of the plan.")})
        values = _clean_plan_fields(status, adopted_on, decision_reference, summary)
        if ExecutionPlan.objects.filter(plan=plan, municipality=municipality, period_start=period_start).exists():
            raise ValidationError({"period_start": _("There already is an execution plan for this period.")})
        execution_plan = ExecutionPlan.objects.create(
            plan=plan, municipality=municipality, period_start=period_start, period_end=periods[period_start],
            **values)
        event.target = execution_plan
        event.changes = {"period_start": [None, period_start],
                         **{name: [None, _plain(value)] for name, value in values.items() if value}}
    return execution_plan


def execution_plan_update(*, actor, execution_plan: ExecutionPlan, status: str, adopted_on: dt.date | None,
                          decision_reference: str, summary: str,
                          local_priorities: Iterable[LocalPriority] | None = None,
                          expected_version: int | None = None) -> ExecutionPlan:
    """Change the adoption data and summary; `local_priorities` (None: unchanged) are the municipality's
    own priorities that this execution plan takes on. `expected_version`: the version the form was opened on
    (StaleEdit when someone saved in between; None: the version read here)."""
    with audited(actor=actor, action="execution_plan.update", target=execution_plan,
                 municipality=execution_plan.municipality) as event:
        require_edit_execution(actor, execution_plan.municipality)
        _require_current(execution_plan.plan)
        values = _clean_plan_fields(status, adopted_on, decision_reference, summary)
        new_priorities = None
        if local_priorities is not None:
            new_priorities = list(dict.fromkeys(local_priorities))
            wrong = [p for p in new_priorities if p.plan_id != execution_plan.plan_id
                     or p.municipality_id != execution_plan.municipality_id]
            if wrong:
                raise ValidationError({"local_priorities": _(
                    "Only local priorities of this municipality in this plan can be added.")})
        changes = field_changes(execution_plan, values)
        if new_priorities is not None:
            old = list(execution_plan.local_priorities.all())
            if set(old) != set(new_priorities):
                changes["local_priorities"] = [_names(old), _names(new_priorities)]
                in_use = LocalPriority.objects.filter(
                    pk__in={p.pk for p in old} - {p.pk for p in new_priorities},
                    activities__execution_plan=execution_plan).distinct()
                if in_use:
                    raise ValidationError({"local_priorities": _(
                        "Activities of this execution plan still serve %(titles)s; change those activities first.")
                        % {"titles": ", ".join(_names(in_use))}})
        if not changes:
            require_version(execution_plan, expected_version=expected_version)
            raise NothingChanged
        save_versioned(execution_plan, expected_version=expected_version, fields=values)
        if new_priorities is not None:
            execution_plan.local_priorities.set(new_priorities)
        event.changes = changes
    return execution_plan


def theme_adjustment_save(*, actor, execution_plan: ExecutionPlan, theme: Theme, local_target: str = "",
                          not_applicable: bool = False, reason: str = "",
                          expected_version: int | None = None) -> ThemeAdjustment | None:
    """Adjust a shared theme locally: a local target, or "not applicable here" (a reason is required).

    Both empty means the theme is inherited from the shared plan as it is. `expected_version`: the version of the
    adjustment the form was opened on, 0 when there was none (StaleEdit when someone saved in between)."""
    adjustment = ThemeAdjustment.objects.filter(execution_plan=execution_plan, theme=theme).first()
    with audited(actor=actor, action="theme_adjustment.save", target=adjustment,
                 municipality=execution_plan.municipality) as event:
        require_edit_execution(actor, execution_plan.municipality)
        _require_current(execution_plan.plan)
        local_target, reason = (local_target or "").strip(), (reason or "").strip()
        errors: dict[str, Any] = {}
        if theme.plan_id != execution_plan.plan_id:
            errors["theme"] = _("This theme is not part of the plan of this execution plan.")
        if not_applicable:
            if not reason:
                errors["reason"] = _("Explain why this theme does not apply here.")
            if local_target:
                errors["local_target"] = _("A theme that does not apply here has no local target; "
                                           "empty the target or untick \"not applicable\".")
            serving = execution_plan.activities.active().filter(themes=theme)
            if serving.exists():
                errors["not_applicable"] = _(
                    "Activities of this execution plan still serve this theme (%(titles)s); change those first.") % {
                    "titles": ", ".join(_names(serving))}
        else:
            reason = ""
        if errors:
            raise ValidationError(errors)
        values = {"local_target": local_target, "not_applicable": bool(not_applicable), "reason": reason}
        if adjustment is None:
            if not local_target and not not_applicable:
                raise NothingChanged
            changes = field_changes(ThemeAdjustment(), values, apply=False)
            adjustment = create_once(ThemeAdjustment, key={"execution_plan": execution_plan, "theme": theme},
                                     expected_version=expected_version, **values)
        else:
            changes = field_changes(adjustment, values)
            if not changes:
                require_version(adjustment, expected_version=expected_version)
                raise NothingChanged
            save_versioned(adjustment, expected_version=expected_version, fields=values)
        event.target = adjustment
        event.changes = {"theme": str(theme), **changes}
    return adjustment


# --- Activities -------------------------------------------------------------------------------------

def _wijk_belongs(area: Area, municipality: Organisation | None) -> bool:
    parent = area.parent
    if parent is None or parent.organisation_id is None:
        return False
    return municipality is None or parent.organisation_id == municipality.pk


def _clean_activity(execution_plan: ExecutionPlan, *, title, description, owner, focus_lenses, themes,
                    local_priorities, partners, wijken, planned_budget_cents, actual_budget_cents, start_date,
                    end_date, budget_as_of=None, stored: Activity | None = None) -> tuple[dict, dict]:
    """(scalar values, many-to-many values) or ValidationError with every problem at once."""
    errors: dict[str, Any] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the activity a title.")
    elif len(title) > 200:
        errors["title"] = _("The title is too long (at most 200 characters).")
    municipality = execution_plan.municipality
    if owner is None:
        errors["owner"] = str(NO_OWNER_MESSAGE)
    elif not owner.is_active or not can_edit_execution(owner, execution_plan.municipality_id):
        errors["owner"] = _("The owner must be someone who may edit this execution plan (an advisor of the "
                            "municipality or the coordinator of the base team).")
    lenses = list(dict.fromkeys(focus_lenses or ()))
    if not lenses:
        errors["focus_lenses"] = str(NO_LENS_MESSAGE)
    elif any(lens.plan_id != execution_plan.plan_id for lens in lenses):
        errors["focus_lenses"] = _("Choose focus lenses of this plan.")
    themes = list(dict.fromkeys(themes or ()))
    if any(theme.plan_id != execution_plan.plan_id for theme in themes):
        errors["themes"] = _("Choose themes of this plan.")
    else:
        excluded = execution_plan.adjustments.filter(not_applicable=True, theme__in=themes)
        if excluded.exists():
            errors["themes"] = _("These themes are marked \"not applicable here\" in this execution plan: "
                                 "%(titles)s.") % {"titles": ", ".join(_names(a.theme for a in excluded))}
    priorities = list(dict.fromkeys(local_priorities or ()))
    if priorities:
        taken_on = set(execution_plan.local_priorities.values_list("pk", flat=True))
        if any(p.pk not in taken_on for p in priorities):
            errors["local_priorities"] = _("Add the local priority to the execution plan first.")
    partner_roles = dict(partners or {})
    for organisation, role in partner_roles.items():
        if organisation.kind != OrganisationKind.PARTNER:
            errors["partners"] = _("%(name)s is not a partner organisation.") % {"name": organisation}
        elif role not in PartnerRole.values:
            errors["partners"] = _("Choose a valid role for %(name)s.") % {"name": organisation}
    areas = list(dict.fromkeys(wijken or ()))
    wrong = [a for a in areas if a.level != AreaLevel.DISTRICT or not _wijk_belongs(a, municipality)]
    if wrong:
        errors["wijken"] = _("Choose districts (wijken) of the municipality: %(names)s does not fit.") % {
            "names": ", ".join(a.name for a in wrong)}
    for name, value in (("planned_budget_cents", planned_budget_cents), ("actual_budget_cents", actual_budget_cents)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors[name] = _("Enter an amount of zero or more.")
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = _("The end date lies before the start date.")
    if budget_as_of is None and stored is not None and stored.actual_budget_cents == actual_budget_cents:
        budget_as_of = stored.budget_as_of  # the spending did not change: neither does the date it describes
    else:
        try:
            budget_as_of = validate_as_of(budget_as_of, execution_plan, "budget_as_of")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    scalars = {"title": title, "description": (description or "").strip(), "owner": owner,
               "planned_budget_cents": planned_budget_cents, "actual_budget_cents": actual_budget_cents,
               "budget_as_of": budget_as_of, "start_date": start_date, "end_date": end_date}
    relations = {"focus_lenses": lenses, "themes": themes, "local_priorities": priorities, "wijken": areas,
                 "partners": partner_roles}
    return scalars, relations


def _partner_labels(roles: Mapping[Organisation, str]) -> list[str]:
    return sorted(f"{organisation} ({PartnerRole(role).label})" for organisation, role in roles.items())


def _set_relations(activity: Activity, relations: dict) -> None:
    for name in ("focus_lenses", "themes", "local_priorities", "wijken"):
        getattr(activity, name).set(relations[name])
    # Rows are replaced, but a partner keeps the moment it was first shared with (the history it may read).
    since = dict(activity.partner_roles.values_list("organisation_id", "shared_at"))
    activity.partner_roles.all().delete()
    now = timezone.now()
    ActivityPartner.objects.bulk_create(
        ActivityPartner(activity=activity, organisation=organisation, role=role,
                        shared_at=since.get(organisation.pk, now))
        for organisation, role in relations["partners"].items())


def _relation_changes(activity: Activity, relations: dict) -> dict:
    changes = {}
    for name in ("focus_lenses", "themes", "local_priorities", "wijken"):
        old = list(getattr(activity, name).all())
        if set(old) != set(relations[name]):
            changes[name] = [_names(old), _names(relations[name])]
    old_partners = {p.organisation: p.role for p in activity.partner_roles.select_related("organisation")}
    if old_partners != relations["partners"]:
        changes["partners"] = [_partner_labels(old_partners), _partner_labels(relations["partners"])]
    return changes


def _clean_information_links(municipality, signal_categories, youth_groups):
    """The signal categories and youth groups an activity addresses (None: leave as they are), or ValidationError.
    Youth groups must be the municipality's own (the registers are per municipality)."""
    errors = {}
    categories = None
    if signal_categories is not None:
        categories = sorted(dict.fromkeys(signal_categories))
        if any(c not in SignalCategory.values for c in categories):
            errors["signal_categories"] = _("Choose signal categories from the list.")
    groups = None
    if youth_groups is not None:
        groups = list(dict.fromkeys(youth_groups))
        if any(g.municipality_id != getattr(municipality, "pk", None) for g in groups):
            errors["youth_groups"] = _("Choose youth groups of the municipality of this execution plan.")
    if errors:
        raise ValidationError(errors)
    return categories, groups


def activity_create(*, actor, execution_plan: ExecutionPlan, title: str, owner, focus_lenses: Iterable[FocusLens],
                    description: str = "", themes: Iterable[Theme] = (),
                    local_priorities: Iterable[LocalPriority] = (),
                    partners: Mapping[Organisation, str] | None = None, wijken: Iterable[Area] = (),
                    planned_budget_cents: int = 0, actual_budget_cents: int = 0,
                    start_date: dt.date | None = None, end_date: dt.date | None = None,
                    budget_as_of: dt.date | None = None, is_public: bool = False,
                    signal_categories: Iterable[str] = (), youth_groups: Iterable[YouthGroup] = ()) -> Activity:
    """Add an activity. Refused (nothing saved) without an owner or without at least one focus lens.
    `budget_as_of` is the date the spending figure describes (peildatum; default today). `is_public`: shown on
    the public pages (ADR 0020; default not)."""
    with audited(actor=actor, action="activity.create", municipality=execution_plan.municipality) as event:
        require_edit_execution(actor, execution_plan.municipality)
        _require_current(execution_plan.plan)
        scalars, relations = _clean_activity(
            execution_plan, title=title, description=description, owner=owner, focus_lenses=focus_lenses,
            themes=themes, local_priorities=local_priorities, partners=partners, wijken=wijken,
            planned_budget_cents=planned_budget_cents, actual_budget_cents=actual_budget_cents,
            start_date=start_date, end_date=end_date, budget_as_of=budget_as_of)
        scalars["is_public"] = bool(is_public)
        categories, groups = _clean_information_links(execution_plan.municipality, signal_categories, youth_groups)
        scalars["signal_categories"] = categories
        activity = Activity.objects.create(execution_plan=execution_plan, municipality=execution_plan.municipality,
                                           **scalars)
        _set_relations(activity, relations)
        activity.youth_groups.set(groups)

        event.target = activity
        event.changes = {name: [None, _plain(value)] for name, value in scalars.items() if value}
        event.changes.update({name: [[], _names(relations[name])] for name in
                              ("focus_lenses", "themes", "local_priorities", "wijken") if relations[name]})
        if relations["partners"]:
            event.changes["partners"] = [[], _partner_labels(relations["partners"])]
        if groups:
            # The youth groups by row number only: the activity's history is read outside the restricted circle.
            event.changes["youth_groups"] = [[], sorted(g.pk for g in groups)]
    return activity


def activity_update(*, actor, activity: Activity, expected_version: int | None, title: str, owner,
                    focus_lenses: Iterable[FocusLens], description: str = "", themes: Iterable[Theme] = (),
                    local_priorities: Iterable[LocalPriority] = (),
                    partners: Mapping[Organisation, str] | None = None, wijken: Iterable[Area] = (),
                    planned_budget_cents: int = 0, actual_budget_cents: int = 0,
                    start_date: dt.date | None = None, end_date: dt.date | None = None,
                    budget_as_of: dt.date | None = None, is_public: bool | None = None,
                    signal_categories: Iterable[str] | None = None,
                    youth_groups: Iterable[YouthGroup] | None = None) -> Activity:
    """Change an activity (`is_public` None: whether it is public stays as it is). `expected_version` is the
    version the user's form was based on: when someone else saved in between, StaleEdit is raised and nothing is
    saved (no lost update). `budget_as_of` (the date the spending figure describes) stays as it was when empty and
    the spending is unchanged, else defaults to today."""
    with audited(actor=actor, action="activity.update", target=activity,
                 municipality=activity.municipality) as event:
        require_edit_execution(actor, activity.municipality)
        _require_current(activity.execution_plan.plan)
        current = Activity.objects.select_related("execution_plan").get(pk=activity.pk)
        scalars, relations = _clean_activity(
            current.execution_plan, title=title, description=description, owner=owner, focus_lenses=focus_lenses,
            themes=themes, local_priorities=local_priorities, partners=partners, wijken=wijken,
            planned_budget_cents=planned_budget_cents, actual_budget_cents=actual_budget_cents,
            start_date=start_date, end_date=end_date, budget_as_of=budget_as_of, stored=current)
        if is_public is not None:
            scalars["is_public"] = bool(is_public)
        categories, groups = _clean_information_links(current.municipality, signal_categories, youth_groups)
        if categories is not None:
            scalars["signal_categories"] = categories
        changes = _relation_changes(current, relations)
        changes.update(field_changes(current, scalars))
        if groups is not None:
            old_groups = sorted(current.youth_groups.values_list("pk", flat=True))
            if old_groups != sorted(g.pk for g in groups):
                # By row number only: the activity's history is read outside the restricted circle.
                changes["youth_groups"] = [old_groups, sorted(g.pk for g in groups)]
        if not changes:
            require_version(current, expected_version=expected_version)
            raise NothingChanged
        # The status and its date are not part of the form (status updates write them): not written here.
        save_versioned(current, expected_version=expected_version, fields=scalars)
        _set_relations(current, relations)
        if groups is not None:
            current.youth_groups.set(groups)
        event.changes = changes
    activity.refresh_from_db()
    return current


def status_update_add(*, actor, activity: Activity, status: str, narrative: str,
                      as_of: dt.date | None = None, narrative_public: bool = False) -> StatusUpdate:
    """Append a status update to the activity's history (never edited or deleted afterwards). `as_of` is the date
    the status describes (peildatum; default today): not in the future, not before the year before the execution
    plan's period. `narrative_public`: the explanation may be shown on the public pages of a public activity
    (ADR 0020; default not). The activity's current status is that of the update with the latest as-of date, so
    entering the state of last December in January does not overwrite a newer one."""
    with audited(actor=actor, action="activity.status_update", target=activity,
                 municipality=activity.municipality) as event:
        require_edit_execution(actor, activity.municipality)
        _require_current(activity.execution_plan.plan)
        errors: dict[str, Any] = {}
        if status not in ActivityStatus.values:
            errors["status"] = _("Choose a status.")
        narrative = (narrative or "").strip()
        if not narrative:
            errors["narrative"] = _("Explain the status: what happened, what is next.")
        described = timezone.localdate()
        try:
            described = validate_as_of(as_of, activity.execution_plan)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        update = StatusUpdate.objects.create(activity=activity, status=status, narrative=narrative, author=actor,
                                             as_of=described, narrative_public=bool(narrative_public))
        current = status_as_of(StatusUpdate.objects.filter(activity=activity))
        # Not a versioned edit: the status is not part of the activity form, so it never clashes with one.
        Activity.objects.filter(pk=activity.pk).update(status=current.status, last_update_at=update.created_at)
        event.changes = {"status": [activity.status or None, current.status], "narrative": [None, narrative],
                         "as_of": [None, described.isoformat()]}
        if narrative_public:
            event.changes["narrative_public"] = [None, True]
        if current.pk != update.pk:
            event.changes["status_update"] = [None, status]
        activity.status, activity.last_update_at = current.status, update.created_at
    return update


# --- Milestones ------------------------------------------------------------------------------------

def _clean_milestone(title: str, due_date: dt.date | None) -> dict:
    errors: dict[str, Any] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the milestone a title.")
    elif len(title) > 200:
        errors["title"] = _("The title is too long (at most 200 characters).")
    if due_date is None:
        errors["due_date"] = _("Enter the due date.")
    if errors:
        raise ValidationError(errors)
    return {"title": title, "due_date": due_date}


def milestone_create(*, actor, activity: Activity, title: str, due_date: dt.date) -> Milestone:
    with audited(actor=actor, action="milestone.create", target=activity,
                 municipality=activity.municipality) as event:
        require_edit_execution(actor, activity.municipality)
        _require_current(activity.execution_plan.plan)
        values = _clean_milestone(title, due_date)
        milestone = Milestone.objects.create(activity=activity, **values)
        event.changes = {"milestone": [None, f"{milestone.title} ({due_date.isoformat()})"]}
    return milestone


def milestone_update(*, actor, milestone: Milestone, done: bool, title: str | None = None,
                     due_date: dt.date | None = None, done_on: dt.date | None = None) -> Milestone:
    """Change a milestone. Marking it done records the date it was reached (`done_on`, the peildatum; default
    today, validated as every as-of date); reopening it clears that date."""
    activity = milestone.activity
    with audited(actor=actor, action="milestone.update", target=activity,
                 municipality=activity.municipality) as event:
        require_edit_execution(actor, activity.municipality)
        _require_current(activity.execution_plan.plan)
        values = _clean_milestone(milestone.title if title is None else title,
                                  milestone.due_date if due_date is None else due_date)
        values["done"] = bool(done)
        if done and milestone.done and done_on is None:
            values["done_on"] = milestone.done_on  # still done: its date stays as recorded
        elif done:
            values["done_on"] = validate_as_of(done_on, activity.execution_plan, "done_on")
        else:
            values["done_on"] = None
        changes = field_changes(milestone, values)
        if not changes:
            raise NothingChanged
        milestone.save()
        event.changes = {"milestone": milestone.title, **changes}
    return milestone


def milestone_delete(*, actor, milestone: Milestone) -> None:
    activity = milestone.activity
    with audited(actor=actor, action="milestone.delete", target=activity,
                 municipality=activity.municipality) as event:
        require_edit_execution(actor, activity.municipality)
        _require_current(activity.execution_plan.plan)
        event.changes = {"milestone": [f"{milestone.title} ({milestone.due_date.isoformat()})", None]}
        milestone.delete()


# --- A new plan version in force (ADR 0015) --------------------------------------------------------------------

def execution_carry_over(*, actor, previous: Plan, plan: Plan) -> list[ExecutionPlan]:
    """Move the execution plans of `previous` to `plan`, the version that replaced it: the work goes on under the
    re-prioritised plan. Links follow by identity: themes and focus lenses by code, local priorities by municipality
    and title. A link to something the new version no longer has is dropped and named in the audit event; a local
    adjustment of a removed theme stays attached to the old theme (adjustments are never deleted), so its history
    stays readable. A plan for another period (another key) carries nothing over: its execution plans start anew."""
    if previous is None or previous.key != plan.key:
        return []
    themes: dict[Any, Any] = {t.code: t for t in Theme.objects.filter(plan=plan)}
    lenses: dict[Any, Any] = {f.code: f for f in FocusLens.objects.filter(plan=plan)}
    priorities: dict[Any, Any] = {(p.municipality_id, p.title): p for p in LocalPriority.objects.filter(plan=plan)}
    moved = []
    for execution_plan in ExecutionPlan.objects.filter(plan=previous).select_related("municipality"):
        with audited(actor=actor, action="execution_plan.carry_over", target=execution_plan,
                     municipality=execution_plan.municipality) as event:
            dropped: list[str] = []
            for adjustment in execution_plan.adjustments.select_related("theme"):
                new_theme = themes.get(adjustment.theme.code)
                if new_theme is not None:
                    ThemeAdjustment.objects.filter(pk=adjustment.pk).update(theme=new_theme)
            kept = [priorities[(p.municipality_id, p.title)] for p in execution_plan.local_priorities.all()
                    if (p.municipality_id, p.title) in priorities]
            dropped += [p.title for p in execution_plan.local_priorities.all()
                        if (p.municipality_id, p.title) not in priorities]
            execution_plan.local_priorities.set(kept)
            for activity in execution_plan.activities.all():
                for name, mapping, key in (("themes", themes, lambda o: o.code),
                                           ("focus_lenses", lenses, lambda o: o.code),
                                           ("local_priorities", priorities,
                                            lambda o: (o.municipality_id, o.title))):
                    old = list(getattr(activity, name).all())
                    new = [mapping[key(o)] for o in old if key(o) in mapping]
                    dropped += [f"{activity.title}: {o}" for o in old if key(o) not in mapping]
                    getattr(activity, name).set(new)
            ExecutionPlan.objects.filter(pk=execution_plan.pk).update(plan=plan)
            execution_plan.plan = plan
            event.changes = {"plan": [str(previous), str(plan)]}
            if dropped:
                event.changes["dropped"] = sorted(set(dropped))
        moved.append(execution_plan)
    return moved


def carry_over_on_adoption(sender, *, plan: Plan, previous: Plan | None, actor, **kwargs) -> None:
    """Receiver of ivp.plans.signals.plan_version_adopted."""
    if previous is not None:
        execution_carry_over(actor=actor, previous=previous, plan=plan)
