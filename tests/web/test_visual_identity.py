"""The visual identity and the polish list as pages (ADR 0018): the theme's fonts served from our origin, a favicon,
selects with an arrow, history pages in words, Dutch output of `ivp bootstrap`."""

import datetime as dt
import logging
import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from ivp.execution.services import activity_create, execution_plan_create, status_update_add

from ..conftest import PLAN_FILE, REPO

pytestmark = pytest.mark.django_db
THEME = REPO / "node_modules" / "@nl-design-system-unstable" / "voorbeeld-design-tokens" / "dist" / "theme.css"


def _static(path: str) -> str:
    found = finders.find(path)
    assert found, f"static file {path} not found"
    return Path(found).read_text(encoding="utf-8")


def test_the_themes_fonts_are_declared_and_served_from_our_origin():
    theme = THEME.read_text(encoding="utf-8")
    families = {re.search(rf"--basis-{token}:\s*'([^']+)'", theme).group(1)
                for token in ("text-font-family-default", "heading-font-family")}
    fonts = _static("ivp/fonts.css")
    declared = set(re.findall(r"font-family: '([^']+)'", fonts))
    assert families <= declared, f"the theme uses {families}, fonts.css declares {declared}"
    urls = re.findall(r'url\("\.\./([^"]+)"\)', fonts)
    assert urls and all(not u.startswith(("http:", "https:", "//")) for u in urls)
    for url in urls:  # every file is in node_modules (npm), collected as a static file
        assert finders.find(url), f"{url} is not a static file (npm install / STATICFILES_DIRS)"


def test_pages_link_the_fonts_favicon_and_allow_them_in_the_csp(client):
    response = client.get(reverse("web:login"))
    html = response.content.decode()
    assert 'href="/static/ivp/fonts.css"' in html
    assert re.search(r'<link rel="icon" href="/static/ivp/favicon.svg" type="image/svg\+xml">', html)
    csp = response["Content-Security-Policy"]
    assert "font-src 'self'" in csp and "img-src 'self' data:" in csp
    assert "<svg" in _static("ivp/favicon.svg")
    redirect = client.get("/favicon.ico")
    assert redirect.status_code == 301 and redirect["Location"] == "/static/ivp/favicon.svg"


def test_selects_have_an_arrow():
    css = _static("ivp/ivp.css")
    arrow = re.search(r"--utrecht-select-background-image:\s*url\(\"data:image/svg\+xml,[^\"]+\"\)", css)
    assert arrow, "the Utrecht select gets no arrow without --utrecht-select-background-image"
    assert "padding-inline-end" in css.split("--utrecht-select-background-image", 1)[1][:800]


@pytest.fixture
def activity(plan, vught, users):
    execution_plan = execution_plan_create(actor=users["coordinator"], plan=plan, municipality=vught,
                                           period_start=2023)
    activity = activity_create(actor=users["advisor"], execution_plan=execution_plan, title="Weerbaarheid (test)",
                               owner=users["advisor"], focus_lenses=[plan.focus_lenses.get(code="youth")],
                               planned_budget_cents=20_000_000_00, start_date=dt.date(2023, 3, 1))
    status_update_add(actor=users["advisor"], activity=activity, status="op_koers", narrative="Loopt (test).",
                      as_of=dt.date(2024, 12, 31))
    return activity


def test_history_shows_dutch_labels_choice_labels_euros_and_dates(client, users, activity):
    client.force_login(users["advisor"])
    html = client.get(reverse("web:object_history", kwargs={"kind": "activiteit", "pk": activity.pk})).content.decode()
    changes = " ".join(re.findall(r'<ul class="ivp-changes">(.*?)</ul>', html, re.S))
    for dutch in ("Status: - &rarr; op koers", "Toelichting:", "Peildatum: - &rarr; 31-12-2024",
                  "Gepland budget: - &rarr; € 20.000.000,00", "Begindatum: - &rarr; 01-03-2023"):
        assert dutch in changes, dutch
    for code in ("op_koers", "Narrative", "As_of", "(centen)", "20000000000", "2024-12-31", "[", "]"):
        assert code not in changes, code


def test_bootstrap_speaks_dutch(settings, tmp_path):
    # Files a snapshot folder holds that are deliberately not imported (a small test folder, not data).
    (tmp_path / "PROVENANCE.md").write_text("# test\n", encoding="utf-8")
    (tmp_path / "boundaries").mkdir()
    (tmp_path / "boundaries" / "gemeente_2022_83648_crime_nl.geojson").write_text("{}", encoding="utf-8")
    (tmp_path / "odata_samples").mkdir()
    (tmp_path / "odata_samples" / "sample.json").write_text("{}", encoding="utf-8")
    settings.IVP_OPENDATA_DIR = str(tmp_path)
    out, err = StringIO(), StringIO()
    call_command("bootstrap", "--plan-file", str(PLAN_FILE), stdout=out, stderr=err)
    text = out.getvalue() + err.getvalue()
    assert "niet geïmporteerd: PROVENANCE.md (documentatie)" in text
    assert "landelijke gemeentegrenzen" in text and "Database bijgewerkt." in text
    for english in ("not imported", "documentation", " the ", "Database updated", "rows", "national"):
        assert english not in text, f"English in the output of ivp bootstrap: {english!r}\n{text}"
    # django-axes' start-up banner is not printed by every command
    assert not logging.getLogger("axes.apps").isEnabledFor(logging.INFO)


def test_one_number_format_in_forms_and_pages(client, users, activity):
    """An amount is written the same way in a form as on the page that shows it (1.234,56; ivp.notation)."""
    from ivp.budget.services import allocation_create

    allocation = allocation_create(actor=users["coordinator"], year=2024, kind="bim", title="BIM (test)",
                                   amount_cents=1_062_00)
    client.force_login(users["coordinator"])
    detail = client.get(reverse("web:budget_allocation_detail", kwargs={"pk": allocation.pk})).content.decode()
    form = client.get(reverse("web:budget_allocation_edit", kwargs={"pk": allocation.pk})).content.decode()
    assert "€ 1.062,00" in detail and 'value="1.062,00"' in form and "1062" not in form
    client.force_login(users["advisor"])
    activity_form = client.get(reverse("web:activity_edit", kwargs={"pk": activity.pk})).content.decode()
    assert 'value="20.000.000,00"' in activity_form
