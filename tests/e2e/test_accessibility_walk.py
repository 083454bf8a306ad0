"""Every page x every role, in a real browser: axe-core (WCAG 2.1 A and AA) finds no violation, the page
reflows at 320 and at 390 CSS pixels (a common phone), every chart and map has a data table beside it, and the
footer links to the accessibility statement.

The pages are the named GET routes of the tenancy walk (tests/web/test_tenancy_walk.py) with its sample
objects, for each role that gets a 200 there, plus that role's error pages (403, 404) and the login page.
Downloads (CSV, Excel, reports) and htmx fragments are not pages and are left out.
"""

import hashlib
import inspect
import re

import pytest
from django.urls import reverse

from ..conftest import OTHER, OWN
from ..web import test_tenancy_walk as walk
from .conftest import DESKTOP, OTP_FIELD, PASSWORD, axe_violations, format_violations, path_of

REFLOW = {"width": 320, "height": 640}
PHONE = {"width": 390, "height": 844}

# Structural checks run in the page; each returns a list of problems (strings).
REFLOW_JS = """() => {
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className.trim()
         ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const problems = [];
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth) {
    // The innermost elements that stick out on the right, outside any sideways-scrolling container.
    const wide = [...document.body.querySelectorAll('*')].filter(el => {
      if (el.getBoundingClientRect().right <= window.innerWidth + 0.5) return false;
      // Inside a scrolling frame: a DOM ancestor, or for absolutely positioned boxes their containing block.
      const positioned = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
      for (let a = positioned ? el.offsetParent : el.parentElement; a && a !== document.body;
           a = positioned ? a.offsetParent : a.parentElement) if (scrolls(a)) return false;
      return true;
    });
    // Text that does not wrap (a long word, a checksum) sticks out of an element that itself fits.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      const el = node.parentElement;
      if (range.getBoundingClientRect().right > window.innerWidth + 0.5 && !wide.includes(el)
          && ![...wide].some(w => w.contains(el))) {
        let inside = false;
        for (let a = el; a && a !== document.body; a = a.parentElement) if (scrolls(a)) { inside = true; break; }
        if (!inside) wide.push(el);
      }
    }
    const innermost = wide.filter(el => !wide.some(other => other !== el && el.contains(other)));
    problems.push(`page is ${width}px wide at ${window.innerWidth}px (horizontal scrolling); `
                  + `too wide: ${innermost.slice(0, 5).map(describe).join(', ')}`);
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (!scrolls(el) || el.scrollWidth <= el.clientWidth + 1) continue;
    const named = el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
    if (el.tabIndex < 0 || el.getAttribute('role') !== 'region' || !named) {
      problems.push(`${describe(el)} scrolls sideways but is not a focusable, labelled region `
                    + '(tabindex="0" role="region" aria-labelledby)');
    }
  }
  return problems;
}"""

CHARTS_JS = """() => {
  const problems = [];
  for (const svg of document.querySelectorAll('main svg')) {
    if (svg.closest('button, a') || svg.getAttribute('aria-hidden') === 'true') continue;  // icons
    const label = svg.getAttribute('aria-labelledby') || svg.getAttribute('aria-label');
    if (svg.getAttribute('role') !== 'img' || !label) {
      problems.push('an svg chart without role="img" and an accessible name');
    }
    const figure = svg.closest('figure');
    const block = svg.closest('article, section');
    if (!(figure && figure.querySelector('table')) && !(block && block.querySelector('table'))) {
      problems.push(`chart ${label} has no data table in its figure or section`);
    }
  }
  return problems;
}"""

FOOTER_JS = """() => {
  const link = document.querySelector('footer a[href$="/toegankelijkheid/"]');
  return link ? [] : ['no link to the accessibility statement in the footer'];
}"""

NOT_PAGES = ("Download is starting", "net::ERR_ABORTED")


# Fingerprints of markup that passed every check, across the roles of one session: police and OM, for
# example, get many pages byte for byte the same apart from their user name and tokens.
CHECKED_MARKUP: set[str] = set()
_VOLATILE = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')


def _fingerprint(html: str, username: str) -> str:
    html = _VOLATILE.sub("", html)
    if username:
        html = html.replace(username, "")
    return hashlib.sha256(html.encode()).hexdigest()


def check_page(page, where: str, axe_source: str) -> list[str]:
    """Every check on the loaded page (viewport 320px wide): reflow at 320 and 390px, then axe-core, the charts' data
    tables and the footer link at desktop width. Returns the problems found."""
    found = [f"{where} at 320px: {p}" for p in page.evaluate(REFLOW_JS)]
    page.set_viewport_size(PHONE)
    found += [f"{where} at 390px: {p}" for p in page.evaluate(REFLOW_JS)]
    page.set_viewport_size(DESKTOP)
    violations = axe_violations(page, axe_source)
    found += [format_violations(where, violations)] if violations else []
    found += [f"{where}: {p}" for p in page.evaluate(CHARTS_JS) + page.evaluate(FOOTER_JS)]
    return found


def _sample_objects(request):
    """Request the same fixtures as the tenancy walk's tests, so the sample objects stay in step with it."""
    for test in (walk.test_get_every_route, walk.test_history_of_every_kind):
        for name in inspect.signature(test).parameters:
            if name not in ("client", "role"):
                request.getfixturevalue(name)
    plan = request.getfixturevalue("plan")
    return plan, request.getfixturevalue("priorities"), list(plan.themes.order_by("order"))


