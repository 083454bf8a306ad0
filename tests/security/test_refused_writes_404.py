"""F7: a signed-in user's write that is answered 404 (another municipality's object) is recorded as refused:
action, method, path and user, never the request body; the answer stays 404. Reads that find nothing and
anonymous requests are not recorded."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.execution.services import activity_create, execution_plan_create

pytestmark = pytest.mark.django_db

SECRET_BODY = "Vertrouwelijke toelichting (test)"


@pytest.fixture
def heusden_activity(plan, heusden, users):
    coordinator = users["coordinator"]
    execution_plan = execution_plan_create(actor=coordinator, plan=plan, municipality=heusden, period_start=2023)
    theme = plan.themes.get(code="youth")
    lens = plan.focus_lenses.get(code="youth")
    return activity_create(actor=coordinator, execution_plan=execution_plan, title="Activiteit Heusden (test)",
                           owner=coordinator, focus_lenses=[lens], themes=[theme])


def test_a_write_to_another_municipalitys_object_is_a_404_and_recorded(client, users, heusden_activity):
    client.force_login(users["advisor"])  # Vught's advisor
    before = AuditEvent.objects.count()
    url = reverse("web:activity_status_add", kwargs={"pk": heusden_activity.pk})
    response = client.post(url, {"status": "loopt", "narrative": SECRET_BODY, "date": dt.date.today().isoformat()})
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="access.denied")
    assert AuditEvent.objects.count() == before + 1
    assert event.result == "denied" and event.actor == users["advisor"] and event.origin == "web"
    assert event.message == f"POST {url} (404)"
    assert SECRET_BODY not in str(AuditEvent.objects.values_list("message", "changes", "object_repr").all())


def test_reads_and_anonymous_requests_that_find_nothing_are_not_recorded(users, heusden_activity):
    client = Client()
    before = AuditEvent.objects.count()
    assert client.get("/bestaat-echt-niet/").status_code == 404
    assert client.post("/bestaat-echt-niet/", {"x": "y"}).status_code == 404
    assert AuditEvent.objects.count() == before
    client.force_login(users["advisor"])
    before = AuditEvent.objects.count()
    assert client.get(reverse("web:activity_detail", kwargs={"pk": heusden_activity.pk})).status_code == 404
    assert AuditEvent.objects.count() == before
