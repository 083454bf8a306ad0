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


ANONYMOUS = Access()


def access_from(memberships, *, superuser: bool = False) -> Access:
    """The Access of a user with these memberships ((role, organisation id) pairs) through the policy table."""
    scopes: dict[Capability, Scope] = {}
    own: dict[Capability, set[int]] = {}
    shared: dict[Capability, set[int]] = {}
    policies = [(SUPERUSER_POLICY, None)] if superuser else []
    policies += [(POLICY[role], organisation_id) for role, organisation_id in memberships if role in POLICY]
    for policy, organisation_id in policies:
        for capability, scope in policy.grants.items():
            scopes[capability] = max(scope, scopes.get(capability, Scope.NONE))
            if scope == Scope.OWN and organisation_id is not None:
                own.setdefault(capability, set()).add(organisation_id)
            elif scope == Scope.SHARED and organisation_id is not None:
                shared.setdefault(capability, set()).add(organisation_id)
    grants = {capability: Grant(scope, frozenset(own.get(capability, ())), frozenset(shared.get(capability, ())))
              for capability, scope in scopes.items()}
    return Access(authenticated=True, grants=grants)


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
