"""The main tasks end to end in a real browser: an advisor signs in (with a one-time code), opens the
municipality, makes the execution plan of the current period, adds an activity and a status update, and
makes and downloads a council report; a councillor sees but cannot edit; an advisor cannot reach another
municipality's objects.

Elements are found by address (href/action) and field name, not by their Dutch text, so a changed
translation does not break these tests.
"""

import pytest

from ivp.execution.models import Activity, StatusUpdate
from ivp.reports.models import ReportRun

from ..conftest import OTHER, OWN

pytestmark = pytest.mark.usefixtures("priorities")

SUBMIT = "button[type=submit]"


def _csrf_token(page) -> str:
    """The CSRF token of the page (the sign-out form in the header has one), as a hand-made POST needs it."""
    return page.locator('input[name="csrfmiddlewaretoken"]').first.get_attribute("value")


def _h1(page) -> str:
    return page.locator("main h1").inner_text()


def test_advisor_adds_an_activity_and_a_status_update_and_makes_a_report(open_as, vught, settings):
    settings.IVP_REPORT_RUNNER = "inline"  # the live server's database is not shared with worker threads
    page = open_as("advisor")

    # Municipality page, from the main menu.
    page.locator(f'header nav a[href="/gemeente/{OWN}/"]').click()
    assert "Vught" in _h1(page)

    # Execution plan of the current period: there is none yet, so make it.
    page.locator(f'main a[href="/gemeente/{OWN}/uitvoering/"]').click()
    page.locator(f'main a[href^="/uitvoeringsplan/nieuw/{OWN}/"]').click()
    page.locator(f"main form {SUBMIT}").first.click()
    assert page.url.split("?")[0].endswith(f"/gemeente/{OWN}/uitvoering/")

    # Add an activity.
    page.locator('main a[href$="/activiteit/nieuw/"]').click()
    page.locator('main input[name="title"]').fill("E2E-activiteit buurtpreventie")
    page.locator('main textarea[name="description"]').fill("Aangemaakt door de browsertest.")
    page.locator('main input[name="focus_lenses"]').first.check()
    page.locator(f"main form {SUBMIT}").first.click()
    assert _h1(page).startswith("E2E-activiteit buurtpreventie")
    activity = Activity.objects.get(title="E2E-activiteit buurtpreventie")
    assert activity.municipality == vught and page.url.endswith(f"/activiteit/{activity.pk}/")

    # Add a status update.
    status_form = page.locator('main form[action$="/status/"]')
    status_form.locator('select[name="status"]').select_option(index=1)
    status_form.locator('textarea[name="narrative"]').fill("Eerste bijeenkomst gehouden.")
    status_form.locator(SUBMIT).click()
    assert page.locator("main", has_text="Eerste bijeenkomst gehouden.").count() == 1
    assert StatusUpdate.objects.filter(activity=activity, narrative="Eerste bijeenkomst gehouden.").exists()

    # Make a report ("Rapport maken" on the municipality page) and download it.
    page.locator(f'header nav a[href="/gemeente/{OWN}/"]').click()
    page.locator(f'main a[href^="/gemeente/{OWN}/rapporten/"]').first.click()
    report_form = page.locator("main form", has=page.locator('select[name="fmt"]'))
    report_form.locator(SUBMIT).click()
    run = ReportRun.objects.filter(area_code=OWN, created_by__username="advisor-vught").latest("pk")
    assert page.url.split("#")[0].endswith(f"/rapport/{run.pk}/")
    download_link = page.locator(f'main a[href="/rapport/{run.pk}/download/"]')
    download_link.wait_for(timeout=60_000)  # with a background runner the page polls until the run is done
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    content = open(download.path(), "rb").read()  # noqa: SIM115 - Playwright owns and removes the file
    run.refresh_from_db()
    assert run.status == "done" and download.suggested_filename == run.filename
    assert content == bytes(run.content) and len(content) > 100


