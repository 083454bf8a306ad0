"""Plan versions for a report: the adopted one, the proposed one, and the re-prioritisation diff between them."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from ivp import notation
from ivp.core.models import Organisation
from ivp.plans.export import plan_document
from ivp.plans.models import Adoption, AdoptionStatus, LocalPriority, Plan, PlanStatus
from ivp.plans.selectors import plans_for_user

from .. import content as c
from .. import plan_diff


def part_label(part: str) -> str:
    # Looked up at call time so the active language applies.
    return {
        "plan": _("Plan"), "principle": _("Principle"), "general_goal": _("General goal"),
        "focus_lens": _("Focus lens"), "theme": _("Theme"), "sub_theme": _("Sub-theme"),
        "why_priority": _("Why a priority"), "ambition": _("Ambition"), "planned_action": _("Planned action"),
        "local_priority": _("Local priority"),
    }.get(part, part)


def action_label(action: str) -> str:
    return {plan_diff.ADDED: _("added"), plan_diff.REMOVED: _("removed"), plan_diff.CHANGED: _("changed")}[action]


def adopted_version(user, plans: list[Plan], municipality: Organisation | None) -> Plan | None:
    """For a municipality: the newest version its council adopted; for the base team: the newest with
    status adopted. A proposal is never the adopted version, even when some councils adopted it already (it is in
    force once every council did, ADR 0015)."""
    plans = [p for p in plans if not p.is_proposal]
    if municipality is None:
        return next((p for p in plans if p.status == PlanStatus.ADOPTED), None)
    adopted = set(Adoption.objects.for_user(user).filter(
        plan__in=plans, municipality=municipality, status=AdoptionStatus.ADOPTED).values_list("plan_id", flat=True))
    return next((p for p in plans if p.pk in adopted), None)


def adoption_text(user, plan: Plan, municipality: Organisation | None) -> str:
    adoptions = list(Adoption.objects.for_user(user).filter(plan=plan).select_related("municipality")
                     .order_by("municipality__name"))
    def one(a: Adoption) -> str:
        if a.status == AdoptionStatus.ADOPTED and a.date:
            text = _("adopted by the council on %(date)s") % {"date": notation.date(a.date)}
        else:
            text = str(a.get_status_display())
        if a.decision_reference:
            text = _("%(state)s (decision %(reference)s)") % {"state": text, "reference": a.decision_reference}
        return text
    if municipality is not None:
        own = next((a for a in adoptions if a.municipality_id == municipality.pk), None)
        return one(own) if own else _("no council decision recorded")
    if not adoptions:
        return _("no council decisions recorded")
    return "; ".join(f"{a.municipality.name}: {one(a)}" for a in adoptions)


def version_label(plan: Plan) -> str:
    """"versie 2": the council reads the adoption beside it (no load dates or import states in a council report)."""
    return _("version %(version)s") % {"version": plan.version}


def _priority_docs(user, plan: Plan, municipality) -> list[dict]:
    qs = LocalPriority.objects.for_user(user).filter(plan=plan)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return [{"title": p.title if municipality is not None else f"{p.municipality.name}: {p.title}",
             "domain": str(p.get_domain_display()), "description": p.description}
            for p in qs.select_related("municipality").order_by("municipality__name", "order", "id")]


def plan_versions(user, key: str, municipality) -> tuple[Plan | None, Plan | None]:
    """(adopted, proposed): the adopted version and the newest later version not adopted by that council; a proposal
    made in the app counts as proposed until it is in force."""
    versions = list(plans_for_user(user).filter(key=key).order_by("-version"))
    adopted = adopted_version(user, versions, municipality)
    later = [p for p in versions if adopted is None or p.version > adopted.version]
    if municipality is not None:
        adopted_here = set(Adoption.objects.for_user(user).filter(
            plan__in=later, municipality=municipality, status=AdoptionStatus.ADOPTED).values_list("plan_id", flat=True))
        later = [p for p in later if p.is_proposal or p.pk not in adopted_here]
    else:
        later = [p for p in later if p.is_proposal or p.status != PlanStatus.ADOPTED]
    return adopted, (later[0] if later else None)


def diff_section(user, plan_key: str, municipality, area_name: str) -> c.DiffSection:
    adopted, proposed = plan_versions(user, plan_key, municipality)
    how = _("A re-prioritisation is proposed as a new version of the plan, which stays a proposal until the "
            "council adopts it.")
    if adopted is None:
        whose = (_("the council of %(name)s") % {"name": area_name}) if municipality else _("the base team")
        return c.DiffSection("", version_label(proposed) if proposed else "",
                             _("There is no version of the plan adopted by %(whose)s yet, so there is nothing to "
                               "compare a proposal with. The council first adopts the plan.") % {"whose": whose})
    adopted_label = _("%(version)s, adopted") % {"version": version_label(adopted)}
    if proposed is None:
        return c.DiffSection(adopted_label, "", _("No re-prioritisation has been proposed: there is no later "
                                                  "version of the plan than the adopted one.") + " " + how)
    changes = plan_diff.diff_plans(
        plan_document(adopted), plan_document(proposed),
        old_priorities=_priority_docs(user, adopted, municipality),
        new_priorities=_priority_docs(user, proposed, municipality))
    items = [c.DiffChange(part=part_label(ch.part), where=ch.where, change=ch.action,
                          change_label=action_label(ch.action), old=ch.old, new=ch.new) for ch in changes]
    counts = Counter(ch.action for ch in changes)
    message = "" if items else _("The proposed version does not differ from the adopted version in themes, "
                                 "ambitions, actions, goals, lenses, principles or local priorities.")
    proposed_label = _("%(version)s (proposal)") % {"version": version_label(proposed)}
    return c.DiffSection(adopted_label, proposed_label, message, items,
                         [(action_label(a), counts[a]) for a in (plan_diff.ADDED, plan_diff.CHANGED,
                                                                   plan_diff.REMOVED) if counts[a]])

