"""Published activities in the open API: only what the municipality marked public (ivp.execution.selectors.
public_activities, the same list as the public pages): never the owner's name, the spending or an internal
explanation; the status as of a date."""

import datetime as dt

import pytest

from ivp.api.services import api_token_create
from ivp.execution.services import activity_create, execution_plan_create, status_update_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(plan, vught, users):
    """Vught's execution plan with a public activity (a public and an internal explanation) and an internal one.
    Test fixtures, not data."""
    coordinator = users["coordinator"]
    execution_plan = execution_plan_create(actor=coordinator, plan=plan, municipality=vught, period_start=2023)
    lens = plan.focus_lenses.order_by("number").first()
    theme = plan.themes.order_by("order").first()
    public = activity_create(actor=coordinator, execution_plan=execution_plan, title="Buurtpreventie (test)",
                             owner=users["advisor"], focus_lenses=[lens], themes=[theme],
                             planned_budget_cents=1_234_56, is_public=True, description="Testomschrijving openbaar")
    status_update_add(actor=coordinator, activity=public, status="risico", narrative="Openbare testtoelichting",
                      as_of=dt.date(2023, 12, 31), narrative_public=True)
    status_update_add(actor=coordinator, activity=public, status="op_koers", narrative="Geheime testtoelichting",
                      as_of=dt.date(2024, 6, 30))
    internal = activity_create(actor=coordinator, execution_plan=execution_plan, title="Interne testactiviteit",
                               owner=coordinator, focus_lenses=[lens])
    return {"public": public, "internal": internal, "theme": theme}


def test_only_public_activities_without_persons_or_internal_texts(client, activities, users):
    response = client.get("/api/v1/activities?municipality=GM0865")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["title"] for r in rows] == ["Buurtpreventie (test)"]
    row = rows[0]
    assert row["municipality"] == "GM0865" and row["owner_organisation"] == "Vught"
    assert row["planned_budget_cents"] == 123456 and row["themes"][0]["code"] == activities["theme"].code
    assert row["status"] == "op_koers" and row["narrative"] == ""  # the newest update's text is internal
    text = response.content.decode()
    for secret in ("Geheime testtoelichting", "Interne testactiviteit", users["advisor"].username,
                   "actual_budget"):
        assert secret not in text
    earlier = client.get("/api/v1/activities?as_of=2024-01-15").json()["results"][0]
    assert earlier["status"] == "risico" and earlier["narrative"] == "Openbare testtoelichting"
    assert client.get("/api/v1/activities?municipality=GM0797").json()["results"] == []
    detail = client.get(f"/api/v1/activities/{activities['public'].pk}")
    assert detail.status_code == 200 and detail.json()["id"] == activities["public"].pk
    assert client.get(f"/api/v1/activities/{activities['internal'].pk}").status_code == 404
    assert client.get("/api/v1/activities?municipality=nowhere").status_code == 400


def test_a_token_sees_the_same_public_list(client, activities, users):
    secret = api_token_create(actor=None, user=users["coordinator"], name="test")[1]
    rows = client.get("/api/v1/activities", HTTP_AUTHORIZATION=f"Bearer {secret}").json()["results"]
    assert [r["title"] for r in rows] == ["Buurtpreventie (test)"]
