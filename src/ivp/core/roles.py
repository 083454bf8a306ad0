"""Roles, and the one access policy: which capability each role has, at which scope (ADR 0012).

This table is the only place that says what a role may do. `ivp.core.access` turns a user's memberships into an
`Access` through it; services, selectors, views and templates ask that `Access` (or the `may` template tag) for a
capability, never for a role name. Adding a role means: a member of `Role`, a row in `POLICY`, the migration that
Django makes for the new choice, its Dutch label in the catalogue, and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    BASE_TEAM = "base_team", _("Base team")
    MUNICIPALITY = "municipality", _("Municipality")
    PARTNER = "partner", _("Partner")


class PartnerKind(models.TextChoices):
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Public Prosecution Service")
    RIEC = "riec", _("RIEC")
    CARE_SAFETY_HOUSE = "care_safety_house", _("Care and Safety House")
    HEALTH = "health", _("Care and health")
    HOUSING = "housing", _("Housing association")
    SAFETY_REGION = "safety_region", _("Safety region")
    ENVIRONMENT = "environment", _("Environmental service")
    WELFARE = "welfare", _("Welfare")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Base team coordinator")
    ADVISOR = "advisor", _("Municipal safety advisor")
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Public Prosecution Service")
    PARTNER = "partner", _("Partner")
    COUNCILLOR = "councillor", _("Council member")


class Capability(StrEnum):
    """What a user may do. Scoped per municipality where that makes sense (see Scope)."""

    READ = "read"  # plans, execution plans, activities, fund totals, agreements, reports of a municipality
    EDIT = "edit"  # write them (and, at scope ALL, the shared plan and the base team's own rows)
    COMMENT = "comment"  # remark on a plan object
    COSIGN = "cosign"  # co-sign an interpretation (duiding) on behalf of the police
    READ_FIGURES_INTERNAL = "read_figures_internal"  # figures before their duiding, small counts unsuppressed
    READ_FUND = "read_fund"  # the fund's allocations, commitments and expenditures (not only its totals)
    # Invite people, change their role, deactivate them and reset their second factor: only for the roles in the
    # row's `manages` (see RolePolicy), in the organisations the scope reaches (OWN: the municipality itself).
    MANAGE_PEOPLE = "manage_people"
    # The information registers (signals, integral controls, Bibob, youth groups, LIO/AVE; ADR 0021): aggregate
    # counts without persons, still restricted and every read logged. SHARED: only the registers a municipality has
    # shared with the user's own organisation (a RegisterShare, e.g. with the RIEC).
    READ_INFORMATION = "read_information"
    EDIT_INFORMATION = "edit_information"


class Scope(IntEnum):
    """How far a capability reaches; a higher scope includes the lower ones."""

    NONE = 0
    SHARED = 1  # what is published or explicitly shared with the user's own organisation
    OWN = 2  # the municipality the membership is held in
    ALL = 3  # every municipality and the base team as a whole


@dataclass(frozen=True)
class RolePolicy:
    organisation_kind: str  # the kind of organisation this role is held in
    grants: dict[Capability, Scope] = field(default_factory=dict)
    # The roles a holder of this role may give (invite to, change to) and manage, within its MANAGE_PEOPLE scope.
    manages: frozenset[str] = frozenset()

    def scope(self, capability: Capability) -> Scope:
        return self.grants.get(capability, Scope.NONE)


C, S = Capability, Scope

# THE access policy. One row per role.
POLICY: dict[str, RolePolicy] = {
    Role.COORDINATOR: RolePolicy(OrganisationKind.BASE_TEAM, {
        C.READ: S.ALL, C.EDIT: S.ALL, C.COMMENT: S.ALL, C.READ_FIGURES_INTERNAL: S.ALL, C.READ_FUND: S.ALL,
        C.MANAGE_PEOPLE: S.ALL, C.READ_INFORMATION: S.ALL, C.EDIT_INFORMATION: S.ALL}, manages=frozenset(Role.values)),
    # An advisor invites and manages the council members of their own municipality, nobody else.
    Role.ADVISOR: RolePolicy(OrganisationKind.MUNICIPALITY, {
        C.READ: S.OWN, C.EDIT: S.OWN, C.COMMENT: S.OWN, C.READ_FIGURES_INTERNAL: S.ALL, C.READ_FUND: S.OWN,
        C.MANAGE_PEOPLE: S.OWN, C.READ_INFORMATION: S.OWN, C.EDIT_INFORMATION: S.OWN},
        manages=frozenset({Role.COUNCILLOR})),
    Role.COUNCILLOR: RolePolicy(OrganisationKind.MUNICIPALITY, {C.READ: S.OWN}),
    Role.POLICE: RolePolicy(OrganisationKind.PARTNER, {
        C.READ: S.ALL, C.COMMENT: S.ALL, C.COSIGN: S.ALL, C.READ_FIGURES_INTERNAL: S.ALL, C.READ_FUND: S.ALL,
        C.READ_INFORMATION: S.ALL}),
    Role.PROSECUTOR: RolePolicy(OrganisationKind.PARTNER, {
        C.READ: S.ALL, C.COMMENT: S.ALL, C.READ_FIGURES_INTERNAL: S.ALL, C.READ_FUND: S.ALL,
        C.READ_INFORMATION: S.ALL}),
    Role.PARTNER: RolePolicy(OrganisationKind.PARTNER, {C.READ: S.SHARED, C.READ_INFORMATION: S.SHARED}),
}

# The role `ivp bootstrap` gives the local administrator in the base team (so the pages show the base team's view).
ADMINISTRATOR_ROLE = Role.COORDINATOR

# Superusers (the local administrator) may do everything everywhere.
SUPERUSER_POLICY = RolePolicy(OrganisationKind.BASE_TEAM, {capability: Scope.ALL for capability in Capability},
                              manages=frozenset(Role.values))

# The organisation kind each role is held in (derived from the table; Membership.clean checks it).
ROLE_ORGANISATION_KIND = {role: policy.organisation_kind for role, policy in POLICY.items()}


def roles_with(capability: Capability, scope: Scope) -> list[str]:
    """The roles that hold `capability` at exactly `scope` (for queries such as "who may own this activity")."""
    return [role for role, policy in POLICY.items() if policy.scope(capability) == scope]


def _check_policy() -> None:
    missing = set(Role.values) - set(POLICY)
    if missing:
        raise ImportError(f"roles without a row in the access policy: {sorted(missing)}")


_check_policy()
