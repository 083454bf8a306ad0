"""Writes of plan data. Every write checks the role and records an audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ivp.core.access import require_edit_municipality, require_edit_shared_plan
from ivp.core.audit.recorder import NothingChanged, audited, field_changes
from ivp.core.locking import StaleEdit, require_version, save_versioned
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
    PlanStatus,
    Principle,
    SafetyDomain,
    StatementKind,
    Theme,
    ThemeStatement,
)
from .planfile import document_hash
from .selectors import is_current_version, is_editable_version, open_proposal
from .signals import plan_version_adopted


class PlanLoadConflict(Exception):
    """The current version was changed in the app after it was loaded; loading would bury that work."""


@dataclass(frozen=True)
class PlanLoadResult:
    plan: Plan
    created: bool


def plan_load(*, actor, document: dict, source_name: str = "", replace_app_edits: bool = False) -> PlanLoadResult:
    """Load a validated plan document (see planfile.parse_plan_file).

    Idempotent: a document equal to the current version changes nothing. A changed document
    creates a new version; older versions stay as they are. The current version is the newest that is not a
    proposal made in the app (ADR 0015); while such a proposal is open, a changed file is refused.
    """
    new_hash = document_hash(document)
    key = document["plan"]["key"]
    current = Plan.objects.filter(key=key, is_proposal=False).order_by("-version").first()
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
    proposal = open_proposal(key)
    if proposal is not None:
        raise PlanLoadConflict(
            _("Version %(version)d of plan %(key)s is a proposal made in the application that the councils have "
              "not all adopted yet. A changed plan file cannot be loaded next to it: export the proposal "
              "(ivp export_plan --plan-version %(version)d) to work on it, or discard it in the application "
              "first.") % {"version": proposal.version, "key": key})
    last = Plan.objects.filter(key=key).aggregate(m=Max("version"))["m"]
    with audited(actor=actor, action="plan.load") as event:
        if actor is not None:
            require_edit_shared_plan(actor)
        plan = _create_version(actor, document, version=(last or 0) + 1,
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


def _require_editable(plan: Plan) -> None:
    """Local priorities: of the current version, or of a proposal that is still a concept."""
    if is_editable_version(plan):
        return
    if plan.is_proposal:
        raise PermissionDenied(_("This proposal is out for consultation; its text can no longer be changed."))
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
        _require_editable(plan)
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
        _require_editable(priority.plan)
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
        _require_editable(priority.plan)
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
        _require_adoptable(adoption.plan)
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
        if adoption.plan.is_proposal and adoption.status == AdoptionStatus.ADOPTED:
            _adopt_if_complete(actor, adoption.plan)
    return adoption


def _require_adoptable(plan: Plan) -> None:
    """Council decisions are recorded on the current version, and on a proposal once it is out for consultation."""
    if plan.is_proposal:
        if plan.status != PlanStatus.CONSULTATION:
            raise PermissionDenied(_("Put the proposal out for consultation before recording council decisions."))
        return
    _require_current(plan)




# --- Proposals: a new plan version edited in the app (ADR 0015) ----------------------------------

def _require_draft(plan: Plan) -> None:
    if not plan.is_proposal:
        raise PermissionDenied(_("Only a proposed version of the plan can be changed in the application."))
    if plan.status != PlanStatus.CONCEPT:
        raise PermissionDenied(_("This proposal is out for consultation; its text can no longer be changed."))


def _copy_as_proposal(actor, source: Plan, *, key: str, version: int, overrides: dict) -> Plan:
    """A complete copy of `source` (through its plan-file document, as `plan_load` makes a version) as a concept
    proposal: no council decisions yet."""
    doc = plan_document(source)
    doc["plan"].update(overrides, key=key, status=PlanStatus.CONCEPT)
    for municipality in doc["municipalities"]:
        municipality["adoption"] = {"status": AdoptionStatus.PENDING, "date": None, "decision_reference": ""}
    try:
        with transaction.atomic():
            plan = _create_version(actor, doc, version=version, source_hash=document_hash(doc), source_name="")
    except IntegrityError:
        raise StaleEdit(_("Someone else started a proposal at the same time; open it from the plan page.")) from None
    Plan.objects.filter(pk=plan.pk).update(is_proposal=True, based_on=source)
    plan.is_proposal, plan.based_on = True, source
    return plan


def plan_proposal_create(*, actor, plan: Plan) -> Plan:
    """Start a re-prioritisation: the current version copied as a new concept version (the next version number)."""
    with audited(actor=actor, action="plan.propose", target=plan) as event:
        require_edit_shared_plan(actor)
        if not is_current_version(plan):
            raise ValidationError({"plan": _("Only the current version of the plan can be the basis of a proposal.")})
        existing = open_proposal(plan.key)
        if existing is not None:
            raise ValidationError({"plan": _("There is already a proposal (version %(version)d); change that one.")
                                   % {"version": existing.version}})
        last = Plan.objects.filter(key=plan.key).aggregate(m=Max("version"))["m"] or 0
        proposal = _copy_as_proposal(actor, plan, key=plan.key, version=last + 1, overrides={})
        event.target = proposal
        event.changes = {"version": [plan.version, proposal.version], "status": [None, PlanStatus.CONCEPT]}
    return proposal


def next_period_key(plan: Plan) -> tuple[str, str, int, int]:
    """(key, title, start, end) of the plan for the period after `plan`'s, of the same length."""
    start = plan.period_end + 1
    end = start + (plan.period_end - plan.period_start)
    old, new = plan.period_label, f"{start}-{end}"
    key = plan.key.replace(old, new) if old in plan.key else f"{plan.key}-{new}"
    title = plan.title.replace(old, new) if old in plan.title else f"{plan.title} {new}"
    return key[:80], title[:200], start, end


