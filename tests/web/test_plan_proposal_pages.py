"""The pages of a proposed plan version (ADR 0015) as the coordinator and others get them: thin views over the
audited services, 400/403/409 like every form, the history of the proposal."""

import pytest
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.plans.models import GeneralGoal, Plan, Theme

from .test_pages import assert_accessible_basics

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(client, users, plan):
    client.force_login(users["coordinator"])
    response = client.post(reverse("web:plan_proposal_create"))
    proposal = Plan.objects.get(is_proposal=True)
    assert response.status_code == 302 and response["Location"] == reverse("web:plan_proposal", args=[proposal.pk])
    return proposal


def test_the_plan_page_offers_the_proposal_to_the_coordinator_only(client, users, plan):
    client.force_login(users["coordinator"])
    assert reverse("web:plan_proposal_create").encode() in client.get("/").content
    client.force_login(users["advisor"])
    assert reverse("web:plan_proposal_create").encode() not in client.get("/").content


def test_the_coordinator_adds_a_theme_and_sees_it_in_the_diff(client, proposal):
    url = reverse("web:proposal_theme_create", args=[proposal.pk])
    assert client.post(url, {"number": "", "title": ""}).status_code == 400
    response = client.post(url, {"number": "5", "title": "Verkeersveiligheid", "short_title": "", "introduction": ""})
    assert response.status_code == 302
    theme = Theme.objects.get(plan=proposal, title="Verkeersveiligheid")
    page = client.get(reverse("web:plan_proposal", args=[proposal.pk]))
    assert_accessible_basics(page)
    assert b"Verkeersveiligheid" in page.content
    diff = client.get(reverse("web:plan_proposal_diff", args=[proposal.pk]))
    assert_accessible_basics(diff)
    assert "toegevoegd" in diff.content.decode() and "5 Verkeersveiligheid" in diff.content.decode()
    history = client.get(reverse("web:object_history", args=["plan", proposal.pk])).content.decode()
    assert "Thema toegevoegd aan het voorstel" in history and theme.title in history


def test_a_stale_form_answers_409_and_keeps_the_input(client, proposal):
    add = client.get(reverse("web:proposal_item_create", args=[proposal.pk, "doel"]))
    assert_accessible_basics(add)
    assert "Algemeen doel toevoegen" in add.content.decode()
    goal = GeneralGoal.objects.filter(plan=proposal).first()
    url = reverse("web:proposal_item_edit", args=["doel", goal.pk])
    assert client.post(url, {"title": "Eerste", "version": 1}).status_code == 302
    response = client.post(url, {"title": "Tweede", "version": 1})
    assert response.status_code == 409 and b"Tweede" in response.content
    assert GeneralGoal.objects.get(pk=goal.pk).title == "Eerste"


def test_an_advisor_is_refused_and_the_attempt_recorded(client, users, proposal):
    client.force_login(users["advisor"])
    theme = Theme.objects.filter(plan=proposal).first()
    response = client.post(reverse("web:proposal_theme_delete", args=[theme.pk]))
    assert response.status_code == 403 and Theme.objects.filter(pk=theme.pk).exists()
    assert AuditEvent.objects.filter(action="proposal.theme.delete", result="denied").exists()
    assert client.get(reverse("web:plan_proposal", args=[proposal.pk])).status_code == 200  # reading is fine


def test_out_for_consultation_the_editor_is_read_only_and_adoptions_can_be_recorded(client, proposal):
    assert client.post(reverse("web:plan_proposal_submit", args=[proposal.pk])).status_code == 302
    page = client.get(reverse("web:plan_proposal", args=[proposal.pk])).content.decode()
    assert reverse("web:proposal_theme_create", args=[proposal.pk]) not in page
    assert reverse("web:adoption_edit", args=[proposal.adoptions.first().pk]) in page
    theme = Theme.objects.filter(plan=proposal).first()
    assert client.post(reverse("web:proposal_theme_delete", args=[theme.pk])).status_code == 403


def test_the_next_period_starts_as_a_concept(client, users, plan):
    client.force_login(users["coordinator"])
    response = client.post(reverse("web:plan_next_period"))
    new = Plan.objects.get(key="meierij-ivp-2027-2030")
    assert response["Location"] == reverse("web:plan_proposal", args=[new.pk])
    assert "2027-2030" in client.get(response["Location"]).content.decode()
    # A second start is refused with a message, not an error page.
    again = client.post(reverse("web:plan_next_period"), follow=True)
    assert again.status_code == 200 and Plan.objects.filter(key="meierij-ivp-2027-2030").count() == 1
