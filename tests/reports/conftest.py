"""Fixtures of the report tests.

`world` loads, once per test module, the real plan and the real open-data snapshot (../shared/data),
and adds a small self-written TEST FIXTURE on top (labelled "testfixture" in every text): users, a
published interpretation (duiding) of registered crime for the five municipalities and the base team,
execution plans of Vught and the base team with activities, and cooperation agreements. Nothing of
the fixture is data; the figures themselves are the real imported ones.
"""

import datetime as dt

import pytest
from django.db import transaction

from ivp.areas.models import Area
from ivp.core.models import Organisation
from ivp.core.roles import Role
from ivp.execution.services import activity_create, execution_plan_create, milestone_create, status_update_add
from ivp.indicators.series import indicator_series
from ivp.indicators.services.interpretations import interpretation_save
from ivp.partners.services import agreement_create
from ivp.plans.models import Plan
from ivp.plans.planfile import parse_plan_file
from tests.conftest import PLAN_FILE, make_user

FIVE = ["GM0757", "GM0797", "GM1948", "GM0845", "GM0865"]
AREAS = [*FIVE, "basisteam"]
PUBLISHED = "crime_total"  # the indicator that gets a published duiding in the fixture


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, plan_template, opendata_template):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world(plan_template, opendata_template)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _build_world(plan_template, opendata_template) -> dict:
    plan_template.apply()  # the plan's and the real snapshot's rows (tests/conftest.py `plan`, `imported`)
    opendata_template.apply()
    plan = Plan.objects.get(key=parse_plan_file(PLAN_FILE)["plan"]["key"])
    base_team = Organisation.objects.get(code="basisteam-meierij")
    vught = Organisation.objects.get(cbs_code="GM0865")
    police = Organisation.objects.get(code="politie")
    coordinator = make_user("report-coordinator", base_team, Role.COORDINATOR)
    advisor = make_user("report-advisor-vught", vught, Role.ADVISOR)
    for area in AREAS:
        latest = indicator_series(PUBLISHED, area).latest
        interpretation_save(actor=coordinator, indicator=PUBLISHED,
                            area=None if area == "basisteam" else Area.objects.get(code=area),
                            period=latest.period, published=True,
                            text=f"Testduiding {area} (testfixture): de daling past binnen de landelijke trend.")
    lenses = {lens.code: lens for lens in plan.focus_lenses.all()}
    themes = {theme.code: theme for theme in plan.themes.all()}
    ep_vught = execution_plan_create(actor=coordinator, plan=plan, municipality=vught, period_start=2023,
                                     summary="Testuitvoeringsplan (testfixture)")
    ep_team = execution_plan_create(actor=coordinator, plan=plan, municipality=None, period_start=2023)
    first_theme = plan.themes.filter(parent__isnull=True).order_by("order").first()
    activity = activity_create(actor=advisor, execution_plan=ep_vught, title="Testactiviteit jeugdoverlast Vught",
                               owner=advisor, focus_lenses=[next(iter(lenses.values()))], themes=[first_theme],
                               partners={police: "bijdragend"}, planned_budget_cents=1_250_000,
                               actual_budget_cents=400_000, description="Testfixture")
    # The state at the end of 2024, entered later (as-of date 31-12-2024), and a newer one the 2023-2024 reports
    # must not show.
    status_update_add(actor=advisor, activity=activity, status="op_koers", as_of=dt.date(2024, 12, 31),
                      narrative="Testvoortgang (testfixture): twee buurtavonden gehouden.")
    status_update_add(actor=advisor, activity=activity, status="achter",
                      narrative="Latere stand (testfixture): na de periode.")
    milestone_create(actor=advisor, activity=activity, title="Testmijlpaal (testfixture)", due_date=dt.date(2024, 6, 1))
    activity_create(actor=coordinator, execution_plan=ep_team, title="Testproject basisteam (testfixture)",
                    owner=coordinator, focus_lenses=list(lenses.values())[:2], themes=[list(themes.values())[-1]],
                    planned_budget_cents=500_000)
    agreement_create(actor=coordinator, title="Testafspraak boa-politie Vught (testfixture)", kind="boa_police",
                     municipality=vught, parties=[police], owner=advisor, start_date=dt.date(2023, 1, 1),
                     review_date=dt.date(2024, 1, 1), status="active")
    return {"plan": plan, "coordinator": coordinator, "advisor": advisor, "vught": vught, "activity": activity}
