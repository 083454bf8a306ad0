"""Shared fixtures: the real Meierij plan file, and one user per role.

Local priorities do not exist in the seed plan; the ones made here are a small test fixture
written for these tests (titles say so), not data.
"""

from pathlib import Path

import pytest

from ivp.core.models import Organisation
from ivp.core.roles import Role
from ivp.core.services import membership_create, user_create
from ivp.plans.planfile import parse_plan_file
from ivp.plans.services import local_priority_create, plan_load

REPO = Path(__file__).resolve().parents[1]
PLAN_FILE = REPO / "plans" / "meierij-ivp-2023-2026.yaml"

OWN = "GM0865"  # Vught: the municipality of the municipal test users
OTHER = "GM0797"  # Heusden


@pytest.fixture
def plan_document():
    return parse_plan_file(PLAN_FILE)


@pytest.fixture
def plan(db, plan_document):
    return plan_load(actor=None, document=plan_document, source_name=str(PLAN_FILE)).plan


@pytest.fixture
def vught(plan):
    return Organisation.objects.get(cbs_code=OWN)


@pytest.fixture
def heusden(plan):
    return Organisation.objects.get(cbs_code=OTHER)


def make_user(username: str, org: Organisation | None, role: str | None):
    user, _password = user_create(actor=None, username=username, password="test-password-123!")
    if org is not None:
        membership_create(actor=None, user=user, organisation=org, role=role)
    return user


@pytest.fixture
def users(plan, vught):
    base_team = Organisation.objects.get(code="basisteam-meierij")
    police = Organisation.objects.get(code="politie")
    om = Organisation.objects.get(code="om")
    housing = Organisation.objects.filter(partner_kind="housing").first()
    return {
        "anonymous": None,
        "coordinator": make_user("coordinator", base_team, Role.COORDINATOR),
        "advisor": make_user("advisor-vught", vught, Role.ADVISOR),
        "councillor": make_user("councillor-vught", vught, Role.COUNCILLOR),
        "police": make_user("police", police, Role.POLICE),
        "prosecutor": make_user("prosecutor", om, Role.PROSECUTOR),
        "partner": make_user("partner", housing, Role.PARTNER),
    }


@pytest.fixture
def priorities(plan, vught, heusden, users):
    """One local priority per municipality (test fixture, not plan data)."""
    coordinator = users["coordinator"]
    return {
        OWN: local_priority_create(actor=coordinator, plan=plan, municipality=vught,
                                   title="Testprioriteit Vught", description="Testfixture"),
        OTHER: local_priority_create(actor=coordinator, plan=plan, municipality=heusden,
                                     title="Testprioriteit Heusden", domain="fysiek", description="Testfixture"),
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Test speed only; production uses the configured (strong) hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.fail(f"the real open data are expected at {SHARED_DATA} (../shared/data beside the checkout)")
    return SHARED_DATA
