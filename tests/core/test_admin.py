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
