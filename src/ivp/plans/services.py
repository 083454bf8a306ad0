"""Writes of plan data. Every write checks the role and records an audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from ivp.core.access import require_edit_municipality, require_edit_shared_plan
from ivp.core.audit.recorder import audited, field_changes
from ivp.core.locking import require_version, save_versioned
from ivp.core.models import Organisation
from ivp.core.roles import OrganisationKind
from ivp.core.services import organisation_ensure

from .export import plan_document
from .models import (
    Adoption,
    AdoptionStatus,
    FocusLens,
    GeneralGoal,
    LocalPriority,
    Plan,
    PlanPartner,
    Principle,
    SafetyDomain,
    StatementKind,
    Theme,
    ThemeStatement,
)
from .planfile import document_hash
from .selectors import is_current_version


class PlanLoadConflict(Exception):
    """The current version was changed in the app after it was loaded; loading would bury that work."""


@dataclass(frozen=True)
class PlanLoadResult:
    plan: Plan
    created: bool


def plan_load(*, actor, document: dict, source_name: str = "", replace_app_edits: bool = False) -> PlanLoadResult:
    """Load a validated plan document (see planfile.parse_plan_file).

    Idempotent: a document equal to the current version changes nothing. A changed document
    creates a new version; older versions stay as they are.
    """
    new_hash = document_hash(document)
    key = document["plan"]["key"]
    current = Plan.objects.filter(key=key).order_by("-version").first()
    if current is not None:
        current_hash = document_hash(plan_document(current))
        if current_hash == new_hash:
            return PlanLoadResult(plan=current, created=False)
        if current_hash != current.source_hash and not replace_app_edits:
            raise PlanLoadConflict(
                _("Version %(version)d of plan %(key)s was changed in the application after it was loaded "
                  "(for example local priorities or an adoption). First export the current version "
                  "(ivp export_plan --format yaml), apply your changes to it and load that file, or use "
                  "--replace-app-edits to create a new version anyway; the old version stays "
                  "readable.") % {"version": current.version, "key": key}
            )
    with audited(actor=actor, action="plan.load") as event:
        if actor is not None:
            require_edit_shared_plan(actor)
        plan = _create_version(actor, document, version=(current.version + 1) if current else 1,
                               source_hash=new_hash, source_name=source_name)
        event.target = plan
        event.changes = {"version": [current.version if current else None, plan.version], "source": source_name}
    return PlanLoadResult(plan=plan, created=True)


def _create_version(actor, doc: dict, *, version: int, source_hash: str, source_name: str) -> Plan:
    base_team, _created = organisation_ensure(
        actor=actor, kind=OrganisationKind.BASE_TEAM, code=doc["base_team"]["code"], name=doc["base_team"]["name"]
    )
    p = doc["plan"]
    plan = Plan.objects.create(
        key=p["key"], version=version, title=p["title"], base_team=base_team,
        period_start=p["period_start"], period_end=p["period_end"], status=p["status"],
        document_date=p["document_date"], summary=p["summary"], introduction=p["introduction"], scope=p["scope"],
        trends=p["trends"], meaning_of_figures=p["meaning_of_figures"],
        cooperation_boa_police=p["cooperation_boa_police"], finance=p["finance"], signatories=p["signatories"],
        source_hash=source_hash, source_name=source_name,
    )
    for order, m in enumerate(doc["municipalities"]):
        municipality, _created = organisation_ensure(
            actor=actor, kind=OrganisationKind.MUNICIPALITY, code=m["code"].lower(), name=m["name"],
            cbs_code=m["code"], parent=base_team,
        )
        a = m["adoption"]
        Adoption.objects.create(
            plan=plan, municipality=municipality, status=a["status"], order=order,
            date=dt.date.fromisoformat(a["date"]) if a["date"] else None,
            decision_reference=a["decision_reference"],
        )
        LocalPriority.objects.bulk_create(
            LocalPriority(plan=plan, municipality=municipality, order=i, title=lp["title"], domain=lp["domain"],
                          description=lp["description"])
            for i, lp in enumerate(m["local_priorities"])
        )
    for order, partner in enumerate(doc["partners"]):
        organisation, _created = organisation_ensure(
            actor=actor, kind=OrganisationKind.PARTNER, code=partner["code"], name=partner["name"],
            partner_kind=partner["kind"],
        )
        PlanPartner.objects.create(plan=plan, organisation=organisation, order=order)
    Principle.objects.bulk_create(Principle(plan=plan, **item) for item in doc["principles"])
    GeneralGoal.objects.bulk_create(GeneralGoal(plan=plan, **item) for item in doc["general_goals"])
    FocusLens.objects.bulk_create(FocusLens(plan=plan, **item) for item in doc["focus_lenses"])
    order = 0
    for theme_doc in doc["themes"]:
        theme = _create_theme(plan, theme_doc, parent=None, order=order)
        order += 1
        for sub_doc in theme_doc["sub_themes"]:
            _create_theme(plan, sub_doc, parent=theme, order=order)
            order += 1
    return plan


def _create_theme(plan: Plan, doc: dict, *, parent: Theme | None, order: int) -> Theme:
    theme = Theme.objects.create(
        plan=plan, parent=parent, number=doc["number"], code=doc["code"], title=doc["title"],
        short_title=doc["short_title"], introduction=doc["introduction"], order=order,
    )
    statements = []
    for kind, key in ((StatementKind.WHY, "why_priority"), (StatementKind.AMBITION, "ambitions"),
                      (StatementKind.ACTION, "planned_actions")):
        statements += [ThemeStatement(theme=theme, kind=kind, order=i, text=text) for i, text in enumerate(doc[key])]
    ThemeStatement.objects.bulk_create(statements)
    return theme


# --- Municipality-owned parts ------------------------------------------------------------------

def _require_current(plan: Plan) -> None:
    if not is_current_version(plan):
        raise PermissionDenied(_("This is an old version of the plan; it is read-only."))


def _clean_priority_fields(title: str, domain: str, description: str) -> dict:
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the local priority a title.")
    elif len(title) > 200:
        errors["title"] = _("The title is too long (at most 200 characters).")
    if domain not in SafetyDomain.values:
        errors["domain"] = _("Choose social or physical safety.")
    if errors:
        raise ValidationError(errors)
    return {"title": title, "domain": domain, "description": (description or "").strip()}


def local_priority_create(*, actor, plan: Plan, municipality: Organisation, title: str,
                          domain: str = SafetyDomain.SOCIAL, description: str = "") -> LocalPriority:
    with audited(actor=actor, action="local_priority.create", municipality=municipality) as event:
        require_edit_municipality(actor, municipality)
        _require_current(plan)
        values = _clean_priority_fields(title, domain, description)
        last = LocalPriority.objects.filter(plan=plan, municipality=municipality).aggregate(m=Max("order"))["m"]
        priority = LocalPriority.objects.create(
            plan=plan, municipality=municipality, order=(last + 1) if last is not None else 0, **values
        )
        event.target = priority
        event.changes = {name: [None, value] for name, value in values.items()}
    return priority


def local_priority_update(*, actor, priority: LocalPriority, title: str, domain: str,
                          description: str, expected_version: int | None = None) -> LocalPriority:
    """`expected_version`: the version the form was opened on (StaleEdit when someone saved in between; None: the
    version read here)."""
    with audited(actor=actor, action="local_priority.update", target=priority,
                 municipality=priority.municipality) as event:
        require_edit_municipality(actor, priority.municipality)
        _require_current(priority.plan)
        values = _clean_priority_fields(title, domain, description)
        event.changes = field_changes(priority, values)
        if event.changes:
            save_versioned(priority, expected_version=expected_version, fields=values)
        else:
            require_version(priority, expected_version=expected_version)
    return priority


def local_priority_delete(*, actor, priority: LocalPriority) -> None:
    with audited(actor=actor, action="local_priority.delete", target=priority,
                 municipality=priority.municipality) as event:
        require_edit_municipality(actor, priority.municipality)
        _require_current(priority.plan)
        # The event keeps the whole text, so a deleted priority is never lost.
        event.changes = {"title": [priority.title, None], "domain": [priority.domain, None],
                         "description": [priority.description, None]}
        priority.delete()


def adoption_update(*, actor, adoption: Adoption, status: str, date: dt.date | None,
                    decision_reference: str, expected_version: int | None = None) -> Adoption:
    """`expected_version`: the version the form was opened on (StaleEdit when someone saved in between; None: the
    version read here)."""
    with audited(actor=actor, action="adoption.update", target=adoption,
                 municipality=adoption.municipality) as event:
        require_edit_municipality(actor, adoption.municipality)
        _require_current(adoption.plan)
        errors = {}
        if status not in AdoptionStatus.values:
            errors["status"] = _("Choose a valid status.")
        if status == AdoptionStatus.ADOPTED and date is None:
            errors["date"] = _("Enter the date of the council decision.")
        if date is not None and date > dt.date.today():
            errors["date"] = _("The date of the council decision is in the future.")
        if errors:
            raise ValidationError(errors)
        values = {"status": status, "date": date, "decision_reference": (decision_reference or "").strip()}
        event.changes = field_changes(adoption, values)
        if event.changes:
            save_versioned(adoption, expected_version=expected_version, fields=values)
        else:
            require_version(adoption, expected_version=expected_version)
    return adoption