def plan_next_period(*, actor, plan: Plan) -> Plan:
    """Start the next plan period: the current plan copied as version 1 of a new plan (a concept proposal)."""
    with audited(actor=actor, action="plan.next_period", target=plan) as event:
        require_edit_shared_plan(actor)
        if not is_current_version(plan):
            raise ValidationError({"plan": _("Only the current version of the plan can be copied to a new period.")})
        key, title, start, end = next_period_key(plan)
        if Plan.objects.filter(key=key).exists():
            raise ValidationError({"plan": _("The plan for %(period)s has already been started.")
                                   % {"period": f"{start}-{end}"}})
        proposal = _copy_as_proposal(actor, plan, key=key, version=1, overrides={
            "title": title, "period_start": start, "period_end": end, "document_date": ""})
        event.target = proposal
        event.changes = {"title": [plan.title, title], "period_start": [plan.period_start, start],
                         "period_end": [plan.period_end, end], "status": [None, PlanStatus.CONCEPT]}
    return proposal


def plan_proposal_submit(*, actor, plan: Plan) -> Plan:
    """Put a concept proposal out for consultation (ter consultatie): its text is then fixed and the councils'
    decisions can be recorded."""
    with audited(actor=actor, action="plan.consult", target=plan) as event:
        require_edit_shared_plan(actor)
        _require_draft(plan)
        # Conditional, like save_versioned: of two clicks on the same concept one wins.
        if not Plan.objects.filter(pk=plan.pk, is_proposal=True, status=PlanStatus.CONCEPT).update(
                status=PlanStatus.CONSULTATION):
            raise StaleEdit
        event.changes = {"status": [plan.status, PlanStatus.CONSULTATION]}
        plan.status = PlanStatus.CONSULTATION
    return plan


def plan_proposal_discard(*, actor, plan: Plan) -> None:
    """Withdraw a proposal that no council adopted: the version is deleted (the audit event keeps what it was)."""
    with audited(actor=actor, action="plan.discard", target=plan.based_on) as event:
        require_edit_shared_plan(actor)
        if not plan.is_proposal:
            raise PermissionDenied(_("Only a proposed version of the plan can be withdrawn."))
        if plan.adoptions.filter(status=AdoptionStatus.ADOPTED).exists():
            raise ValidationError({"plan": _("A council has already adopted this proposal; it can no longer be "
                                             "withdrawn.")})
        event.changes = {"title": [str(plan), None], "status": [plan.status, None]}
        plan.delete()


def _adopt_if_complete(actor, plan: Plan) -> None:
    """When every council adopted a proposal it becomes the plan in force; the previous version stays readable."""
    if not plan.is_proposal or plan.adoptions.exclude(status=AdoptionStatus.ADOPTED).exists():
        return
    with audited(actor=actor, action="plan.adopt", target=plan) as event:
        previous = Plan.objects.filter(key=plan.key, is_proposal=False).order_by("-version").first()
        if previous is None and plan.based_on_id is not None:
            previous = plan.based_on
        if not Plan.objects.filter(pk=plan.pk, is_proposal=True).update(is_proposal=False,
                                                                        status=PlanStatus.ADOPTED):
            raise NothingChanged
        event.changes = {"status": [plan.status, PlanStatus.ADOPTED],
                         "based_on": [str(previous) if previous else None, None]}
        plan.is_proposal, plan.status = False, PlanStatus.ADOPTED
        plan_version_adopted.send(sender=Plan, plan=plan, previous=previous, actor=actor)


