"""Shared fixtures: the real Meierij plan file, and one user per role.

Local priorities do not exist in the seed plan; the ones made here are a small test fixture
written for these tests (titles say so), not data.
"""

import copy
import datetime as dt
from pathlib import Path

import pytest
from django.test import override_settings

from ivp.core.mfa import requires_mfa
from ivp.core.models import Organisation, User
from ivp.core.roles import Role
from ivp.core.services import membership_create, user_create
from ivp.partners.services import agreement_create, partner_profile_save
from ivp.plans.models import Plan
from ivp.plans.planfile import parse_plan_file
from ivp.plans.services import local_priority_create, plan_load

from .rowtemplate import RowTemplate

REPO = Path(__file__).resolve().parents[1]
PLAN_FILE = REPO / "plans" / "meierij-ivp-2023-2026.yaml"

OWN = "GM0865"  # Vught: the municipality of the municipal test users
OTHER = "GM0797"  # Heusden


@pytest.fixture(scope="session")
def _parsed_plan_file():
    return parse_plan_file(PLAN_FILE)


@pytest.fixture
def plan_document(_parsed_plan_file):
    return copy.deepcopy(_parsed_plan_file)  # the test's own copy: it may change it


def _load_plan_file():
    return plan_load(actor=None, document=parse_plan_file(PLAN_FILE), source_name=str(PLAN_FILE))


@pytest.fixture(scope="session")
def plan_template(django_db_setup, django_db_blocker):
    """The rows loading the Meierij plan file writes: loaded once per session (and rolled back), restored by `plan`
    in each test (tests/rowtemplate.py)."""
    with django_db_blocker.unblock():
        return RowTemplate.capture(setup=lambda: None, action=_load_plan_file, state=lambda: None)


@pytest.fixture
def plan(db, plan_document, plan_template):
    """The Meierij plan, as `ivp load_plan plans/meierij-ivp-2023-2026.yaml` loads it (restored from the session's
    template; loaded for real when the test wrote plan rows or organisations first)."""
    plan_template.apply()
    return Plan.objects.filter(key=plan_document["plan"]["key"]).latest("version")


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
    if _needs_mfa(user):
        # Editors have set up two-factor authentication (an authenticator app), as in production.
        give_totp_device(user)
    return user


def _needs_mfa(user) -> bool:
    needed = requires_mfa(user)
    user.__dict__.pop("_ivp_access", None)  # don't leave a cached role set on the test's user object
    return needed


def give_totp_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
        TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)


@pytest.fixture(autouse=True)
def _force_login_completes_mfa(monkeypatch):
    """The test client's force_login also completes the second factor for editors: it marks the session
    as OTP-verified with the user's authenticator (creating one for an editor made outside the `users`
    fixture), as if the code had been entered. `force_login(user, otp_verified=False)` gives a session
    that has only passed the password step (see tests/security/test_mfa.py)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    plain_force_login = Client.force_login

    def force_login(self, user, backend=None, *, otp_verified=True):
        plain_force_login(self, user, backend)
        if otp_verified and _needs_mfa(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = give_totp_device(user).persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


def _role_users() -> dict:
    """One user per role (editors with a confirmed authenticator), in the plan's organisations."""
    base_team = Organisation.objects.get(code="basisteam-meierij")
    vught = Organisation.objects.get(cbs_code=OWN)
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


def _organisations():
    return sorted(Organisation.objects.values_list("code", "kind", "cbs_code", "partner_kind", "name"))


