"""The "Who" column of the history pages names a person as councils and partners read people (full name and
function), never by user name; what IVP did by itself says so in Dutch (ivp.core.people.event_actor_label)."""

import re

import pytest
from django.urls import reverse

from ivp.core.audit.context import origin
from ivp.core.audit.models import AuditEvent, AuditOrigin
from ivp.core.audit.recorder import record_event
from ivp.core.people import event_actor_label

from .test_pages import assert_accessible_basics

pytestmark = pytest.mark.django_db


def _who_cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r'data-label="Wie" class="utrecht-table__cell">(.*?)</td>', html, re.S)]


def test_the_history_names_the_person_not_the_user_name(client, users, priorities):
    advisor = users["advisor"]
    advisor.first_name, advisor.last_name, advisor.function = "Anna", "de Vries", "veiligheidsadviseur"
    advisor.save()
    priority = priorities["GM0865"]
    client.force_login(advisor)
    client.post(reverse("web:local_priority_edit", kwargs={"pk": priority.pk}),
                {"title": "Veilig uitgaan", "domain": "sociaal", "description": ""})
    assert AuditEvent.objects.filter(action="local_priority.update", actor=advisor).exists()

    # A councillor of Vught reads the history: the advisor by name and function; the coordinator who made the
    # fixture's priority has no name in the test, so by organisation.
    client.force_login(users["councillor"])
    page = client.get(reverse("web:object_history", kwargs={"kind": "prioriteit", "pk": priority.pk}))
    assert page.status_code == 200
    assert_accessible_basics(page)
    html = page.content.decode()
    who = _who_cells(html)
    assert "Anna de Vries (veiligheidsadviseur)" in who
    assert "een medewerker van Basisteam Meierij" in who
    assert "advisor-vught" not in html and ">coordinator<" not in html


def test_a_person_without_a_name_is_never_shown_by_user_name(client, users, priorities):
    priority = priorities["GM0865"]
    client.force_login(users["advisor"])  # the test advisor has no full name and no function
    client.post(reverse("web:local_priority_edit", kwargs={"pk": priority.pk}),
                {"title": "Veilig uitgaan", "domain": "sociaal", "description": ""})
    client.force_login(users["councillor"])
    html = client.get(reverse("web:object_history", kwargs={"kind": "gemeente", "pk": priority.municipality_id}))
    html = html.content.decode()
    assert "een medewerker van Vught" in _who_cells(html)
    # Its membership event (recorded with the user name in what it is about and in its changes) names no user.
    assert "Veiligheidsadviseur gemeente (Vught)" in html
    assert "advisor-vught" not in html


def test_events_without_a_person_say_where_they_came_from(users):
    with origin(AuditOrigin.CLI):
        cli = record_event(actor=None, action="plans.plan_import", result="success")
    with origin(AuditOrigin.WEB, "127.0.0.1"):
        anonymous = record_event(actor=None, action="core.login", result="denied")
    system = record_event(actor=None, action="plans.plan_import", result="success")
    assert event_actor_label(system) == "IVP (automatisch)"
    assert event_actor_label(cli) == "IVP (technisch beheer)"
    assert event_actor_label(anonymous) == "een anonieme bezoeker"
    advisor = record_event(actor=users["advisor"], action="plans.local_priority_update", result="success")
    assert advisor.actor_label == "advisor-vught"  # the audit trail itself keeps who it was
    assert "advisor-vught" not in event_actor_label(advisor)
