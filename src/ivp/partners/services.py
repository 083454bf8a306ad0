"""Writes of the partner register and of cooperation agreements. Every write checks the role and is audited.

- partner register: the coordinator of the base team;
- an agreement of one municipality: its advisor and the coordinator;
- an agreement of the base team as a whole (no municipality): the coordinator;
- naming a municipality as a party (adding or removing it): that municipality's advisor or the coordinator.
Police, OM, councillors and partners read only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from ivp.core.access import access_for, require_edit_municipality
from ivp.core.audit.recorder import NothingChanged, audited, field_changes
from ivp.core.locking import create_once, require_version, save_versioned
from ivp.core.models import Organisation
from ivp.core.roles import OrganisationKind

from .models import AgreementKind, AgreementStatus, CooperationAgreement, PartnerProfile


def _names(organisations: Iterable[Organisation]) -> str:
    return ", ".join(sorted(str(o) for o in organisations))


# --- Partner register ---------------------------------------------------------------------------

def require_edit_partner_register(actor) -> None:
    if not access_for(actor).edit_all:
        raise PermissionDenied(_("Only the coordinator of the base team may change the partner register."))


def _clean_profile(contact_role: str, contact_email: str, website: str, description: str,
                   municipalities: Iterable[Organisation]) -> tuple[dict, list[Organisation]]:
    errors = {}
    values = {"contact_role": (contact_role or "").strip(), "contact_email": (contact_email or "").strip(),
              "website": (website or "").strip(), "description": (description or "").strip()}
    if len(values["contact_role"]) > 200:
        errors["contact_role"] = _("The contact is too long (at most 200 characters).")
    if values["contact_email"]:
        try:
            EmailValidator()(values["contact_email"])
        except ValidationError:
            errors["contact_email"] = _("Enter a valid e-mail address.")
    if values["website"]:
        try:
            URLValidator(schemes=["http", "https"])(values["website"])
        except ValidationError:
            errors["website"] = _("Enter a web address starting with https://.")
    municipalities = list(municipalities or [])
    if any(m.kind != OrganisationKind.MUNICIPALITY for m in municipalities):
        errors["municipalities"] = _("Choose municipalities only.")
    if errors:
        raise ValidationError(errors)
    return values, municipalities


def partner_profile_save(*, actor, organisation: Organisation, contact_role: str = "", contact_email: str = "",
                         website: str = "", description: str = "", municipalities: Iterable[Organisation] = (),
                         expected_version: int | None = None) -> PartnerProfile:
    """Create or change the register entry of a partner organisation. `expected_version`: the version the form
    was opened on, 0 when there was no entry (StaleEdit when someone saved in between; None: the version read
    here)."""
    existing = PartnerProfile.objects.filter(organisation=organisation).first()
    action = "partner_profile.update" if existing else "partner_profile.create"
    with audited(actor=actor, action=action, target=existing) as event:
        require_edit_partner_register(actor)
        if organisation.kind != OrganisationKind.PARTNER:
            raise ValidationError({"organisation": _("%(name)s is not a partner organisation.")
                                   % {"name": organisation}})
        values, municipalities = _clean_profile(contact_role, contact_email, website, description, municipalities)
        if existing is None:
            profile = create_once(PartnerProfile, key={"organisation": organisation},
                                  expected_version=expected_version, **values)
            changes = {name: [None, value] for name, value in values.items() if value}
            old_municipalities = []
        else:
            profile = existing
            changes = field_changes(profile, values)
            old_municipalities = list(profile.municipalities.all())
        municipalities_changed = {m.pk for m in old_municipalities} != {m.pk for m in municipalities}
        if municipalities_changed:
            changes["municipalities"] = [_names(old_municipalities) or None, _names(municipalities) or None]
        if existing is not None:
            if not changes:
                require_version(profile, expected_version=expected_version)
                raise NothingChanged
            save_versioned(profile, expected_version=expected_version, fields=values)
        if municipalities_changed:
            profile.municipalities.set(municipalities)
        event.target = profile
        event.changes = changes
    return profile


# --- Cooperation agreements -----------------------------------------------------------------------

def require_edit_agreement(actor, municipality: Organisation | None) -> None:
    if municipality is None:
        if not access_for(actor).edit_all:
            raise PermissionDenied(_("Only the coordinator of the base team may change agreements of the base team "
                                     "as a whole."))
        return
    require_edit_municipality(actor, municipality)


class PartyConsentRequired(PermissionDenied):
    """An advisor tried to add (or remove) another municipality as a party to an agreement."""


def require_municipal_party_rights(actor, old_parties: Iterable[Organisation],
                                   new_parties: Iterable[Organisation]) -> None:
    """Naming a municipality as a party commits that municipality, so only someone who may edit it (its own
    advisor, or the coordinator) may add it to an agreement or take it off again. An advisor names their own
    municipality; keeping a municipality that is already a party needs nothing."""
    access = access_for(actor)
    old = {p.pk: p for p in old_parties if p.kind == OrganisationKind.MUNICIPALITY}
    new = {p.pk: p for p in new_parties if p.kind == OrganisationKind.MUNICIPALITY}
    changed = [party for pk, party in {**old, **new}.items() if (pk in old) != (pk in new)]
    refused = [party for party in changed if not access.can_edit_municipality(party.pk)]
    if refused:
        raise PartyConsentRequired(
            _("Only an advisor of %(names)s or the coordinator of the base team may add %(names)s to an agreement "
              "as a party, or remove it: a municipality is named as a party only with its consent.")
            % {"names": _names(refused)})


def can_edit_agreement(user, agreement: CooperationAgreement) -> bool:
    access = access_for(user)
    return access.edit_all if agreement.municipality_id is None else access.can_edit_municipality(
        agreement.municipality_id)


def _clean_agreement(*, title, kind, status, municipality, parties, owner, start_date, review_date, summary,
                     task_division, backup, information_sharing) -> tuple[dict, list[Organisation]]:
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the agreement a title.")
    elif len(title) > 200:
        errors["title"] = _("The title is too long (at most 200 characters).")
    if kind not in AgreementKind.values:
        errors["kind"] = _("Choose a kind of agreement.")
    if status not in AgreementStatus.values:
        errors["status"] = _("Choose a valid status.")
    if municipality is not None and municipality.kind != OrganisationKind.MUNICIPALITY:
        errors["municipality"] = _("Choose a municipality, or none for the base team as a whole.")
    parties = list(parties or [])
    if municipality is not None and municipality.kind == OrganisationKind.MUNICIPALITY \
            and municipality.pk not in {p.pk for p in parties}:
        parties.append(municipality)  # the municipality that owns the agreement is always a party
    if any(p.kind not in (OrganisationKind.MUNICIPALITY, OrganisationKind.PARTNER) for p in parties):
        errors["parties"] = _("Parties are municipalities and partner organisations.")
    elif len(parties) < 2:
        errors["parties"] = _("An agreement has at least two parties.")
    if owner is None:
        errors["owner"] = _("Choose an owner.")
    elif not owner.is_active or not (access_for(owner).edit_all if municipality is None
                                     else access_for(owner).can_edit_municipality(municipality.pk)):
        errors["owner"] = _("The owner keeps the agreement up to date, so must be able to edit it: the coordinator "
                            "or an advisor of the municipality.")
    if start_date is None:
        errors["start_date"] = _("Enter the start date.")
    if review_date is None and status != AgreementStatus.ENDED:
        errors["review_date"] = _("Enter the date of the next review.")
    if start_date is not None and review_date is not None and review_date < start_date:
        errors["review_date"] = _("The review date lies before the start date.")
    if errors:
        raise ValidationError(errors)
    values = {
        "title": title, "kind": kind, "status": status, "municipality": municipality, "owner": owner,
        "start_date": start_date, "review_date": review_date, "summary": (summary or "").strip(),
        "task_division": (task_division or "").strip(), "backup": (backup or "").strip(),
        "information_sharing": (information_sharing or "").strip(),
    }
    return values, parties


def agreement_create(*, actor, title: str, kind: str, municipality: Organisation | None,
                     parties: Iterable[Organisation], owner, start_date: dt.date | None,
                     review_date: dt.date | None = None, status: str = AgreementStatus.CONCEPT, summary: str = "",
                     task_division: str = "", backup: str = "", information_sharing: str = "",
                     ) -> CooperationAgreement:
    with audited(actor=actor, action="agreement.create", municipality=municipality) as event:
        require_edit_agreement(actor, municipality)
        values, parties = _clean_agreement(
            title=title, kind=kind, status=status, municipality=municipality, parties=parties, owner=owner,
            start_date=start_date, review_date=review_date, summary=summary, task_division=task_division,
            backup=backup, information_sharing=information_sharing,
        )
        require_municipal_party_rights(actor, [], parties)
        agreement = CooperationAgreement.objects.create(**values)
        agreement.parties.set(parties)
        event.target = agreement
        event.changes = {name: [None, _display(value)] for name, value in values.items() if value not in ("", None)}
        event.changes["parties"] = [None, _names(parties)]
    return agreement


def agreement_update(*, actor, agreement: CooperationAgreement, title: str, kind: str,
                     municipality: Organisation | None, parties: Iterable[Organisation], owner,
                     start_date: dt.date | None, review_date: dt.date | None, status: str, summary: str = "",
                     task_division: str = "", backup: str = "", information_sharing: str = "",
                     expected_version: int | None = None) -> CooperationAgreement:
    """Change an agreement. Moving it to another municipality (or to the base team) needs edit rights on both.
    `expected_version`: the version the form was opened on (StaleEdit when someone saved in between; None: the
    version read here)."""
    with audited(actor=actor, action="agreement.update", target=agreement,
                 municipality=agreement.municipality) as event:
        require_edit_agreement(actor, agreement.municipality)
        if municipality != agreement.municipality:
            require_edit_agreement(actor, municipality)
        values, parties = _clean_agreement(
            title=title, kind=kind, status=status, municipality=municipality, parties=parties, owner=owner,
            start_date=start_date, review_date=review_date, summary=summary, task_division=task_division,
            backup=backup, information_sharing=information_sharing,
        )
        old_parties = list(agreement.parties.all())
        require_municipal_party_rights(actor, old_parties, parties)
        changes = field_changes(agreement, values)
        parties_changed = {p.pk for p in old_parties} != {p.pk for p in parties}
        if parties_changed:
            changes["parties"] = [_names(old_parties), _names(parties)]
        if not changes:
            require_version(agreement, expected_version=expected_version)
            raise NothingChanged
        save_versioned(agreement, expected_version=expected_version, fields=values)
        if parties_changed:
            agreement.parties.set(parties)
        event.changes = changes
    return agreement


def _display(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value
