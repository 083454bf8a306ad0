"""Role scopes, as derived from memberships."""

import pytest
from django.core.exceptions import ValidationError

from ivp.core.access import access_for
from ivp.core.models import Membership
from ivp.core.roles import Role
from ivp.core.selectors import municipalities_for_user

pytestmark = pytest.mark.django_db


def test_scopes(users, vught, heusden):
    a = {role: access_for(user) for role, user in users.items()}
    assert a["coordinator"].read_all and a["coordinator"].edit_all
    assert a["police"].read_all and not a["police"].edit_all and a["police"].can_comment
    assert a["prosecutor"].read_all and not a["prosecutor"].edit_all
    assert a["advisor"].can_edit_municipality(vught.pk) and not a["advisor"].can_edit_municipality(heusden.pk)
    assert a["councillor"].can_read_municipality(vught.pk) and not a["councillor"].can_edit_municipality(vught.pk)
    assert not a["councillor"].can_read_municipality(heusden.pk)
    assert not a["partner"].read_all and not a["partner"].readable_municipality_ids
    assert not a["anonymous"].authenticated


def test_municipal_users_open_only_their_own_municipality(users, vught):
    assert list(municipalities_for_user(users["advisor"])) == [vught]
    assert municipalities_for_user(users["coordinator"]).count() == 5


def test_role_must_fit_the_organisation(users, vught):
    membership = Membership(user=users["police"], organisation=vught, role=Role.COORDINATOR)
    with pytest.raises(ValidationError):
        membership.full_clean()


# --- the one access policy (ADR 0012) --------------------------------------------------------------------------

# What each role may do, written out: a change to the policy table shows here (and must be meant).
EXPECTED_POLICY = {
    "coordinator": {"read": "ALL", "edit": "ALL", "comment": "ALL", "read_figures_internal": "ALL", "read_fund": "ALL",
                    "manage_people": "ALL", "read_information": "ALL", "edit_information": "ALL"},
    "advisor": {"read": "OWN", "edit": "OWN", "comment": "OWN", "read_figures_internal": "ALL", "read_fund": "OWN",
                "manage_people": "OWN", "read_information": "OWN", "edit_information": "OWN"},
    "councillor": {"read": "OWN"},
    "police": {"read": "ALL", "comment": "ALL", "cosign": "ALL", "read_figures_internal": "ALL", "read_fund": "ALL",
               "read_information": "ALL"},
    "prosecutor": {"read": "ALL", "comment": "ALL", "read_figures_internal": "ALL", "read_fund": "ALL",
                   "read_information": "ALL"},
    "partner": {"read": "SHARED", "read_information": "SHARED"},
}


# Which roles each role may give (invite to, change to) and manage, within its manage_people scope (issue 14).
EXPECTED_MANAGES = {
    "coordinator": ["advisor", "coordinator", "councillor", "partner", "police", "prosecutor"],
    "advisor": ["councillor"],
    "councillor": [], "police": [], "prosecutor": [], "partner": [],
}


def test_every_role_has_one_row_in_the_policy_table():
    from ivp.core.roles import POLICY

    assert set(POLICY) == set(Role.values)
    table = {role: {str(c): s.name for c, s in policy.grants.items()} for role, policy in POLICY.items()}
    assert table == EXPECTED_POLICY
    assert {role: sorted(policy.manages) for role, policy in POLICY.items()} == EXPECTED_MANAGES


@pytest.mark.parametrize("role", list(EXPECTED_MANAGES))
def test_who_may_give_which_role_where_follows_the_table(users, vught, heusden, role):
    """Scope ALL: every organisation; scope OWN: the municipality the membership is held in."""
    from ivp.core.models import Organisation

    access = access_for(users[role])
    base_team = Organisation.objects.get(code="basisteam-meierij")
    for target in Role.values:
        may_give = target in EXPECTED_MANAGES[role]
        scope = EXPECTED_POLICY[role].get("manage_people")
        assert access.can_manage_role(target, heusden.pk) == (may_give and scope == "ALL"), target
        assert access.can_manage_role(target, base_team.pk) == (may_give and scope == "ALL"), target
        assert access.can_manage_role(target, vught.pk) == (may_give and scope in ("ALL", "OWN")), target
    assert sorted(access.manageable_roles()) == EXPECTED_MANAGES[role]


@pytest.mark.parametrize("role", list(EXPECTED_POLICY))
def test_access_follows_the_table_for_each_role(users, vught, heusden, role):
    from ivp.core.roles import Capability

    access = access_for(users[role])
    for capability in Capability:
        scope = EXPECTED_POLICY[role].get(str(capability))
        assert access.can(capability, heusden.pk) == (scope == "ALL"), capability
        own = access.can(capability, vught.pk) if role in ("advisor", "councillor") else None
        if own is not None:
            assert own == (scope in ("OWN", "ALL")), capability
        assert access.can(capability, None) == (scope == "ALL"), capability


def test_superusers_may_do_everything(django_user_model):
    from ivp.core.roles import Capability

    admin = django_user_model.objects.create_superuser("root-test", password="x-test-password-123!")
    access = access_for(admin)
    assert all(access.can(capability, None) for capability in Capability)


def test_no_role_names_outside_the_policy():
    """Services, selectors, views and templates ask the policy for a capability; only the policy module (and the
    membership model that stores the role) name roles."""
    import re
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "ivp"
    allowed = {src / "core" / "roles.py", src / "core" / "models.py"}
    pattern = re.compile(r"\bRole\.(COORDINATOR|ADVISOR|POLICE|PROSECUTOR|PARTNER|COUNCILLOR)\b"
                         r"|\baccess(?:_for\([^)]*\))?\.roles\b"
                         r"""|["'](coordinator|advisor|councillor|prosecutor|police)["']\s+in\b""")
    offenders = [str(path.relative_to(src)) for path in [*src.rglob("*.py"), *src.rglob("*.html")]
                 if path not in allowed and "migrations" not in path.parts
                 and pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
