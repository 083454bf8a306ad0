"""Police and OM read everything and comment; councillors and partners do not comment."""

import pytest
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.core.models import Comment

from ..conftest import OTHER, OWN

pytestmark = pytest.mark.django_db

# (own, other): "ok" = comment saved, else the status the POST gets.
EXPECTED = {
    "coordinator": ("ok", "ok"), "police": ("ok", "ok"), "prosecutor": ("ok", "ok"),
    "advisor": ("ok", 404), "councillor": (403, 404), "partner": (404, 404),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_comment_on_local_priority(client, role, users, priorities):
    client.force_login(users[role])
    for code, outcome in zip((OWN, OTHER), EXPECTED[role], strict=True):
        priority = priorities[code]
        url = reverse("web:comment_add", kwargs={"kind": "prioriteit", "pk": priority.pk})
        response = client.post(url, {"text": f"Opmerking van {role}"})
        saved = Comment.objects.filter(object_id=str(priority.pk), text=f"Opmerking van {role}").exists()
        assert saved == (outcome == "ok")
        if outcome == "ok":
            assert response.status_code == 302
            page = client.get(reverse("web:local_priority_detail", kwargs={"pk": priority.pk}))
            assert f"Opmerking van {role}" in page.content.decode()
        else:
            assert response.status_code == outcome
    if role == "councillor":
        assert AuditEvent.objects.filter(action="comment.create", result="denied").exists()


def test_empty_comment_is_refused_and_nothing_saved(client, users, plan):
    client.force_login(users["police"])
    theme = plan.themes.first()
    response = client.post(reverse("web:comment_add", kwargs={"kind": "thema", "pk": theme.pk}), {"text": "  "})
    assert response.status_code == 302 and not Comment.objects.exists()
    assert AuditEvent.objects.filter(action="comment.create", result="error").exists()


def test_comments_of_another_municipality_stay_hidden(client, users, priorities):
    client.force_login(users["police"])
    client.post(reverse("web:comment_add", kwargs={"kind": "prioriteit", "pk": priorities[OTHER].pk}),
                {"text": "Alleen voor Heusden"})
    client.force_login(users["advisor"])
    assert Comment.objects.for_user(users["advisor"]).filter(text="Alleen voor Heusden").count() == 0
