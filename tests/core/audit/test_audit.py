"""The audit trail: what is recorded, and that it cannot be changed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from ivp.core.audit.context import origin
from ivp.core.audit.models import AuditEvent, AuditImmutableError
from ivp.core.audit.recorder import audited, record_event

pytestmark = pytest.mark.django_db


def _event():
    return record_event(actor=None, action="test.event", result="success", message="test")


def test_events_cannot_be_changed_or_deleted_through_the_orm():
    event = _event()
    event.message = "changed"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(message="changed")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).message == "test"


def test_the_database_refuses_raw_updates():
    event = _event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET message = 'changed' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).message == "test"


def test_the_database_refuses_raw_deletes_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("DELETE trigger is PostgreSQL-only (see migration core.0002)")
    event = _event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audited_records_success_denied_and_error(users):
    user = users["advisor"]
    with audited(actor=user, action="test.ok") as event:
        event.changes = {"x": [1, 2]}
    with pytest.raises(PermissionDenied), audited(actor=user, action="test.denied"):
        raise PermissionDenied("nope")
    with pytest.raises(ValidationError), audited(actor=user, action="test.error"):
        raise ValidationError("bad input")
    results = dict(AuditEvent.objects.filter(action__startswith="test.").values_list("action", "result"))
    assert results == {"test.ok": "success", "test.denied": "denied", "test.error": "error"}
    assert AuditEvent.objects.get(action="test.error").message == "bad input"
    assert AuditEvent.objects.get(action="test.ok").changes == {"x": [1, 2]}


def test_origin_ip_and_kind_are_recorded():
    with origin("web", "192.0.2.7"):
        event = _event()
    assert (event.origin, event.origin_ip) == ("web", "192.0.2.7")


def test_web_write_records_the_client_ip(client, users, priorities):
    client.force_login(users["advisor"])
    client.post(reverse("web:local_priority_edit", kwargs={"pk": priorities["GM0865"].pk}),
                {"title": "Nieuw", "domain": "sociaal", "description": ""}, REMOTE_ADDR="198.51.100.4")
    event = AuditEvent.objects.get(action="local_priority.update")
    assert event.origin == "web" and event.origin_ip == "198.51.100.4"


def test_failed_login_is_recorded_without_the_password(client, users):
    client.post(reverse("web:login"), {"username": "advisor-vught", "password": "wrong-password-123"})
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.result == "denied" and event.message == "advisor-vught"
    assert "wrong-password" not in str(event.changes) + event.message