def _text(value: str, field: str, *, required: bool = True, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if max_length is not None and len(value) > max_length:
        raise ValidationError({field: _("This text is too long (at most %(n)d characters).") % {"n": max_length}})
    return value


def _unique_code(model, plan: Plan, title: str) -> str:
    base = (slugify(title)[:50] or "item").replace("-", "_")
    taken = set(model.objects.filter(plan=plan).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def _theme_label(theme: Theme) -> str:
    return f"{theme.number} {theme.title}".strip()


def _clean_theme(number: str, title: str, short_title: str, introduction: str) -> dict:
    title = _text(title, "title", max_length=200)
    return {"number": _text(number, "number", max_length=10), "title": title,
            "short_title": _text(short_title, "short_title", required=False, max_length=100) or title[:100],
            "introduction": _text(introduction, "introduction", required=False)}


def proposal_theme_create(*, actor, plan: Plan, number: str, title: str, short_title: str = "",
                          introduction: str = "", parent: Theme | None = None) -> Theme:
    """A new theme (or, with `parent`, sub-theme) in a concept proposal."""
    with audited(actor=actor, action="proposal.theme.create", target=plan) as event:
        require_edit_shared_plan(actor)
        _require_draft(plan)
        if parent is not None and (parent.plan_id != plan.pk or parent.parent_id is not None):
            raise ValidationError({"parent": _("Choose a main theme of this proposal.")})
        values = _clean_theme(number, title, short_title, introduction)
        last = Theme.objects.filter(plan=plan).aggregate(m=Max("order"))["m"]
        theme = Theme.objects.create(plan=plan, parent=parent, code=_unique_code(Theme, plan, values["title"]),
                                     order=(last + 1) if last is not None else 0, **values)
        event.changes = {"themes": [None, _theme_label(theme)]}
    return theme


def proposal_theme_update(*, actor, theme: Theme, number: str, title: str, short_title: str = "",
                          introduction: str = "", expected_version: int | None = None) -> Theme:
    with audited(actor=actor, action="proposal.theme.update", target=theme.plan) as event:
        require_edit_shared_plan(actor)
        _require_draft(theme.plan)
        before = _theme_label(theme)
        values = _clean_theme(number, title, short_title, introduction)
        changes = field_changes(theme, values)
        if changes:
            save_versioned(theme, expected_version=expected_version, fields=values)
            event.changes = {"themes": [f"{before}: " + ", ".join(f"{k}: {v[0]}" for k, v in changes.items()),
                                        f"{_theme_label(theme)}: " + ", ".join(f"{k}: {v[1]}" for k, v in
                                                                               changes.items())]}
        else:
            require_version(theme, expected_version=expected_version)
            raise NothingChanged
    return theme


def proposal_theme_delete(*, actor, theme: Theme) -> None:
    """Remove a theme (with its sub-themes and statements) from a concept proposal."""
    with audited(actor=actor, action="proposal.theme.delete", target=theme.plan) as event:
        require_edit_shared_plan(actor)
        _require_draft(theme.plan)
        removed = [_theme_label(theme)] + [_theme_label(sub) for sub in theme.sub_themes.all()]
        event.changes = {"themes": ["; ".join(removed), None]}
        theme.delete()


def _statement_label(statement: ThemeStatement) -> str:
    return f"{_theme_label(statement.theme)}, {statement.get_kind_display()}: {statement.text}"


def proposal_statement_create(*, actor, theme: Theme, kind: str, text: str) -> ThemeStatement:
    """A new "why a priority", ambition or planned action of a theme in a concept proposal (at the end of its list)."""
    with audited(actor=actor, action="proposal.statement.create", target=theme.plan) as event:
        require_edit_shared_plan(actor)
        _require_draft(theme.plan)
        if kind not in StatementKind.values:
            raise ValidationError({"kind": _("Choose a valid type.")})
        text = _text(text, "text")
        last = ThemeStatement.objects.filter(theme=theme, kind=kind).aggregate(m=Max("order"))["m"]
        statement = ThemeStatement.objects.create(theme=theme, kind=kind, text=text,
                                                  order=(last + 1) if last is not None else 0)
        event.changes = {"themes": [None, _statement_label(statement)]}
    return statement


def proposal_statement_update(*, actor, statement: ThemeStatement, text: str,
                              expected_version: int | None = None) -> ThemeStatement:
    with audited(actor=actor, action="proposal.statement.update", target=statement.theme.plan) as event:
        require_edit_shared_plan(actor)
        _require_draft(statement.theme.plan)
        before = _statement_label(statement)
        values = {"text": _text(text, "text")}
        if field_changes(statement, values):
            save_versioned(statement, expected_version=expected_version, fields=values)
            event.changes = {"themes": [before, _statement_label(statement)]}
        else:
            require_version(statement, expected_version=expected_version)
            raise NothingChanged
    return statement


def proposal_statement_delete(*, actor, statement: ThemeStatement) -> None:
    with audited(actor=actor, action="proposal.statement.delete", target=statement.theme.plan) as event:
        require_edit_shared_plan(actor)
        _require_draft(statement.theme.plan)
        event.changes = {"themes": [_statement_label(statement), None]}
        statement.delete()


@dataclass(frozen=True)
class ItemKind:
    """A numbered list of the plan that a proposal can change: general goals, focus lenses, principles."""

    model: Any  # a plan-part model class
    relation: str  # Plan's reverse relation: the audit label of the list
    title_field: str
    has_description: bool
    has_code: bool


ITEM_KINDS = {
    "doel": ItemKind(GeneralGoal, "general_goals", "title", False, True),
    "focus": ItemKind(FocusLens, "focus_lenses", "name", True, True),
    "uitgangspunt": ItemKind(Principle, "principles", "title", True, False),
}


def item_kind_of(item) -> str:
    return next(key for key, kind in ITEM_KINDS.items() if isinstance(item, kind.model))


def _item_label(item) -> str:
    kind = ITEM_KINDS[item_kind_of(item)]
    text = f"{item.number}. {getattr(item, kind.title_field)}"
    return f"{text} - {item.description}" if kind.has_description and item.description else text


def _clean_item(kind: ItemKind, title: str, description: str) -> dict:
    limit = kind.model._meta.get_field(kind.title_field).max_length
    values = {kind.title_field: _text(title, "title", max_length=limit)}
    if kind.has_description:
        values["description"] = _text(description, "description", required=False)
    return values


def proposal_item_create(*, actor, plan: Plan, kind: str, title: str, description: str = ""):
    """A new general goal, focus lens or principle (`kind`: a key of ITEM_KINDS) at the end of its list."""
    if kind not in ITEM_KINDS:
        raise ValueError(kind)
    spec = ITEM_KINDS[kind]
    with audited(actor=actor, action="proposal.item.create", target=plan) as event:
        require_edit_shared_plan(actor)
        _require_draft(plan)
        values = _clean_item(spec, title, description)
        # Numbers are not reused: the comparison with the adopted version matches principles by number.
        plans = [plan.pk] + ([plan.based_on_id] if plan.based_on_id else [])
        last = spec.model.objects.filter(plan__in=plans).aggregate(m=Max("number"))["m"] or 0
        if spec.has_code:
            values["code"] = _unique_code(spec.model, plan, values[spec.title_field])
        item = spec.model.objects.create(plan=plan, number=last + 1, **values)
        event.changes = {spec.relation: [None, _item_label(item)]}
    return item


def proposal_item_update(*, actor, item, title: str, description: str = "", expected_version: int | None = None):
    spec = ITEM_KINDS[item_kind_of(item)]
    with audited(actor=actor, action="proposal.item.update", target=item.plan) as event:
        require_edit_shared_plan(actor)
        _require_draft(item.plan)
        before = _item_label(item)
        values = _clean_item(spec, title, description)
        if field_changes(item, values):
            save_versioned(item, expected_version=expected_version, fields=values)
            event.changes = {spec.relation: [before, _item_label(item)]}
        else:
            require_version(item, expected_version=expected_version)
            raise NothingChanged
    return item


def proposal_item_delete(*, actor, item) -> None:
    spec = ITEM_KINDS[item_kind_of(item)]
    with audited(actor=actor, action="proposal.item.delete", target=item.plan) as event:
        require_edit_shared_plan(actor)
        _require_draft(item.plan)
        event.changes = {spec.relation: [_item_label(item), None]}
        item.delete()
