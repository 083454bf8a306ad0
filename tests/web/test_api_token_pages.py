"""Mijn IVP > API-sleutels: make a key (shown once), revoke it; someone else's key is not found."""

import pytest
from django.urls import reverse

from ivp.api.models import ApiToken
from ivp.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_make_and_revoke_a_key(client, users, plan):
    advisor = users["advisor"]
    client.force_login(advisor)
    page = client.get(reverse("web:api_tokens"))
    assert page.status_code == 200
    assert reverse("web:api_tokens") in client.get(reverse("web:start")).content.decode()
    made = client.post(reverse("web:api_tokens"), {"name": "dashboard", "days": "30"})
    assert made.status_code == 200
    token = ApiToken.objects.get(user=advisor)
    html = made.content.decode()
    secret = html.split('id="new-key"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    assert secret.startswith(token.hint) and "no-store" in made["Cache-Control"]
    assert client.get(reverse("web:api_tokens")).content.decode().count(secret) == 0  # shown once
    api = client.get("/api/v1/themes", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200
    revoked = client.post(reverse("web:api_token_revoke", args=[token.pk]))
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=advisor).exists()
    assert client.get("/api/v1/themes", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_invalid_input_is_400_and_others_keys_are_404(client, users, plan):
    from ivp.api.services import api_token_create

    client.force_login(users["councillor"])
    assert client.post(reverse("web:api_tokens"), {"name": "", "days": "30"}).status_code == 400
    assert client.post(reverse("web:api_tokens"), {"name": "x", "days": "9999"}).status_code == 400
    other, _secret = api_token_create(actor=None, user=users["police"], name="police key")
    assert client.post(reverse("web:api_token_revoke", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_anonymous_is_sent_to_sign_in(client, plan):
    response = client.get(reverse("web:api_tokens"))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]
