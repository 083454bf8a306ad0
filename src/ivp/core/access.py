"""What a user may read and edit, derived once per request from their memberships.

Scopes (see docs/adr/0002-tenancy-and-roles.md):
- coordinator (base team) and superusers: read and edit everything;
- police and prosecutor (OM): read all municipalities, comment, no edits;
- advisor: read and edit their own municipality;
- councillor: read their own municipality;
- partner: read what is explicitly shared with their organisation;
- anonymous: only what is published.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .roles import Role


@dataclass(frozen=True)
class Access:
    authenticated: bool = False
    read_all: bool = False
    edit_all: bool = False
    can_comment: bool = False
    # Sees figures before their duiding is published and small counts unsuppressed (ADR 0011); everyone else
    # gets the public view of the figures through ivp.indicators.publication.
    sees_internal_figures: bool = False
    can_cosign: bool = False  # co-sign an interpretation (duiding) as the police
    readable_municipality_ids: frozenset[int] = frozenset()
    editable_municipality_ids: frozenset[int] = frozenset()
    partner_organisation_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = frozenset()

    def can_read_municipality(self, municipality_id: int | None) -> bool:
        return self.read_all or municipality_id in self.readable_municipality_ids

    def can_edit_municipality(self, municipality_id: int | None) -> bool:
        return self.edit_all or municipality_id in self.editable_municipality_ids

    @property
    def can_edit_shared_plan(self) -> bool:
        return self.edit_all


ANONYMOUS = Access()


def access_for(user) -> Access:
    """The user's access, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_ivp_access", None)
    if cached is not None:
        return cached
    memberships = list(user.memberships.select_related("organisation"))
    roles = frozenset(m.role for m in memberships)
    read_all = user.is_superuser or bool(roles & {Role.COORDINATOR, Role.POLICE, Role.PROSECUTOR})
    edit_all = user.is_superuser or Role.COORDINATOR in roles
    readable = frozenset(m.organisation_id for m in memberships if m.role in {Role.ADVISOR, Role.COUNCILLOR})
    editable = frozenset(m.organisation_id for m in memberships if m.role == Role.ADVISOR)
    partners = frozenset(m.organisation_id for m in memberships if m.role == Role.PARTNER)
    access = Access(
        authenticated=True,
        read_all=read_all,
        edit_all=edit_all,
        can_comment=user.is_superuser or bool(roles & {Role.COORDINATOR, Role.POLICE, Role.PROSECUTOR, Role.ADVISOR}),
        can_cosign=Role.POLICE in roles,
        sees_internal_figures=user.is_superuser or bool(
            roles & {Role.COORDINATOR, Role.POLICE, Role.PROSECUTOR, Role.ADVISOR}),
        readable_municipality_ids=readable,
        editable_municipality_ids=editable,
        partner_organisation_ids=partners,
        roles=roles,
    )
    user._ivp_access = access
    return access


def require_edit_municipality(user, municipality) -> None:
    if not access_for(user).can_edit_municipality(municipality.pk if municipality else None):
        raise PermissionDenied(_("You may not change the data of %(name)s.") % {"name": municipality})


def require_edit_shared_plan(user) -> None:
    if not access_for(user).can_edit_shared_plan:
        raise PermissionDenied(_("Only the coordinator of the base team may change the shared plan."))
