"""What a user may read and edit, derived once per request from their memberships through the one access policy
(`ivp.core.roles.POLICY`, ADR 0012).

`Access.can(capability, municipality_id)` is the question every service, selector, view and template asks; the
named properties below are shorthands for the common ones. Nothing outside `ivp.core.roles` looks at role names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .roles import POLICY, SUPERUSER_POLICY, Capability, Scope


@dataclass(frozen=True)
class Grant:
    """One capability of one user: its widest scope, and the organisations its OWN / SHARED scopes refer to."""

    scope: Scope = Scope.NONE
    own_ids: frozenset[int] = frozenset()  # municipalities where the user holds it at scope OWN
    shared_ids: frozenset[int] = frozenset()  # organisations whose shared rows the user may read (scope SHARED)


@dataclass(frozen=True)
class Access:
    authenticated: bool = False
    grants: dict[Capability, Grant] = field(default_factory=dict)
    # Per role the user may give and manage (the policy's `manages`): the MANAGE_PEOPLE scope it is held at.
    manages: dict[str, Grant] = field(default_factory=dict)

    def grant(self, capability: Capability | str) -> Grant:
        return self.grants.get(Capability(capability), Grant())

    def can(self, capability: Capability | str, municipality_id: int | None = None) -> bool:
        """May the user do this for this municipality (None: for the base team as a whole)?"""
        grant = self.grant(capability)
        return grant.scope == Scope.ALL or (municipality_id is not None and municipality_id in grant.own_ids)

    def can_somewhere(self, capability: Capability | str, *, at_least: Scope = Scope.OWN) -> bool:
        """Does the user hold this capability for at least one municipality (`at_least=Scope.SHARED`: or only for
        what is shared with their organisation)?"""
        return self.grant(capability).scope >= at_least

    # Shorthands used across the code base (all derived from the policy).
    @property
    def read_all(self) -> bool:
        return self.grant(Capability.READ).scope == Scope.ALL

    @property
    def edit_all(self) -> bool:
        return self.grant(Capability.EDIT).scope == Scope.ALL

    @property
    def readable_municipality_ids(self) -> frozenset[int]:
        return self.grant(Capability.READ).own_ids

    @property
    def editable_municipality_ids(self) -> frozenset[int]:
        return self.grant(Capability.EDIT).own_ids

    @property
    def partner_organisation_ids(self) -> frozenset[int]:
        return self.grant(Capability.READ).shared_ids

    @property
    def can_comment(self) -> bool:
        return self.can_somewhere(Capability.COMMENT)

    @property
    def can_cosign(self) -> bool:
        return self.can_somewhere(Capability.COSIGN)

    @property
    def sees_internal_figures(self) -> bool:
        return self.can_somewhere(Capability.READ_FIGURES_INTERNAL)

    @property
    def is_editor(self) -> bool:
        """May change data somewhere (editors need a second factor)."""
        return self.can_somewhere(Capability.EDIT)

    def can_read_municipality(self, municipality_id: int | None) -> bool:
        return self.can(Capability.READ, municipality_id)

    def can_edit_municipality(self, municipality_id: int | None) -> bool:
        return self.can(Capability.EDIT, municipality_id)

    @property
    def can_edit_shared_plan(self) -> bool:
        return self.edit_all

    # People management (issue 14): which roles the user may give, where.
    @property
    def can_manage_people(self) -> bool:
        return self.can_somewhere(Capability.MANAGE_PEOPLE)

    def can_manage_role(self, role: str, organisation_id: int | None) -> bool:
        """May the user give `role` in this organisation (invite to it, change to or from it, manage its holders)?
        Scope OWN reaches the organisation the user's own membership is held in (an advisor's municipality)."""
        grant = self.manages.get(str(role), Grant())
        return grant.scope == Scope.ALL or (organisation_id is not None and organisation_id in grant.own_ids)

    def manageable_roles(self) -> list[str]:
        """The roles the user may give somewhere, in the policy's order."""
        return [str(role) for role in POLICY if self.manages.get(str(role), Grant()).scope >= Scope.OWN]

    def can_manage_memberships(self, memberships) -> bool:
        """May the user manage a person with these memberships ((role, organisation id) pairs)? Every one of them
        must be the user's to give; a person without any role only by those who manage people everywhere."""
        memberships = list(memberships)
        if not memberships:
            return self.can(Capability.MANAGE_PEOPLE, None)
        return all(self.can_manage_role(role, organisation_id) for role, organisation_id in memberships)


ANONYMOUS = Access()


def access_from(memberships, *, superuser: bool = False) -> Access:
    """The Access of a user with these memberships ((role, organisation id) pairs) through the policy table."""
    scopes: dict[Capability, Scope] = {}
    own: dict[Capability, set[int]] = {}
    shared: dict[Capability, set[int]] = {}
    managed_scopes: dict[str, Scope] = {}
    managed_own: dict[str, set[int]] = {}
    policies = [(SUPERUSER_POLICY, None)] if superuser else []
    policies += [(POLICY[role], organisation_id) for role, organisation_id in memberships if role in POLICY]
    for policy, organisation_id in policies:
        for capability, scope in policy.grants.items():
            scopes[capability] = max(scope, scopes.get(capability, Scope.NONE))
            if scope == Scope.OWN and organisation_id is not None:
                own.setdefault(capability, set()).add(organisation_id)
            elif scope == Scope.SHARED and organisation_id is not None:
                shared.setdefault(capability, set()).add(organisation_id)
        manage_scope = policy.scope(Capability.MANAGE_PEOPLE)
        if manage_scope >= Scope.OWN:
            for role in policy.manages:
                role = str(role)
                managed_scopes[role] = max(manage_scope, managed_scopes.get(role, Scope.NONE))
                if manage_scope == Scope.OWN and organisation_id is not None:
                    managed_own.setdefault(role, set()).add(organisation_id)
    grants = {capability: Grant(scope, frozenset(own.get(capability, ())), frozenset(shared.get(capability, ())))
              for capability, scope in scopes.items()}
    manages = {role: Grant(scope, frozenset(managed_own.get(role, ()))) for role, scope in managed_scopes.items()}
    return Access(authenticated=True, grants=grants, manages=manages)


def access_for(user) -> Access:
    """The user's access, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_ivp_access", None)
    if cached is not None:
        return cached
    memberships = list(user.memberships.values_list("role", "organisation_id"))
    access = access_from(memberships, superuser=user.is_superuser)
    user._ivp_access = access
    return access


def require_edit_municipality(user, municipality) -> None:
    if not access_for(user).can_edit_municipality(municipality.pk if municipality else None):
        raise PermissionDenied(_("You may not change the data of %(name)s.") % {"name": municipality})


def require_edit_shared_plan(user) -> None:
    if not access_for(user).can_edit_shared_plan:
        raise PermissionDenied(_("Only the coordinator of the base team may change the shared plan."))


def may_manage_person(actor, person) -> bool:
    """May `actor` manage `person` (change their name, role or status, reset their second factor)? Every role the
    person holds must be one the actor may give there (the policy's `manages`); nobody manages their own account
    here, and only a superuser manages a superuser."""
    if person is None or actor is None or person.pk == actor.pk:
        return False
    if (person.is_superuser or person.is_staff) and not actor.is_superuser:
        return False
    return access_for(actor).can_manage_memberships(person.memberships.values_list("role", "organisation_id"))


def require_manage_person(actor, person) -> None:
    """`actor` None is the command line (the server's operator)."""
    if actor is not None and not may_manage_person(actor, person):
        raise PermissionDenied(_("You may not manage the account of %(name)s.")
                               % {"name": person.get_full_name() or person.get_username()})
