"""Session idle and absolute time limits, with time travel (ivp.core.sessions.now)."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from ivp.core import sessions
from ivp.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123!"


class Clock:
    def __init__(self, start=1_800_000_000.0):
        self.t = start

    def __call__(self):
        return self.t

    def travel(self, *, minutes=0, hours=0):
        self.t += minutes * 60 + hours * 3600


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(sessions, "now", c)
    return c


def _sign_in(client):
    response = client.post(reverse("web:login"), {"username": "police", "password": PASSWORD})
    assert response.status_code == 302


def test_defaults():
    assert django_settings.IVP_SESSION_IDLE_SECONDS == 30 * 60
    assert django_settings.IVP_SESSION_MAX_SECONDS == 10 * 3600


def test_idle_session_is_signed_out_with_a_message(client, users, clock):
    _sign_in(client)
    clock.travel(minutes=29)
    assert client.get(reverse("web:agreement_list")).status_code == 200
    clock.travel(minutes=29)  # active 29 minutes ago: still fine
    assert client.get(reverse("web:agreement_list")).status_code == 200
    clock.travel(minutes=31)
    response = client.get(reverse("web:agreement_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert page.context["signed_out_message"] and "30" in page.context["signed_out_message"]
    assert page.context["signed_out_message"] in page.content.decode()
    # Shown once.
    assert not client.get(reverse("web:login")).context["signed_out_message"]
    assert AuditEvent.objects.filter(action="auth.session_expired", message="idle").exists()


def test_absolute_limit_even_when_active(client, users, clock):
    _sign_in(client)
    for _i in range(20):  # 10 hours of activity every 30 minutes minus a bit
        clock.travel(minutes=29)
        if client.get(reverse("web:agreement_list")).status_code != 200:
            break
    clock.travel(minutes=29)
    response = client.get(reverse("web:agreement_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    page = client.get(response["Location"])
    assert "10" in page.context["signed_out_message"]
    assert AuditEvent.objects.filter(action="auth.session_expired", message="max_age").exists()


def test_htmx_requests_get_a_full_page_redirect(client, users, clock):
    _sign_in(client)
    clock.travel(minutes=31)
    response = client.get(reverse("web:agreement_list"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("web:login"))