def test_councillor_sees_but_cannot_edit(open_as, users, site):
    page = open_as("councillor")
    activity = Activity.objects.get(municipality__cbs_code=OWN)
    for url in (f"/gemeente/{OWN}/", f"/gemeente/{OWN}/uitvoering/?periode={activity.execution_plan.period_start}",
                f"/activiteit/{activity.pk}/", f"/gemeente/{OWN}/rapporten/"):
        response = page.goto(url)
        assert response.status == 200, url
        main = page.locator("main")
        assert main.locator('a[href*="/bewerken/"], a[href$="/nieuw/"], a[href*="/nieuw/"]').count() == 0, url
        assert main.locator('form[method="post"]').count() == 0, f"{url}: a form to change something"

    # A hand-made POST (what the missing button would send) is refused and changes nothing.
    page.goto(f"/activiteit/{activity.pk}/")
    assert activity.title in _h1(page)
    token = _csrf_token(page)
    before = StatusUpdate.objects.count()
    response = page.request.post(f"{site}/activiteit/{activity.pk}/status/",
                                 form={"csrfmiddlewaretoken": token, "status": "op_koers", "narrative": "Mag niet."})
    assert response.status == 403
    assert StatusUpdate.objects.count() == before
    response = page.request.post(f"{site}/uitvoeringsplan/{activity.execution_plan_id}/activiteit/nieuw/",
                                 form={"csrfmiddlewaretoken": token, "title": "Mag niet"})
    assert response.status == 403
    assert not Activity.objects.filter(title="Mag niet").exists()


def test_advisor_cannot_reach_another_municipality(open_as, site):
    page = open_as("advisor")
    other = Activity.objects.get(municipality__cbs_code=OTHER)
    for url in (f"/gemeente/{OTHER}/", f"/gemeente/{OTHER}/uitvoering/", f"/activiteit/{other.pk}/",
                f"/activiteit/{other.pk}/bewerken/", f"/uitvoeringsplan/{other.execution_plan_id}/activiteit/nieuw/",
                f"/gemeente/{OTHER}/rapporten/"):
        response = page.goto(url)
        assert response.status == 404, f"{url}: {response.status}"
        assert "Testactiviteit" not in page.content()
    assert page.locator(f'header nav a[href="/gemeente/{OTHER}/"]').count() == 0
    page.goto(f"/gemeente/{OWN}/")
    token = _csrf_token(page)
    before = StatusUpdate.objects.count()
    response = page.request.post(f"{site}/activiteit/{other.pk}/status/",
                                 form={"csrfmiddlewaretoken": token, "status": "op_koers", "narrative": "Mag niet."})
    assert response.status == 404
    assert StatusUpdate.objects.count() == before


def test_coordinator_invites_and_the_invitee_sets_a_password_and_an_authenticator(open_as, browser, site, settings,
                                                                                    vught):
    """Issue 14: the coordinator invites a new advisor on the people page; the invitee opens the one-time link from
    the e-mail, chooses a password, sets up the authenticator app and lands on Mijn IVP of their municipality."""
    import re
    from base64 import b32decode

    from django.core import mail
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ivp.core.models import Invitation, User

    from .conftest import DESKTOP

    settings.IVP_BASE_URL = site  # the link in the e-mail points to the live server
    page = open_as("coordinator")
    page.locator('header nav a[href="/personen/"]').click()
    page.locator('main a[href="/personen/uitnodigen/"]').click()
    form = page.locator("main form")
    form.locator('input[name="name"]').fill("Esther van Eijk")
    form.locator('input[name="email"]').fill("esther@example.org")
    form.locator('input[name="function"]').fill("adviseur openbare orde en veiligheid")
    form.locator('select[name="organisation"]').select_option(str(vught.pk))
    form.locator('select[name="role"]').select_option("advisor")
    form.locator(SUBMIT).click()
    invitee = User.objects.get(email="esther@example.org")
    assert page.url.endswith(f"/personen/{invitee.pk}/")

    link = re.search(r"https?://\S+/uitnodiging/[\w-]+/", mail.outbox[-1].body).group(0)
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    try:
        other = context.new_page()
        other.set_default_timeout(15_000)
        other.goto(link)
        other.locator('main input[name="new_password1"]').fill("esther-wachtwoord-2026")
        other.locator('main input[name="new_password2"]').fill("esther-wachtwoord-2026")
        other.locator(f"main form {SUBMIT}").click()
        assert "/inloggen/authenticator/" in other.url
        secret = other.locator("main code").first.inner_text().replace(" ", "")
        code = f"{TOTP(b32decode(secret)).token():06d}"
        other.locator('main input[name="otp_token"]').fill(code)
        other.locator(f"main form {SUBMIT}").click()
        other.locator('main a[href="/mijn-ivp/"]').click()  # past the backup codes
        assert other.url.endswith("/mijn-ivp/")
        assert other.locator(f'main a[href="/gemeente/{OWN}/"]').count() >= 1  # their municipality's tasks
        assert other.locator('header a[href="/personen/"]').count() == 1  # an advisor invites council members
    finally:
        context.close()
    assert TOTPDevice.objects.filter(user=invitee, confirmed=True).exists()
    assert Invitation.objects.get(user=invitee).accepted_at is not None
