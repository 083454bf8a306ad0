"""The visual identity in a real browser (ADR 0018): the theme's fonts load from our origin, selects show an
arrow, table cells never break a word, lists of records stack at 390px, and the signed-in header stays compact with
the menu behind a "Menu" button on a phone."""

import pytest
from django.urls import reverse

from ivp.execution.models import ExecutionPlan
from ivp.execution.services import activity_create, status_update_add

PHONE = {"width": 390, "height": 844}

# Words that a cell breaks over two lines (a word's own box has more than one line box).
BROKEN_WORDS_JS = """(selector) => {
  const broken = [];
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[^\\s\\-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture
def own_activity(users, plan, vught):
    advisor = users["advisor"]
    execution_plan = ExecutionPlan.objects.get(municipality=vught, period_start=2023)
    activity = activity_create(actor=advisor, execution_plan=execution_plan, owner=advisor,
                               title="Weerbaarheid van ondernemers tegen ondermijning (test)",
                               focus_lenses=[plan.focus_lenses.first()], planned_budget_cents=2_106_200)
    status_update_add(actor=advisor, activity=activity, status="op_koers", narrative="Loopt (test).")
    return activity


def test_the_themes_fonts_load_from_our_origin(open_as, site):
    page = open_as("anonymous")
    fonts = []
    page.on("request", lambda r: fonts.append(r.url) if r.resource_type == "font" else None)
    page.goto(reverse("web:login"))
    page.evaluate("document.fonts.ready")
    assert page.evaluate("""() => document.fonts.check('700 24px "Noto Serif"')
                                  && document.fonts.check('400 16px "Noto Sans"')""")
    heading = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert heading.startswith('"Noto Serif"'), heading
    loaded = page.evaluate("""() => [...document.fonts].filter(f => f.status === 'loaded')
                                                      .map(f => f.family.replace(/"/g, ''))""")
    assert {"Noto Sans", "Noto Serif"} <= set(loaded), loaded
    assert fonts and all(url.startswith(site + "/static/") for url in fonts), fonts


def test_selects_show_an_arrow(open_as, own_activity):
    page = open_as("advisor")
    page.goto(reverse("web:activity_edit", kwargs={"pk": own_activity.pk}))
    select = page.locator("main select").first
    style = select.evaluate("el => [getComputedStyle(el).backgroundImage, getComputedStyle(el).appearance]")
    assert style[0].startswith('url("data:image/svg+xml'), style
    assert style[1] == "none"


@pytest.mark.parametrize("width", [1280, 390])
def test_my_activities_never_breaks_a_word(open_as, own_activity, width):
    page = open_as("advisor")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(reverse("web:my_activities"))
    assert page.get_by_text("op koers").first.is_visible()
    broken = page.evaluate(BROKEN_WORDS_JS, "main .utrecht-table__cell, main .utrecht-table__header-cell")
    assert not broken, f"words broken at {width}px: {broken}"


def test_at_390px_rows_stack_and_the_header_is_compact(open_as, own_activity):
    page = open_as("advisor")
    page.set_viewport_size(PHONE)
    page.goto(reverse("web:my_activities"))
    # The list of records reads without sideways scrolling: each row a block with its column labels.
    region = page.locator("main .ivp-table-wrap").first
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    cell = page.locator("main td[data-label]").first
    label = cell.evaluate("el => getComputedStyle(el, '::before').content")
    assert label not in ("none", "normal", ""), label
    assert page.locator("main tbody th[scope=row]").first.bounding_box()["width"] > 300
    # The signed-in header takes a small part of the first screen; the menu hides behind "Menu".
    header = page.locator("header").bounding_box()
    assert header["height"] <= 160, header
    toggle = page.get_by_role("button", name="Menu")
    nav_link = page.locator("#ivp-nav a").first
    assert toggle.get_attribute("aria-expanded") == "false" and not nav_link.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and nav_link.is_visible()
    # At desktop width there is no toggle and the menu shows.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not toggle.is_visible() and nav_link.is_visible()


def test_without_script_the_menu_simply_shows(open_as, own_activity):
    page = open_as("advisor", java_script_enabled=False)
    page.set_viewport_size(PHONE)
    page.goto(reverse("web:my_activities"))
    assert page.locator("#ivp-nav a").first.is_visible()
    assert not page.get_by_role("button", name="Menu").is_visible()