@pytest.fixture(scope="session")
def users_template(django_db_setup, django_db_blocker):
    """The rows `_role_users` writes on top of the plan: made once per session (and rolled back), restored by
    `users` in each test (tests/rowtemplate.py)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        return RowTemplate.capture(setup=_load_plan_file, action=_role_users, state=_organisations)


@pytest.fixture
def users(plan, vught, users_template):
    """One user per role: "anonymous" (None), coordinator, advisor and councillor of Vught, police, prosecutor
    (OM), partner (a housing corporation). Restored from the session's template; made for real when the test
    made users or changed the organisations first."""
    users_template.apply()
    names = {"coordinator": "coordinator", "advisor": "advisor-vught", "councillor": "councillor-vught",
             "police": "police", "prosecutor": "prosecutor", "partner": "partner"}
    made = User.objects.in_bulk(names.values(), field_name="username")
    return {"anonymous": None, **{role: made[name] for role, name in names.items()}}


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


@pytest.fixture
def agreements(plan, vught, heusden, users):
    """Cooperation agreements (test fixture, not data): one per municipality and one of the base team as a
    whole. The partner test user's organisation is a party to Vught's agreement only."""
    coordinator = users["coordinator"]
    police = Organisation.objects.get(code="politie")
    housing = Organisation.objects.filter(partner_kind="housing").first()
    common = {"actor": coordinator, "start_date": dt.date(2024, 1, 1), "review_date": dt.date(2099, 1, 1),
              "status": "active"}
    return {
        OWN: agreement_create(title="Testafspraak boa-politie Vught", kind="boa_police", municipality=vught,
                              parties=[police, housing], owner=users["advisor"], **common),
        OTHER: agreement_create(title="Testafspraak boa-politie Heusden", kind="boa_police", municipality=heusden,
                                parties=[police], owner=coordinator, **common),
        "base": agreement_create(title="Testafspraak BIM", kind="bim", municipality=None,
                                 parties=[vught, heusden, police], owner=coordinator, **common),
    }


@pytest.fixture
def partner_profile(plan, vught, users):
    """The register entry of the partner test user's organisation (test fixture, not data)."""
    housing = Organisation.objects.filter(partner_kind="housing").first()
    return partner_profile_save(actor=users["coordinator"], organisation=housing,
                                contact_role="Team leefbaarheid (testfixture)",
                                contact_email="leefbaarheid@example.org", website="https://example.org",
                                municipalities=[vught])


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Test speed only; production uses the configured (strong) hashers.
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


SHARED_DATA = REPO.parent / "shared" / "data"
POPULATION_FILE = ("population", "population_gemeente_37230_2002_2024_meierij.csv")


@pytest.fixture(scope="session")
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.fail(f"the real open data are expected at {SHARED_DATA} (../shared/data beside the checkout)")
    return SHARED_DATA


def _opendata_template(django_db_blocker, root: Path):
    from ivp.indicators.cache import figures_changed
    from ivp.indicators.services.snapshot_import import snapshot_import

    def municipalities():
        return sorted(Organisation.objects.filter(cbs_code__isnull=False).values_list("code", "cbs_code"))

    with django_db_blocker.unblock():
        return RowTemplate.capture(
            setup=_load_plan_file,
            action=lambda: snapshot_import(actor=None, root=root), state=municipalities, fresh=figures_changed)


@pytest.fixture(scope="session")
def opendata_template(django_db_setup, django_db_blocker, shared_data):
    """The rows that importing the whole real snapshot (../shared/data) on top of the plan writes: imported once per
    session (and rolled back), restored by `imported` in each test that needs them (tests/rowtemplate.py)."""
    return _opendata_template(django_db_blocker, shared_data)


@pytest.fixture(scope="session")
def population_template(django_db_setup, django_db_blocker, shared_data):
    """The same for the CBS population file of the five municipalities alone (37230ned)."""
    return _opendata_template(django_db_blocker, shared_data.joinpath(*POPULATION_FILE))


@pytest.fixture
def imported(plan, opendata_template):
    """The whole real open-data snapshot, as `ivp import_opendata ../shared/data` loads it on top of the plan
    (restored from the session's template; imported for real when the test changed what the import starts from)."""
    opendata_template.apply()


@pytest.fixture
def populations(plan, population_template):
    """Only the real CBS population file (enough where the figures are not the point)."""
    population_template.apply()


@pytest.fixture(autouse=True)
def _empty_figures_cache():
    """Computed figures are cached under the figures' state token (ivp.indicators.cache). Test fixtures write
    observations directly, not through the import services, so each test starts with an empty cache."""
    from django.core.cache import caches

    caches["figures"].clear()
    yield
    caches["figures"].clear()


# The files that take longest (docs/benchmarks.md, "Test suite time"), slowest first. They run first, so that with
# parallel workers (scripts/test: one file per worker at a time) the other files fill in around them instead of one
# long file running alone at the end.
SLOW_FILES = ("e2e/test_accessibility_walk.py", "fault/test_sigkill.py", "fault/test_migrations.py",
              "stats/test_disclosure.py", "indicators/test_publication.py", "core/test_backup.py",
              "indicators/test_snapshot_import.py", "security/test_no_state_change_over_get.py",
              "web/test_tenancy_walk.py", "fault/test_fuzz_uploads.py", "e2e/test_flows.py", "e2e/test_keyboard.py")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    rank = {name: i for i, name in enumerate(SLOW_FILES)}

    def slowest_first(item):
        try:
            return rank.get(item.path.relative_to(here).as_posix(), len(SLOW_FILES))
        except ValueError:
            return len(SLOW_FILES)

    items.sort(key=slowest_first)  # stable: the order within a file, and of the other files, stays
