"""Generic error pages: no stack trace, no exception text, a way back home."""

import pytest
from django.template import loader
from django.test import Client, override_settings
from django.urls import reverse

from ivp.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SECRET = "secret-internal-detail"


@pytest.mark.urls("tests.security.urls_raise")
@override_settings(DEBUG=False)
def test_500_page_shows_nothing_internal():
    client = Client(raise_request_exception=False)
    response = client.get("/kapot/")
    assert response.status_code == 500
    html = response.content.decode()
    assert SECRET not in html and "hunter2" not in html and "Traceback" not in html and "RuntimeError" not in html
    assert 'href="/"' in html and 'lang="nl"' in html


def test_500_template_needs_no_request_context():
    html = loader.get_template("500.html").render()  # exactly what django.views.defaults.server_error does
    assert "<h1" in html and 'href="/"' in html


@override_settings(DEBUG=False)
def test_404_page(client):
    response = client.get("/bestaat-echt-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Traceback" not in html and "bestaat-echt-niet" not in html and 'href="/"' in html


@override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"])
def test_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "evil.example" not in html and "DisallowedHost" not in html and 'href="/"' in html


def test_csrf_failure_page(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("web:login"), {"username": "police", "password": "x"})
    assert response.status_code == 403
    assert "403_csrf.html" in [t.name for t in response.templates]
    assert "CSRF" not in response.content.decode() and 'href="/"' in response.content.decode()


def test_403_from_a_guard_is_a_generic_page_and_audited(client, users, vught):
    client.force_login(users["councillor"])
    url = reverse("web:local_priority_create", kwargs={"cbs_code": vught.cbs_code})
    response = client.get(url)
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    event = AuditEvent.objects.get(action="access.denied")
    assert event.result == "denied" and event.actor == users["councillor"] and url in event.message
    # A refused POST is recorded once, by the guard (not again by the error page).
    before = AuditEvent.objects.filter(result="denied").count()
    response = client.post(url, {"title": "x", "domain": "sociaal", "description": ""})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(result="denied").count() == before + 1
    assert not AuditEvent.objects.filter(action="access.denied").exclude(pk=event.pk).exists()
