"""Walk every URL pattern x role x own/other municipality and check the answer.

Every named route of the web app must appear in EXPECTED_GET; a new route without an entry fails
`test_every_route_has_expectations`. Municipal test users belong to Vught (own); the "other"
municipality is Heusden.
"""

import pytest
from django.urls import get_resolver, reverse

from ivp.core.audit.models import AuditEvent
from ivp.plans.models import Adoption, LocalPriority

from ..conftest import OTHER, OWN

ROLES = ["anonymous", "coordinator", "advisor", "councillor", "police", "prosecutor", "partner"]
LOGIN = "login"  # marker: redirect to the login page

# (own, other) status per role. "same" routes do not depend on the municipality.
ALL_200 = {role: (200, 200) for role in ROLES}
EXPECTED_GET = {
    "plan_overview": ALL_200,
    "plan_versions": ALL_200,
    "plan_version": ALL_200,
    "theme_detail": ALL_200,
    "login": {**{role: (302, 302) for role in ROLES}, "anonymous": (200, 200)},
    "logout": {role: (405, 405) for role in ROLES},
    "municipality_detail": {
        "anonymous": (200, 200), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (200, 200),
    },
    "local_priority_create": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (403, 404),
        "police": (403, 403), "prosecutor": (403, 403), "partner": (403, 403),
    },
    "local_priority_detail": {
        "anonymous": (404, 404), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (404, 404),
    },
    "local_priority_edit": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (403, 404),
        "police": (403, 403), "prosecutor": (403, 403), "partner": (404, 404),
    },
    "local_priority_delete": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (405, 405), "advisor": (405, 405), "councillor": (405, 405),
        "police": (405, 405), "prosecutor": (405, 405), "partner": (405, 405),
    },
    "adoption_edit": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (403, 404),
        "police": (403, 403), "prosecutor": (403, 403), "partner": (403, 403),
    },
    "object_history": None,  # walked per history kind below
    "comment_add": {**{role: (405, 405) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    "base_team_dashboard": ALL_200,
    "municipality_dashboard": {
        "anonymous": (200, 200), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (200, 200),
    },
    "indicator_detail": {
        "anonymous": (200, 200), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (200, 200),
    },
    "interpretation_edit": {**{role: (405, 405) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    "interpretation_cosign": {**{role: (405, 405) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    "local_figures_upload": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (403, 404),
        "police": (403, 403), "prosecutor": (403, 403), "partner": (403, 403),
    },
    "local_figures_template": ALL_200,
    "structural_break_add": {**{role: (405, 405) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
}

EXPECTED_HISTORY = {
    "plan": {**{role: (200, 200) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    "thema": {**{role: (200, 200) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    "prioriteit": {**EXPECTED_GET["local_priority_detail"], "anonymous": (LOGIN, LOGIN)},
    "vaststelling": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (200, 200),
    },
    "gemeente": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (404, 404),
    },
}


def _kwargs(name, code, plan, priorities, themes):
    adoption = Adoption.objects.get(plan=plan, municipality__cbs_code=code)
    return {
        "plan_overview": {}, "plan_versions": {}, "login": {}, "logout": {},
        "plan_version": {"key": plan.key, "version": plan.version},
        "theme_detail": {"pk": themes[0].pk},
        "municipality_detail": {"cbs_code": code},
        "local_priority_create": {"cbs_code": code},
        "local_priority_detail": {"pk": priorities[code].pk},
        "local_priority_edit": {"pk": priorities[code].pk},
        "local_priority_delete": {"pk": priorities[code].pk},
        "adoption_edit": {"pk": adoption.pk},
        "comment_add": {"kind": "prioriteit", "pk": priorities[code].pk},
        "base_team_dashboard": {},
        "municipality_dashboard": {"cbs_code": code},
        "indicator_detail": {"area_code": code, "indicator": "crime_total"},
        "interpretation_edit": {"area_code": code, "indicator": "crime_total"},
        "interpretation_cosign": {"area_code": code, "indicator": "crime_total"},
        "local_figures_upload": {"cbs_code": code},
        "local_figures_template": {},
        "structural_break_add": {"area_code": code, "indicator": "crime_total"},
    }[name]


def _history_kwargs(kind, code, plan, priorities, themes):
    adoption = Adoption.objects.get(plan=plan, municipality__cbs_code=code)
    pk = {
        "plan": plan.pk, "thema": themes[0].pk, "prioriteit": priorities[code].pk,
        "vaststelling": adoption.pk, "gemeente": adoption.municipality_id,
    }[kind]
    return {"kind": kind, "pk": pk}


@pytest.fixture(autouse=True)
def municipal_areas(db, request):
    """The two municipalities as areas (a small fixture; the real registry comes from the open data)."""
    if "plan" not in request.fixturenames:
        return
    from ivp.areas.models import Area
    from ivp.core.models import Organisation

    request.getfixturevalue("plan")
    for code in (OWN, OTHER):
        org = Organisation.objects.get(cbs_code=code)
        Area.objects.get_or_create(code=code, defaults={"level": "gemeente", "name": org.name, "organisation": org})


def _check(client, user, url, expected):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302 and "/inloggen/" in response["Location"], url
    else:
        assert response.status_code == expected, f"{url}: got {response.status_code}, expected {expected}"


def test_every_route_has_expectations():
    names = {p.name for p in get_resolver().url_patterns[-1].url_patterns}
    assert names == set(EXPECTED_GET), names ^ set(EXPECTED_GET)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_get_every_route(client, role, users, plan, priorities):
    themes = list(plan.themes.order_by("order"))
    for name, expected in EXPECTED_GET.items():
        if expected is None:
            continue
        for code, status in zip((OWN, OTHER), expected[role], strict=True):
            url = reverse(f"web:{name}", kwargs=_kwargs(name, code, plan, priorities, themes))
            _check(client, users[role], url, status)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_history_of_every_kind(client, role, users, plan, priorities):
    from ivp.web.views.history import HISTORY_KINDS

    assert set(HISTORY_KINDS) == set(EXPECTED_HISTORY)
    themes = list(plan.themes.order_by("order"))
    for kind, expected in EXPECTED_HISTORY.items():
        for code, status in zip((OWN, OTHER), expected[role], strict=True):
            url = reverse("web:object_history", kwargs=_history_kwargs(kind, code, plan, priorities, themes))
            _check(client, users[role], url, status)


# Writes: (own, other) outcome per role: "ok" = saved, or the refusal status. A partner cannot
# see another municipality's unpublished priority at all (404), but can see the public
# municipality page on which a priority would be created (403).
EXPECTED_POST_EDIT = {
    "anonymous": (LOGIN, LOGIN), "coordinator": ("ok", "ok"), "advisor": ("ok", 404), "councillor": (403, 404),
    "police": (403, 403), "prosecutor": (403, 403), "partner": (404, 404),
}
EXPECTED_POST_CREATE = {**EXPECTED_POST_EDIT, "partner": (403, 403)}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_post_edit_priority(client, role, users, priorities):
    for code, outcome in zip((OWN, OTHER), EXPECTED_POST_EDIT[role], strict=True):
        priority = priorities[code]
        if users[role] is not None:
            client.force_login(users[role])
        denied_before = AuditEvent.objects.filter(result="denied").count()
        response = client.post(reverse("web:local_priority_edit", kwargs={"pk": priority.pk}),
                               {"title": f"Changed by {role}", "domain": "sociaal", "description": ""})
        priority.refresh_from_db()
        if outcome == "ok":
            assert response.status_code == 302
            assert priority.title == f"Changed by {role}"
            assert AuditEvent.objects.for_object(priority).filter(action="local_priority.update",
                                                                  result="success").exists()
            continue
        assert priority.title.startswith("Testprioriteit"), "a refused write must not change anything"
        if outcome == LOGIN:
            assert response.status_code == 302 and "/inloggen/" in response["Location"]
        else:
            assert response.status_code == outcome
        if outcome == 403:
            # A refused attempt on a visible object is recorded as denied.
            assert AuditEvent.objects.filter(result="denied").count() == denied_before + 1
        client.logout()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_post_create_priority(client, role, users, plan, priorities):
    for code, outcome in zip((OWN, OTHER), EXPECTED_POST_CREATE[role], strict=True):
        if users[role] is not None:
            client.force_login(users[role])
        before = LocalPriority.objects.count()
        response = client.post(reverse("web:local_priority_create", kwargs={"cbs_code": code}),
                               {"title": "Nieuwe testprioriteit", "domain": "fysiek", "description": ""})
        if outcome == "ok":
            assert response.status_code == 302
            assert LocalPriority.objects.count() == before + 1
        else:
            assert LocalPriority.objects.count() == before
            assert response.status_code == (302 if outcome == LOGIN else outcome)
        client.logout()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_post_delete_priority(client, role, users, priorities):
    for code, outcome in zip((OWN, OTHER), EXPECTED_POST_EDIT[role], strict=True):
        if users[role] is not None:
            client.force_login(users[role])
        target = priorities[code]
        response = client.post(reverse("web:local_priority_delete", kwargs={"pk": target.pk}))
        assert LocalPriority.objects.filter(pk=target.pk).exists() == (outcome != "ok")
        if outcome != "ok":
            assert response.status_code == (302 if outcome == LOGIN else outcome)
        client.logout()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_post_adoption(client, role, users, plan):
    for code, outcome in zip((OWN, OTHER), EXPECTED_POST_CREATE[role], strict=True):
        if users[role] is not None:
            client.force_login(users[role])
        adoption = Adoption.objects.get(plan=plan, municipality__cbs_code=code)
        response = client.post(reverse("web:adoption_edit", kwargs={"pk": adoption.pk}),
                               {"status": "vastgesteld", "date": "2022-12-15", "decision_reference": "TEST-1"})
        adoption.refresh_from_db()
        assert (adoption.status == "vastgesteld") == (outcome == "ok")
        if outcome != "ok":
            assert response.status_code == (302 if outcome == LOGIN else outcome)
        client.logout()
