"""A re-prioritisation in a real browser (issue 13 item 4, ADR 0015): the coordinator proposes a new version of the
plan from the plan page, adds an ambition and removes a planned action, sees the difference with the version in
force, puts the proposal out for consultation and records one council's adoption; the midterm report then lists the
changes in its chapter on the proposed re-prioritisation. The pages pass axe-core. Elements are found by address
and field name, not by their Dutch text. With IVP_SCREENSHOTS=DIR the editor and the diff are saved as PNG."""

import datetime as dt
import os
from pathlib import Path

from django.core.management import call_command

from ivp.plans.models import Adoption, Plan, Theme, ThemeStatement
from ivp.plans.services import adoption_update

from ..conftest import OWN
from .conftest import axe_violations, format_violations

SUBMIT = "button[type=submit]"
AMBITION = "Ondermijning in het buitengebied halveren (browsertest)."


def _screenshot(page, name: str, part: str | None = None) -> None:
    folder = os.environ.get("IVP_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"))
        if part:
            page.locator(part).screenshot(path=str(Path(folder) / f"{name}-part.png"))


def _accessible(page, axe_source, where: str) -> None:
    violations = axe_violations(page, axe_source)
    assert not violations, format_violations(where, violations)


def test_coordinator_proposes_consults_and_records_an_adoption(open_as, axe_source, plan, users, tmp_path):
    # Vught's council adopted the plan in force: the report compares the proposal with that version.
    adoption_update(actor=users["coordinator"], adoption=Adoption.objects.get(plan=plan, municipality__cbs_code=OWN),
                    status="vastgesteld", date=dt.date(2022, 12, 15), decision_reference="Raadsbesluit 2022/88")
    page = open_as("coordinator")
    page.goto("/")
    page.locator(f'main form[action="/plan/voorstel/nieuw/"] {SUBMIT}').click()
    proposal = Plan.objects.get(is_proposal=True)
    page.wait_for_url(f"**/plan/voorstel/{proposal.pk}/")
    _screenshot(page, "proposal-start")

    theme = Theme.objects.get(plan=proposal, code="subversion")
    page.locator(f'main a[href="/plan/voorstel/thema/{theme.pk}/tekst/nieuw/?soort=ambition"]').click()
    page.locator('main textarea[name="text"]').fill(AMBITION)
    page.locator(f"main form {SUBMIT}").click()
    page.wait_for_url(f"**/plan/voorstel/{proposal.pk}/**")
    assert ThemeStatement.objects.filter(theme=theme, kind="ambition", text=AMBITION).exists()

    action = ThemeStatement.objects.filter(theme=theme, kind="planned_action").order_by("order").first()
    page.locator(f'main form[action="/plan/voorstel/tekst/{action.pk}/verwijderen/"] {SUBMIT}').click()
    page.wait_for_url(f"**/plan/voorstel/{proposal.pk}/**")
    assert not ThemeStatement.objects.filter(pk=action.pk).exists()
    _accessible(page, axe_source, "proposal (concept)")
    _screenshot(page, "proposal-editor", f"#theme-{theme.pk}")

    page.locator(f'main a[href="/plan/voorstel/{proposal.pk}/verschillen/"]').click()
    diff = page.locator("main table")
    assert AMBITION in diff.inner_text() and action.text[:60] in diff.inner_text()
    assert diff.locator("tr.ivp-diff-added").count() >= 1 and diff.locator("tr.ivp-diff-removed").count() >= 1
    _accessible(page, axe_source, "proposal diff")
    _screenshot(page, "proposal-diff", "main")

    page.goto(f"/plan/voorstel/{proposal.pk}/")
    page.locator(f'main form[action="/plan/voorstel/{proposal.pk}/ter-consultatie/"] {SUBMIT}').click()
    page.wait_for_url(f"**/plan/voorstel/{proposal.pk}/**")
    proposal.refresh_from_db()
    assert proposal.status == "ter_consultatie"

    boxtel = Adoption.objects.get(plan=proposal, municipality__cbs_code="GM0757")
    page.locator(f'main a[href="/vaststelling/{boxtel.pk}/bewerken/"]').click()
    page.locator('main select[name="status"]').select_option("vastgesteld")
    page.locator('main input[name="date"]').fill("2025-06-12")
    page.locator('main input[name="decision_reference"]').fill("Raadsbesluit 2025/41")
    page.locator(f"main form {SUBMIT}").click()
    page.wait_for_url(f"**/plan/voorstel/{proposal.pk}/**")
    boxtel.refresh_from_db()
    assert (boxtel.status, boxtel.decision_reference) == ("vastgesteld", "Raadsbesluit 2025/41")
    assert "Raadsbesluit 2025/41" in page.locator("main #adoptions-heading + div table").inner_text()
    _accessible(page, axe_source, "proposal (out for consultation)")

    # The midterm report of Vught shows the proposal's changes in "Voorgestelde herprioritering".
    out = tmp_path / "tussenevaluatie.html"
    call_command("report", "--user", "coordinator", "--area", OWN, "--kind", "midterm", "--period", "2023-2024",
                 "--format", "html", "-o", str(out))
    chapter = out.read_text(encoding="utf-8").split('id="herprioritering"', 1)[1]
    assert AMBITION in chapter and action.text[:60] in chapter
    assert "versie 2" in chapter