def _pages(role, plan, priorities, themes):
    """(label, url, expected status) for every page of this role: 200s, one 403, one 404, the login page."""
    pages, seen, errors = [], set(), {}
    routes = [(name, expected, walk._kwargs) for name, expected in walk.EXPECTED_GET.items() if expected]
    routes += [(kind, expected, walk._history_kwargs) for kind, expected in walk.EXPECTED_HISTORY.items()]
    for name, expected, kwargs_of in routes:
        for code, status in zip((OWN, OTHER), expected[role], strict=True):
            if status not in (200, 403, 404):
                continue
            if kwargs_of is walk._history_kwargs:
                url = reverse("web:object_history", kwargs=kwargs_of(name, code, plan, priorities, themes))
                label = f"object_history[{name}]"
            else:
                url = reverse(f"web:{name}", kwargs=kwargs_of(name, code, plan, priorities, themes))
                label = name
            if url in seen:
                continue
            seen.add(url)
            if status == 200:
                pages.append((label, url, 200))
            elif status not in errors:
                errors[status] = (f"{label} (error page {status})", url, status)
    pages += list(errors.values())
    pages.append(("unknown address (error page 404)", "/bestaat-niet/", 404))
    if role == "anonymous":
        assert any(label == "login" for label, _url, _status in pages)
    return pages


@pytest.mark.parametrize("role", walk.ROLES)
def test_every_page_is_accessible(role, request, open_as, axe_source, opendata, users):
    plan, priorities, themes = _sample_objects(request)
    username = users[role].get_username() if users[role] else ""
    page = open_as(role)
    page.context.add_init_script(script=axe_source)  # axe-core in every page of this walk, before it loads
    problems, checked = [], 0
    for label, url, expected in _pages(role, plan, priorities, themes):
        where = f"{role} {label} {url}"
        page.set_viewport_size(REFLOW)  # reflow first, on a fresh layout; then axe-core at desktop width
        try:
            response = page.goto(url)
        except Exception as exc:  # noqa: BLE001 - a download aborts the navigation: not a page
            if any(marker in str(exc) for marker in NOT_PAGES):
                continue
            raise
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if response.status != expected:
            problems.append(f"{where}: status {response.status}, expected {expected}")
            continue
        if "<html" not in response.text()[:1000].lower():
            continue  # an htmx fragment (e.g. a progress bar), checked as part of its page
        checked += 1
        fingerprint = _fingerprint(response.text(), username)
        if fingerprint in CHECKED_MARKUP:
            continue  # the same markup (apart from the user's name and tokens) passed for another role
        found = check_page(page, where, axe_source)
        problems += found
        if not found:
            CHECKED_MARKUP.add(fingerprint)
    assert checked >= 10, f"only {checked} pages checked for {role}"
    assert not problems, f"{len(problems)} accessibility problem(s):\n" + "\n".join(problems)


@pytest.mark.django_db
def test_the_statement_names_the_standard_and_the_tests_that_exist(client):
    """The accessibility statement keeps to the facts: the standard, and test files that really exist."""
    from ..conftest import REPO

    html = client.get(reverse("web:accessibility_statement")).content.decode()
    for text in ("WCAG 2.1", "EN 301 549", "axe-core", "320"):
        assert text in html, text
    named = set(re.findall(r"<code>(tests/e2e/[a-z_]+\.py)</code>", html))
    assert named == {"tests/e2e/test_accessibility_walk.py", "tests/e2e/test_keyboard.py", "tests/e2e/test_flows.py"}
    for path in named:
        assert (REPO / path).is_file(), path


def test_the_checks_find_a_planted_problem(open_as, axe_source, plan):
    """A guard against a silently broken walk (e.g. axe-core blocked by the Content-Security-Policy): on a real
    page, an image without alt text, a form field without a label and an over-wide element are found."""
    page = open_as("anonymous")
    page.context.add_init_script(script=axe_source)
    page.set_viewport_size(REFLOW)
    page.goto("/")
    page.evaluate("""() => {
      const main = document.querySelector('main');
      main.insertAdjacentHTML('beforeend', '<img src="/static/ivp/ivp.css"><input type="text">');
      const wide = document.createElement('p');
      wide.style.inlineSize = '900px';  // through the CSSOM: the CSP refuses style attributes in markup
      wide.textContent = 'breed';
      main.append(wide);
    }""")
    problems = page.evaluate(REFLOW_JS)
    assert any("horizontal scrolling" in p for p in problems), problems
    found = {v["id"] for v in axe_violations(page, axe_source)}
    assert {"image-alt", "label"} <= found, found


def test_the_sign_in_steps_are_accessible(browser, site, users, mfa_devices, axe_source):
    """The pages on the way in that the walk cannot open directly: the one-time-code page of an editor, and the
    set-up page of an editor without an authenticator app yet."""
    if not mfa_devices:
        pytest.skip("django-otp is not installed: there are no code pages")
    mfa_devices["advisor"].delete()
    problems = []
    for role in ("coordinator", "advisor"):
        context = browser.new_context(base_url=site, viewport=REFLOW, locale="nl-NL")
        context.add_init_script(script=axe_source)
        page = context.new_page()
        page.goto(reverse("web:login"))
        page.locator('main input[name$="username"]').fill(users[role].get_username())
        with page.expect_navigation():
            page.locator('main input[name$="password"]').fill(PASSWORD)
            page.locator('main input[name$="password"]').press("Enter")
        assert page.locator(OTP_FIELD).count() == 1, f"{role}: no code field at {page.url}"
        page.set_viewport_size(REFLOW)
        page.reload()
        problems += check_page(page, f"{role} sign-in code page {path_of(page.url)}", axe_source)
        context.close()
    assert not problems, "\n".join(problems)
