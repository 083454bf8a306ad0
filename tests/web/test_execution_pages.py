"""Execution pages as users get them: accessible, role-checked, no lost update between two browsers."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.execution.models import Activity, ExecutionPlan, StatusUpdate, ThemeAdjustment
from ivp.execution.services import activity_create, execution_plan_create

from .test_pages import _parse, assert_accessible_basics

pytestmark = pytest.mark.django_db

OWN, OTHER = "GM0865", "GM0797"


@pytest.fixture
def plans(plan, vught, heusden, users):
    coordinator = users["coordinator"]
    return {
        OWN: execution_plan_create(actor=coordinator, plan=plan, municipality=vught, period_start=2023),
        OTHER: execution_plan_create(actor=coordinator, plan=plan, municipality=heusden, period_start=2023),
        None: execution_plan_create(actor=coordinator, plan=plan, municipality=None, period_start=2023),
    }


@pytest.fixture
def activity(plans, plan, users):
    return activity_create(actor=users["advisor"], execution_plan=plans[OWN], title="Jongerenwerk (test)",
                           owner=users["advisor"], focus_lenses=[plan.focus_lenses.get(code="youth")],
                           themes=[plan.themes.get(code="youth")], planned_budget_cents=123_456)


def _activity_post(plan, users, **overrides):
    data = {
        "title": "Buurtpreventie (test)", "description": "Mijn uitgebreide beschrijving",
        "owner": str(users["advisor"].pk), "focus_lenses": [str(plan.focus_lenses.get(code="resilience").pk)],
        "themes": [str(plan.themes.get(code="digital_safety").pk)], "planned_budget_cents": "12.500,50",
        "actual_budget_cents": "", "start_date": "2023-04-01", "end_date": "2024-06-30",
    }
    data.update(overrides)
    return data


def _text(response) -> str:
    return " ".join(_parse(response).text)


def test_pages_are_accessible(client, users, plans, activity, priorities):
    client.force_login(users["advisor"])
    urls = [
        reverse("web:execution_overview"), reverse("web:base_team_execution"), reverse("web:coverage_matrix"),
        reverse("web:my_activities"), reverse("web:municipality_execution", kwargs={"cbs_code": OWN}),
        reverse("web:execution_plan_edit", kwargs={"pk": plans[OWN].pk}),
        reverse("web:theme_adjustment_edit", kwargs={"pk": plans[OWN].pk,
                                                     "theme_pk": activity.themes.get().pk}),
        reverse("web:activity_create", kwargs={"pk": plans[OWN].pk}),
        reverse("web:activity_detail", kwargs={"pk": activity.pk}),
        reverse("web:activity_edit", kwargs={"pk": activity.pk}),
        reverse("web:object_history", kwargs={"kind": "activiteit", "pk": activity.pk}),
        reverse("web:object_history", kwargs={"kind": "uitvoeringsplan", "pk": plans[OWN].pk}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_accessible_basics(response)


def test_own_execution_plan_shows_inherited_and_adjusted_themes(client, users, plans, plan, activity):
    client.force_login(users["advisor"])
    url = reverse("web:theme_adjustment_edit", kwargs={"pk": plans[OWN].pk,
                                                       "theme_pk": plan.themes.get(code="polarisation").pk})
    response = client.post(url, {"not_applicable": "on", "reason": ""})
    assert response.status_code == 400 and not ThemeAdjustment.objects.exists()
    response = client.post(url, {"not_applicable": "on", "reason": "Geen signalen (test)"})
    assert response.status_code == 302
    page = client.get(reverse("web:municipality_execution", kwargs={"cbs_code": OWN}) + "?periode=2023")
    text = _text(page)
    assert "Geen signalen (test)" in text and "Jongerenwerk (test)" in text
    assert "Digitale veiligheid" in text  # inherited from the shared plan
    assert "€ 1.234,56" in text


def test_a_missing_execution_plan_can_be_created(client, users, plan, vught):
    client.force_login(users["advisor"])
    page = client.get(reverse("web:municipality_execution", kwargs={"cbs_code": OWN}) + "?periode=2025")
    assert reverse("web:execution_plan_create", kwargs={"scope": OWN}) in page.content.decode()
    response = client.post(reverse("web:execution_plan_create", kwargs={"scope": OWN}),
                           {"period_start": "2025", "status": "concept", "summary": "Tweede periode"})
    assert response.status_code == 302 and "periode=2025" in response["Location"]
    assert ExecutionPlan.objects.get(municipality=vught).period_label == "2025-2026"


def test_activity_without_lens_is_refused_and_the_input_stays(client, users, plans, plan):
    client.force_login(users["advisor"])
    url = reverse("web:activity_create", kwargs={"pk": plans[OWN].pk})
    response = client.post(url, _activity_post(plan, users, focus_lenses=[]))
    assert response.status_code == 400
    content = response.content.decode()
    assert "Mijn uitgebreide beschrijving" in content and 'value="12.500,50"' in content
    assert not Activity.objects.exists()
    response = client.post(url, _activity_post(plan, users, owner=""))
    assert response.status_code == 400 and not Activity.objects.exists()
    response = client.post(url, _activity_post(plan, users))
    assert response.status_code == 302
    created = Activity.objects.get()
    assert (created.planned_budget_cents, created.owner, created.municipality) == (1_250_050, users["advisor"],
                                                                                    plans[OWN].municipality)


def test_partner_roles_in_the_form(client, users, plans, plan):
    client.force_login(users["advisor"])
    police = plan.plan_partners.get(organisation__code="politie").organisation
    response = client.post(reverse("web:activity_create", kwargs={"pk": plans[OWN].pk}),
                           _activity_post(plan, users, **{f"partner_{police.pk}": "bijdragend"}))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert [(p.organisation, p.role) for p in activity.partner_roles.all()] == [(police, "bijdragend")]
    assert "Politie" in _text(client.get(reverse("web:activity_detail", kwargs={"pk": activity.pk})))


def test_two_browsers_no_lost_update(users, activity):
    """Two people open the edit form; the first saves; the second is refused (409) with their input kept."""
    first, second = Client(), Client()
    first.force_login(users["advisor"])
    second.force_login(users["coordinator"])
    url = reverse("web:activity_edit", kwargs={"pk": activity.pk})

    def form_data(client):
        page = client.get(url)
        assert page.status_code == 200
        version = re.search(r'name="version" value="(\d+)"', page.content.decode()).group(1)
        return {
            "title": activity.title, "description": "", "owner": str(users["advisor"].pk),
            "focus_lenses": [str(pk) for pk in activity.focus_lenses.values_list("pk", flat=True)],
            "themes": [str(pk) for pk in activity.themes.values_list("pk", flat=True)],
            "planned_budget_cents": "1.234,56", "actual_budget_cents": "0", "version": version,
        }

    data_first, data_second = form_data(first), form_data(second)
    assert data_first["version"] == data_second["version"] == "1"
    response = first.post(url, {**data_first, "title": "Titel van de adviseur"})
    assert response.status_code == 302
    response = second.post(url, {**data_second, "description": "Tekst van de coördinator die niet verloren mag gaan"})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Tekst van de coördinator die niet verloren mag gaan" in content
    assert "Titel van de adviseur" in content  # what the other person saved is shown
    activity.refresh_from_db()
    assert (activity.title, activity.description, activity.version) == ("Titel van de adviseur", "", 2)
    # The re-rendered form is based on the saved version: saving again is a deliberate, informed choice.
    assert re.search(r'name="version" value="2"', content)
    response = second.post(url, {**data_second, "title": "Titel van de adviseur", "version": "2",
                                 "description": "Tekst van de coördinator die niet verloren mag gaan"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Titel van de adviseur", 3)
    assert activity.description.startswith("Tekst van de coördinator")


def test_status_update_and_refusals(client, users, activity):
    url = reverse("web:activity_status_add", kwargs={"pk": activity.pk})
    client.force_login(users["advisor"])
    response = client.post(url, {"status": "achter", "narrative": "Vertraging door de zomer (test)."})
    assert response.status_code == 302
    assert StatusUpdate.objects.get().status == "achter"
    response = client.post(url, {"status": "op_koers", "narrative": ""})
    assert response.status_code == 400 and StatusUpdate.objects.count() == 1
    for role in ("councillor", "police", "prosecutor"):
        client.force_login(users[role])
        denied = AuditEvent.objects.filter(result="denied").count()
        assert client.post(url, {"status": "op_koers", "narrative": "x"}).status_code == 403
        assert AuditEvent.objects.filter(result="denied").count() == denied + 1
    client.force_login(users["partner"])
    assert client.post(url, {"status": "op_koers", "narrative": "x"}).status_code == 404
    assert StatusUpdate.objects.count() == 1
    page = client.get(reverse("web:activity_detail", kwargs={"pk": activity.pk}))
    assert page.status_code == 404


def test_milestones_on_the_page(client, users, activity):
    client.force_login(users["advisor"])
    response = client.post(reverse("web:milestone_add", kwargs={"pk": activity.pk}),
                           {"title": "Eerste bijeenkomst", "due_date": "2023-06-01"})
    assert response.status_code == 302
    milestone = activity.milestones.get()
    client.post(reverse("web:milestone_update", kwargs={"pk": milestone.pk}), {"action": "done"})
    milestone.refresh_from_db()
    assert milestone.done
    client.force_login(users["councillor"])
    assert client.post(reverse("web:milestone_update", kwargs={"pk": milestone.pk}),
                       {"action": "delete"}).status_code == 403
    assert activity.milestones.exists()


def test_status_update_with_an_as_of_date_and_the_page_shows_both_dates(client, users, activity):
    client.force_login(users["advisor"])
    url = reverse("web:activity_status_add", kwargs={"pk": activity.pk})
    response = client.post(url, {"status": "achter", "narrative": "Stand eind 2024 (test).", "as_of": "2024-12-31"})
    assert response.status_code == 302
    assert StatusUpdate.objects.get().as_of.isoformat() == "2024-12-31"
    text = _text(client.get(reverse("web:activity_detail", kwargs={"pk": activity.pk})))
    assert "Per 31 december 2024" in text and "ingevoerd door" in text
    refused = client.post(url, {"status": "achter", "narrative": "x", "as_of": "2099-01-01"})
    assert refused.status_code == 400 and StatusUpdate.objects.count() == 1


def test_a_past_milestone_without_completion_is_overdue_on_the_page(client, users, activity):
    """The page and the report ask the same function (ivp.execution.asof.milestone_state)."""
    from ivp.execution.services import milestone_create

    milestone_create(actor=users["advisor"], activity=activity, title="Mijlpaal verleden (test)",
                     due_date=datetime.date(2024, 6, 1))
    client.force_login(users["councillor"])
    page = client.get(reverse("web:activity_detail", kwargs={"pk": activity.pk}))
    badges = re.findall(r'ivp-badge--(\w+)">([^<]+)<', page.content.decode())
    assert ("overdue", "te laat") in badges


def test_people_are_named_by_full_name_and_function_not_user_name(client, users, activity):
    advisor = users["advisor"]
    advisor.first_name, advisor.last_name, advisor.function = "Anna", "de Vries", "veiligheidsadviseur"
    advisor.save()
    client.force_login(users["councillor"])
    text = _text(client.get(reverse("web:activity_detail", kwargs={"pk": activity.pk})))
    assert "Anna de Vries (veiligheidsadviseur)" in text and advisor.username not in text


def test_umbrella_view_per_role(client, users, plans):
    client.force_login(users["coordinator"])
    text = _text(client.get(reverse("web:execution_overview") + "?periode=2023"))
    for name in ("Boxtel", "Heusden", "Meierijstad", "Sint-Michielsgestel", "Vught"):
        assert name in text
    client.force_login(users["advisor"])
    page = client.get(reverse("web:execution_overview") + "?periode=2023")
    headers = [t for t, a in _parse(page).tags if t == "th" and a.get("scope") == "col"]
    assert len(headers) == 3  # theme, base team, own municipality
    assert reverse("web:municipality_execution", kwargs={"cbs_code": OTHER}) not in page.content.decode()


def test_my_activities_stale_first(client, users, activity, plans, plan, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.IVP_STALE_AFTER_DAYS = 10
    fresh = activity_create(actor=users["advisor"], execution_plan=plans[OWN], title="Aa vers (test)",
                            owner=users["advisor"], focus_lenses=[plan.focus_lenses.get(code="youth")])
    Activity.objects.filter(pk=activity.pk).update(created_at=timezone.now() - timedelta(days=30))
    client.force_login(users["advisor"])
    page = client.get(reverse("web:my_activities"))
    content = page.content.decode()
    assert content.index(activity.title) < content.index(fresh.title)
    assert content.count("ivp-badge--stale") == 1


def test_coverage_page_and_exports(client, users, activity):
    client.force_login(users["coordinator"])
    page = client.get(reverse("web:coverage_matrix") + "?periode=2023")
    assert page.status_code == 200 and "ivp-cell--empty" in page.content.decode()
    response = client.get(reverse("web:coverage_export", kwargs={"fmt": "csv"}) + "?periode=2023")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode().split("\n\n")[0])))
    assert any(r[1] == OWN and r[3] == "1.2" and r[6] == "1" for r in rows)
    response = client.get(reverse("web:coverage_export", kwargs={"fmt": "xlsx"}))
    assert response.content[:2] == b"PK"
    assert client.get(reverse("web:coverage_export", kwargs={"fmt": "pdf"})).status_code == 404


def test_links_from_the_municipality_page_and_the_menu(client, users, plans):
    link = reverse("web:municipality_execution", kwargs={"cbs_code": OWN})
    page = client.get(reverse("web:municipality_detail", kwargs={"cbs_code": OWN}))
    assert link not in page.content.decode() and reverse("web:my_activities") not in page.content.decode()
    client.force_login(users["advisor"])
    content = client.get(reverse("web:municipality_detail", kwargs={"cbs_code": OWN})).content.decode()
    assert link in content and reverse("web:my_activities") in content
    client.force_login(users["partner"])
    content = client.get(reverse("web:municipality_detail", kwargs={"cbs_code": OWN})).content.decode()
    assert link not in content


def test_a_partner_reads_an_activity_history_only_from_when_it_was_shared(client, users, plan, activity):
    """Issue 17: what was written before the activity was shared with the partner is not the partner's to read."""
    from ivp.execution.services import activity_update

    housing = users["partner"].memberships.get().organisation
    activity_update(actor=users["advisor"], activity=activity, expected_version=activity.version,
                    title="Jongerenwerk (vóór het delen, test)", owner=users["advisor"],
                    focus_lenses=activity.focus_lenses.all(), themes=activity.themes.all(),
                    planned_budget_cents=activity.planned_budget_cents)
    activity.refresh_from_db()
    activity_update(actor=users["advisor"], activity=activity, expected_version=activity.version,
                    title="Jongerenwerk (gedeeld, test)", owner=users["advisor"],
                    focus_lenses=activity.focus_lenses.all(), themes=activity.themes.all(),
                    partners={housing: "bijdragend"}, planned_budget_cents=activity.planned_budget_cents)
    activity.refresh_from_db()
    activity_update(actor=users["advisor"], activity=activity, expected_version=activity.version,
                    title="Jongerenwerk (na het delen, test)", owner=users["advisor"],
                    focus_lenses=activity.focus_lenses.all(), themes=activity.themes.all(),
                    partners={housing: "bijdragend"}, planned_budget_cents=activity.planned_budget_cents)
    url = reverse("web:object_history", kwargs={"kind": "activiteit", "pk": activity.pk})
    client.force_login(users["partner"])
    page = client.get(url).content.decode()
    assert "na het delen" in page
    assert "vóór het delen" not in page
    client.force_login(users["advisor"])
    assert "vóór het delen" in client.get(url).content.decode()
