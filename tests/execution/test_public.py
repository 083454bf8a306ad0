"""Public activities (ADR 0020): only what the municipality marked public, never a person or an internal
explanation; the status as of a date; marking public is audited."""

import datetime as dt

import pytest

from ivp.core.audit.models import AuditEvent
from ivp.execution.selectors import public_activities
from ivp.execution.services import activity_update, status_update_add

from .test_services import _values

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked(execution_plans, make_activity, users):
    """Vught: one public activity with a public and an internal update, one internal activity; the base team: one
    public activity. Heusden: one public activity. Test fixtures."""
    vught_plan = execution_plans["GM0865"]
    public = make_activity(vught_plan, title="Buurtpreventie Vught", is_public=True, planned_budget_cents=1_250_000,
                           description="Wijkbewoners lopen mee")
    internal = make_activity(vught_plan, title="Interne casusoverleggen")
    coordinator = users["coordinator"]
    status_update_add(actor=coordinator, activity=public, status="risico", narrative="Openbare toelichting 2023",
                      as_of=dt.date(2023, 12, 31), narrative_public=True)
    status_update_add(actor=coordinator, activity=public, status="op_koers", narrative="Interne toelichting 2024",
                      as_of=dt.date(2024, 6, 30))
    base = make_activity(execution_plans[None], title="Gezamenlijke aanpak ondermijning", is_public=True)
    heusden = make_activity(execution_plans["GM0797"], title="Veilig uitgaan Heusden", is_public=True)
    return {"public": public, "internal": internal, "base": base, "heusden": heusden}


def test_only_public_activities_and_no_person(marked, users):
    rows = public_activities(municipality="GM0865")
    assert [r.title for r in rows] == ["Buurtpreventie Vught"]
    row = rows[0]
    assert row.owner_organisation == "Vught"
    assert row.planned_budget_cents == 1_250_000
    assert row.description == "Wijkbewoners lopen mee"
    assert [t.code for t in row.themes] == ["youth"]
    assert row.focus_lenses
    assert not hasattr(row, "owner")
    text = repr(rows)
    assert users["coordinator"].username not in text
    assert "Interne" not in text


def test_status_as_of_and_public_narrative_only(marked):
    (latest,) = public_activities(municipality="GM0865")
    assert latest.status == "op_koers" and latest.status_date == dt.date(2024, 6, 30)
    assert latest.narrative == ""  # the latest explanation is internal
    (end_2023,) = public_activities(municipality="GM0865", as_of=dt.date(2023, 12, 31))
    assert end_2023.status == "risico" and end_2023.narrative == "Openbare toelichting 2023"
    (before,) = public_activities(municipality="GM0865", as_of=dt.date(2023, 1, 1))
    assert before.status == "" and before.status_date is None


def test_scopes(marked, vught):
    assert [r.title for r in public_activities(municipality="basisteam")] == ["Gezamenlijke aanpak ondermijning"]
    assert public_activities(municipality="basisteam")[0].municipality_code is None
    assert [r.title for r in public_activities(municipality=vught)] == ["Buurtpreventie Vught"]
    assert {r.title for r in public_activities()} == {
        "Buurtpreventie Vught", "Gezamenlijke aanpak ondermijning", "Veilig uitgaan Heusden"}


def test_marking_public_is_audited_and_kept_when_not_given(marked, users):
    activity = marked["internal"]
    activity_update(actor=users["coordinator"], activity=activity, expected_version=None, is_public=True,
                    **_values(activity))
    event = AuditEvent.objects.filter(action="activity.update").latest("id")
    assert event.changes["is_public"] == [False, True]
    activity.refresh_from_db()
    activity_update(actor=users["coordinator"], activity=activity, expected_version=None,
                    **{**_values(activity), "title": "Casusoverleg"})
    activity.refresh_from_db()
    assert activity.is_public
