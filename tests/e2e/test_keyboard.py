"""Keyboard only: the skip link is the first Tab stop and moves the focus to the main content; signing in,
opening the municipality and adding an activity work with Tab, Space and Enter; every element that gets
the focus on the way shows a visible focus indicator (an outline or a box shadow)."""

import re

import pytest

from ivp.execution.models import Activity
from ivp.execution.selectors import current_period_start
from ivp.execution.services import execution_plan_create

from ..conftest import OWN
from .conftest import login

# The focus indicator of the focused element: a visible outline or a box shadow.
FOCUS_STYLE_JS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.name ? `[name=${el.name}]` : '');
  return {visible: outline || shadow, element: name,
          style: `outline: ${style.outlineStyle} ${style.outlineWidth}; box-shadow: ${style.boxShadow}`};
}"""


def tab_to(page, locator, *, limit: int = 250) -> int:
    """Press Tab until the locator has the focus; every focused element on the way must show its focus.
    Returns the number of presses."""
    for presses in range(limit):
        if presses and locator.evaluate("el => el === document.activeElement"):
            return presses
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE_JS)
        assert focus["visible"], f"no visible focus indicator on {focus['element']} ({focus['style']}) at {page.url}"
    raise AssertionError(f"{locator} not reached with {limit} Tab presses at {page.url}")


@pytest.fixture
def anonymous_page(browser, site):
    context = browser.new_context(base_url=site, viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(anonymous_page, plan):
    page = anonymous_page
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert "utrecht-skip-link" in focused
    box = page.locator(".utrecht-skip-link").bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10, "the focused skip link must be visible"
    assert page.evaluate(FOCUS_STYLE_JS)["visible"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert page.url.endswith("#main")


def test_sign_in_and_add_an_activity_with_the_keyboard_only(anonymous_page, site, users, plan, vught):
    page = anonymous_page
    execution_plan = execution_plan_create(actor=users["coordinator"], plan=plan, municipality=vught,
                                           period_start=current_period_start(plan))
    login(page, site, users["advisor"], keyboard=True)

    # Main menu -> municipality -> its execution plan -> "add activity", each by Tab and Enter.
    page.goto("/")
    tab_to(page, page.locator(f'header nav a[href="/gemeente/{OWN}/"]'))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/gemeente/{OWN}/")
    tab_to(page, page.locator(f'main a[href="/gemeente/{OWN}/uitvoering/"]'))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/gemeente/{OWN}/uitvoering/")
    tab_to(page, page.locator(f'main a[href="/uitvoeringsplan/{execution_plan.pk}/activiteit/nieuw/"]'))
    page.keyboard.press("Enter")
    page.wait_for_url("**/activiteit/nieuw/")

    # The form: title, one focus lens (Space ticks a checkbox), then the submit button and Enter.
    tab_to(page, page.locator('main input[name="title"]'))
    page.keyboard.type("Toetsenbordactiviteit")
    tab_to(page, page.locator('main input[name="focus_lenses"]').first)
    page.keyboard.press("Space")
    tab_to(page, page.locator("main form button[type=submit]").first)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/activiteit/\d+/$"))
    activity = Activity.objects.get(title="Toetsenbordactiviteit")
    assert activity.execution_plan == execution_plan and activity.focus_lenses.count() == 1
    assert page.url.endswith(f"/activiteit/{activity.pk}/")


def test_table_regions_take_the_focus_visibly(anonymous_page, plan):
    """A table that may scroll sideways sits in a region that the keyboard can reach (to scroll it)."""
    page = anonymous_page
    page.goto("/plan/versies/")
    region = page.locator('main .ivp-table-wrap[role="region"]').first
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-labelledby")
    tab_to(page, region)
