"""The Django admin: configuration for superusers, audited writes, a read-only audit trail."""

import pytest

from ivp.core.audit.models import AuditEvent
from ivp.core.models import Organisation
from ivp.core.services import user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, plan):
    admin, _password = user_create(actor=None, username="beheerder", is_superuser=True, password="x-admin-pass-123")
    client.force_login(admin)
    return client


def test_admin_pages_open(admin_client):
    for url in ["/beheer/", "/beheer/core/organisation/", "/beheer/plans/localpriority/", "/beheer/core/auditevent/"]:
        assert admin_client.get(url).status_code == 200, url


def test_admin_write_is_audited(admin_client):
    org = Organisation.objects.get(code="ggd")
    response = admin_client.post(f"/beheer/core/organisation/{org.pk}/change/", {
        "kind": org.kind, "code": org.code, "name": "GGD Hart voor Brabant", "cbs_code": "",
        "partner_kind": org.partner_kind, "parent": "",
    })
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.organisation.update")
    assert event.changes["name"] == ["GGD", "GGD Hart voor Brabant"]


def test_audit_trail_is_read_only_in_the_admin(admin_client):
    event = AuditEvent.objects.first()
    assert admin_client.get("/beheer/core/auditevent/add/").status_code == 403
    assert admin_client.post(f"/beheer/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- Superusers only, and never a loop (issue 14) ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "advisor", "councillor", "police", "partner"])
def test_a_signed_in_non_superuser_gets_a_clear_403_not_a_loop(client, users, role):
    client.force_login(users[role])
    for url in ("/beheer/", "/beheer/core/organisation/", "/beheer/core/user/1/change/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "alleen voor de applicatiebeheerder" in response.content.decode(), url
    # The old loop: /beheer/login/ -> /inloggen/?next=/beheer/ -> /beheer/ now ends at the 403 page.
    response = client.get("/beheer/login/?next=/beheer/", follow=True)
    assert response.status_code == 403 and len(response.redirect_chain) <= 2
    assert AuditEvent.objects.filter(action="access.denied", actor=users[role]).exists()


def test_staff_without_superuser_is_refused_too(client, users):
    staff = users["coordinator"]
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/beheer/").status_code == 403


def test_anonymous_visitors_are_sent_to_our_login(client):
    response = client.get("/beheer/", follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0].startswith("/inloggen/")
