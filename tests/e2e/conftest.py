"""Browser tests: Playwright (Python) driving the Debian Chromium against pytest-django's live server.

One browser per session, one browser context per role (a context is a fresh cookie jar). The
sample objects are those of the tenancy walk (tests/web/test_tenancy_walk.py), plus the real open-data
snapshot so the dashboards have their charts and maps. Editors (coordinator, advisor) get a confirmed
TOTP device when django-otp is installed; `login()` types a valid one-time code when the login form
asks for one.

Chromium: /usr/bin/chromium (Debian package `chromium`; `.ci/run` installs it), or IVP_CHROMIUM. When it
is missing the browser tests are skipped with the reason, except in CI (CI=true), where they fail.
"""

import os
import re
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

# Playwright's sync API runs an asyncio event loop in this thread; Django's ORM (used by the fixtures and
# the TOTP helper while a page is open) refuses that unless told it is safe, which it is here: nothing
# else runs on that loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from _pytest.fixtures import getfixturemarker  # noqa: E402

from ..conftest import REPO  # noqa: E402
from ..web import test_tenancy_walk as _walk  # noqa: E402

# The tenancy walk's fixtures (its sample objects, some autouse) apply here too, so every page has the same
# sample objects as there, also when that module gains new ones.
globals().update({name: value for name, value in vars(_walk).items() if getfixturemarker(value) is not None})

CHROMIUM = os.environ.get("IVP_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "test-password-123!"  # tests/conftest.py make_user
EDITOR_ROLES = ("coordinator", "advisor")
DESKTOP = {"width": 1280, "height": 900}


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        _unavailable(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium; or set IVP_CHROMIUM)")
    if not AXE_JS.is_file():
        _unavailable(f"axe-core not found at {AXE_JS} (run scripts/test or npm ci)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is in the locked test extras
        _unavailable(f"playwright is not installed: {exc}")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def opendata(imported):
    """The real offline open-data snapshot, so the dashboards show charts, a map and their tables (tests/conftest.py
    `imported`)."""


@pytest.fixture
def mfa_devices(users):
    """A confirmed TOTP device for every editor, when django-otp's TOTP plugin is installed."""
    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return {}
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return {role: TOTPDevice.objects.create(user=users[role], name="default", confirmed=True)
            for role in EDITOR_ROLES}


@pytest.fixture
def site(transactional_db, live_server, users, mfa_devices):
    """The live server with users per role (editors with MFA devices). Returns the base URL."""
    return live_server.url


def one_time_code(user) -> str:
    """A valid TOTP code of the user's confirmed device, never one the device has already accepted."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    assert device is not None, f"the login asks {user} for a one-time code, but the user has no TOTP device"
    now = int((time.time() - device.t0) // device.step)
    drift = 1 if device.last_t is not None and device.last_t >= now else 0  # the device accepts t-1..t+1
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{code:0{device.digits}d}"


OTP_FIELD = 'main input[name$="otp_token"], main input[autocomplete="one-time-code"]'
LOGOUT_FORM = 'form[action$="/uitloggen/"]'


def login(page, base_url: str, user, password: str = PASSWORD, *, keyboard: bool = False) -> None:
    """Sign in through the login form (username, password, and a one-time code when asked for one).

    With keyboard=True only the keyboard is used: Tab to each field, type, Enter.
    """
    page.goto(base_url + reverse("web:login"))
    username = page.locator('main input[name$="username"]')
    with page.expect_navigation():
        if keyboard:
            _tab_to(page, username)
            page.keyboard.type(user.get_username())
            page.keyboard.press("Tab")
            page.keyboard.type(password)
            page.keyboard.press("Enter")
        else:
            username.fill(user.get_username())
            page.locator('main input[name$="password"]').fill(password)
            page.locator('main input[name$="password"]').press("Enter")
    otp = page.locator(OTP_FIELD)
    if otp.count():
        code = one_time_code(user)
        with page.expect_navigation():
            if keyboard:
                _tab_to(page, otp.first)
                page.keyboard.type(code)
                page.keyboard.press("Enter")
            else:
                otp.first.fill(code)
                otp.first.press("Enter")
        assert page.locator(OTP_FIELD).count() == 0, f"the one-time code of {user} was refused; page: {page.url}"
    assert page.locator(LOGOUT_FORM).count() == 1, f"{user} is not signed in; page: {page.url}"


def _tab_to(page, locator, limit: int = 60) -> None:
    """Press Tab until the locator has focus (fails after `limit` presses)."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {locator} with Tab in {limit} presses on {page.url}")


@pytest.fixture
def open_as(browser, site, users):
    """open_as(role) -> a page in a new browser context, signed in as that role ("anonymous": not signed in)."""
    contexts = []

    def _open(role: str, **context_options):
        context = browser.new_context(base_url=site, viewport=DESKTOP, locale="nl-NL", **context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if users.get(role) is not None:
            login(page, site, users[role])
        return page

    yield _open
    for context in contexts:
        context.close()


def axe_violations(page, axe_source: str) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the current page: rule id, impact, target selectors."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)  # evaluated over CDP: not subject to the page's Content-Security-Policy
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                   resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 8).map(n => n.target.join(' ')), count: v.nodes.length}));
        }""",
        AXE_TAGS,
    )


def format_violations(where: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        more = f" (+{v['count'] - len(v['targets'])} more)" if v["count"] > len(v["targets"]) else ""
        lines.append(f"{where}: {v['id']} [{v['impact']}] {v['help']}: {', '.join(v['targets'])}{more}")
    return "\n".join(lines)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
