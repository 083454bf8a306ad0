"""Mijn IVP (issue 14): after sign-in each role lands on its own start page, chosen by what it may do; the menu shows
only what the role can use, and nothing of a signed-in user before the second factor."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ivp.areas.models import Area, Population
from ivp.core.models import Organisation
from ivp.execution.models import Activity
from ivp.execution.selectors import current_period_start
from ivp.execution.services import activity_create, execution_plan_create, milestone_create
from ivp.indicators.models import ImportBatch, Observation
from ivp.indicators.services.interpretations import interpretation_cosign, interpretation_save
from ivp.reports.models import ReportRun

pytestmark = pytest.mark.django_db

FIGURE_LINK = f'href="{reverse("web:indicator_detail", kwargs={"area_code": "GM0865", "indicator": "crime_total"})}"'


@pytest.fixture
def vught_work(plan, users, vught):
    """TEST FIXTURE, not data: made-up crime counts for Vught (2022-2023), an execution plan of the current period
    with a stale activity, an overdue and a later milestone, a report being made and an unsigned duiding."""
    area, _created = Area.objects.get_or_create(code="GM0865", defaults={"level": "gemeente", "name": "Vught",
                                                                         "organisation": vught})
    batch = ImportBatch.objects.create(source="snapshot", location="testfixture")
    for year, count in ((2022, 500), (2023, 520)):
        Population.objects.create(area=area, year=year, value=26000, boundary_year=year, source_table="test")
        Observation.objects.create(table="47013NED", category="0.0.0", area=area, year=year, value=count,
                                   boundary_year=year, batch=batch)
    advisor = users["advisor"]
    execution_plan = execution_plan_create(actor=advisor, plan=plan, municipality=vught,
                                           period_start=current_period_start(plan))
    activity = activity_create(actor=advisor, execution_plan=execution_plan, title="Testactiviteit buurtpreventie",
                               owner=advisor, focus_lenses=[plan.focus_lenses.first()])
    Activity.objects.filter(pk=activity.pk).update(created_at=timezone.now() - dt.timedelta(days=200))
    today = timezone.localdate()
    milestone_create(actor=advisor, activity=activity, title="Testmijlpaal te laat",
                     due_date=today - dt.timedelta(days=3))
    milestone_create(actor=advisor, activity=activity, title="Testmijlpaal later", due_date=today + dt.timedelta(30))
    run = ReportRun.objects.create(municipality=vught, area_code="GM0865", kind="annual", period="2023", fmt="pdf",
                                   status="running", started_at=timezone.now(), created_by=advisor)
    note = interpretation_save(actor=advisor, indicator="crime_total", area=area, period="2022",
                               text="Testduiding (testfixture)", published=True)
    return {"area": area, "activity": activity, "run": run, "note": note}


def _start(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("web:start"))
    assert response.status_code == 200
    return response.content.decode()


def test_signing_in_lands_on_my_ivp(client, users):
    response = client.post(reverse("web:login"), {"username": "police", "password": "test-password-123!"})
    assert response["Location"] == reverse("web:start")


def test_the_advisor_sees_the_tasks_of_their_municipality(client, users, vught_work):
    page = _start(client, users["advisor"])
    assert "Te doen voor Vught" in page
    assert "Testactiviteit buurtpreventie" in page  # stale: no status update for 200 days
    assert "Testmijlpaal te laat" in page and "Testmijlpaal later" in page
    assert page.index("Testmijlpaal te laat") < page.index("Testmijlpaal later") and "te laat" in page
    # The figures go up to 2023; the published duiding covers 2022 only.
    assert FIGURE_LINK in page and "cijfers tot en met 2023" in page and "duiding tot en met 2022" in page
    assert f'href="/rapport/{vught_work["run"].pk}/"' in page
    interpretation_save(actor=users["advisor"], indicator="crime_total", area=vught_work["area"], period="2023",
                        text="Testduiding 2023 (testfixture)", published=True)
    assert FIGURE_LINK not in _start(client, users["advisor"])


def test_the_coordinator_sees_all_municipalities(client, users, vught_work):
    page = _start(client, users["coordinator"])
    assert "De gemeenten" in page and "Mijn taken" in page
    for municipality in Organisation.objects.filter(kind="municipality"):
        assert f'href="/gemeente/{municipality.cbs_code}/"' in page, municipality
    row = page.split("<main")[1].split('href="/gemeente/GM0865/"')[1].split("</tr>")[0]
    assert "concept" in row  # the execution plan of this period is a draft


def test_police_and_om_see_the_duidingen_waiting_for_a_co_signature(client, users, vught_work):
    police_page = _start(client, users["police"])
    assert "wachten op medeondertekening" in police_page and FIGURE_LINK in police_page
    assert "mede te ondertekenen" in police_page
    om_page = _start(client, users["prosecutor"])
    assert FIGURE_LINK in om_page and "mede te ondertekenen" not in om_page
    interpretation_cosign(actor=users["police"], interpretation=vught_work["note"])
    assert FIGURE_LINK not in _start(client, users["police"])


def test_the_councillor_reads_their_municipality(client, users, vught_work):
    page = _start(client, users["councillor"])
    assert f'href="{reverse("web:municipality_execution", kwargs={"cbs_code": "GM0865"})}"' in page
    assert "Te doen" not in page and "Mijn taken" not in page and "op koers" in page


def test_the_partner_sees_what_is_shared_with_their_organisation(client, users, agreements):
    page = _start(client, users["partner"])
    assert "Afspraken van uw organisatie" in page and "Testafspraak boa-politie Vught" in page
    assert "Testafspraak boa-politie Heusden" not in page


@pytest.mark.parametrize(("role", "activities", "people"), [
    ("coordinator", True, True), ("advisor", True, True), ("councillor", False, False), ("police", False, False),
    ("prosecutor", False, False), ("partner", False, False),
])
def test_the_menu_shows_only_what_the_role_can_use(client, users, role, activities, people):
    client.force_login(users[role])
    header = client.get(reverse("web:plan_overview")).content.decode().split("</header>")[0]
    assert ('href="/mijn-activiteiten/"' in header) == activities
    assert ('href="/personen/"' in header) == people
    assert 'href="/mijn-ivp/"' in header and "Ingelogd als" in header


def test_before_the_second_factor_the_header_shows_only_sign_out(client, users):
    client.force_login(users["advisor"], otp_verified=False)
    response = client.get(reverse("web:mfa_verify"))
    header = response.content.decode().split("</header>")[0]
    assert "Ingelogd als" not in header and 'href="/mijn-ivp/"' not in header
    assert 'href="/gemeente/GM0865/"' not in header and 'action="/uitloggen/"' in header
