"""Login lockout (django-axes): by user name + client IP, Dutch page with status 429, audited."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.urls import reverse

from ivp.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123!"
LOGIN = "/inloggen/"


def _attempt(client, username, password="wrong-password-000", ip="192.0.2.10"):  # noqa: S107
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_defaults_come_from_the_environment_variables():
    assert django_settings.AXES_FAILURE_LIMIT == 5  # IVP_LOGIN_FAILURE_LIMIT
    assert django_settings.AXES_COOLOFF_TIME == dt.timedelta(minutes=15)  # IVP_LOGIN_COOLOFF_MINUTES
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_failed_logins_are_audited_without_the_password(client, users):
    response = _attempt(client, "police", password="geheim-wachtwoord-99")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.result == "denied" and event.message == "police" and event.origin_ip == "192.0.2.10"
    assert "geheim" not in str(AuditEvent.objects.values_list("message", "changes").all())


def test_lockout_after_the_limit_with_a_dutch_429_page(client, users):
    for _i in range(4):
        assert _attempt(client, "police").status_code == 200
    response = _attempt(client, "police")
    assert response.status_code == 429
    assert "registration/lockout.html" in [t.name for t in response.templates]
    assert response["Retry-After"] == str(15 * 60)
    assert "15" in response.content.decode()
    assert b"Traceback" not in response.content
    event = AuditEvent.objects.get(action="auth.lockout")
    assert event.result == "denied" and event.message == "police"
    # The right password does not help during the cool-off.
    assert _attempt(client, "police", password=PASSWORD).status_code == 429


def test_lockout_is_per_user_name_and_address(client, users):
    for _i in range(5):
        _attempt(client, "police")
    assert _attempt(client, "police", password=PASSWORD).status_code == 429
    # Same address, another account: not locked (an attacker cannot lock out everyone from one address).
    response = _attempt(client, "councillor-vught", password=PASSWORD)
    assert response.status_code == 302
    client.logout()
    # Same account, another address: not locked (the real user elsewhere can still sign in).
    response = _attempt(client, "police", password=PASSWORD, ip="198.51.100.7")
    assert response.status_code == 302


def test_lockout_ends_after_the_cool_off(client, users):
    for _i in range(5):
        _attempt(client, "police")
    assert _attempt(client, "police", password=PASSWORD).status_code == 429
    # Travel 16 minutes forward: move the recorded attempts back in time.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= dt.timedelta(minutes=16)
        attempt.save()
    assert _attempt(client, "police", password=PASSWORD).status_code == 302


def test_force_login_is_not_affected_by_axes(client, users):
    client.force_login(users["coordinator"])
    assert client.get(reverse("web:plan_overview")).status_code == 200
