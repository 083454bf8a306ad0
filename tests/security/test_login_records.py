"""F8: a password typed into the user-name field never reaches the audit trail, django-axes' tables or the log;
sign-in records have a retention (`ivp purge_login_records`); internal pages and downloads are not cached."""

import datetime as dt
import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from ivp.core.audit.models import AuditEvent, AuditImmutableError
from ivp.core.login_records import LOGIN_ACTIONS, UNKNOWN_PREFIX, recorded_username

pytestmark = pytest.mark.django_db

TYPED_PASSWORD = "Geheim-Wachtwoord-77!"
LOGIN = "/inloggen/"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines():
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in ("axes", "ivp", "django")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.lines
    for logger in loggers:
        logger.removeHandler(handler)


def _attempt(client, username, password="wrong-password-000"):  # noqa: S107
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="192.0.2.10")


def test_a_password_in_the_user_name_field_is_not_stored_or_logged(client, users, log_lines):
    assert _attempt(client, TYPED_PASSWORD).status_code == 200
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.message.startswith(UNKNOWN_PREFIX) and event.message == recorded_username(TYPED_PASSWORD)
    stored = [str(v) for v in AuditEvent.objects.values_list("message", "changes", "object_repr")]
    stored += [str(v) for v in AccessAttempt.objects.values_list("username", "get_data", "post_data")]
    stored += [str(v) for v in AccessFailureLog.objects.values_list("username")]
    assert AccessAttempt.objects.get().username == event.message
    assert log_lines and not [line for line in log_lines if "Geheim" in line]
    assert not [s for s in stored if "Geheim" in s]


def test_the_same_unknown_name_is_counted_toward_one_lockout(client, users):
    for _i in range(4):
        assert _attempt(client, TYPED_PASSWORD).status_code == 200
    assert _attempt(client, TYPED_PASSWORD).status_code == 429
    lockout = AuditEvent.objects.get(action="auth.lockout")
    assert lockout.message == recorded_username(TYPED_PASSWORD)
    assert "Geheim" not in str(list(AuditEvent.objects.values_list("message", flat=True)))


def test_an_existing_account_keeps_its_name(client, users):
    _attempt(client, "police")
    assert AuditEvent.objects.get(action="auth.login_failed").message == "police"
    assert recorded_username("police") == "police" and recorded_username("Police").startswith(UNKNOWN_PREFIX)


# --- retention ---------------------------------------------------------------------------------------


@pytest.fixture
def old_and_new_records(client, users):
    _attempt(client, "police")
    client.post(LOGIN, {"username": "police", "password": "test-password-123!"}, REMOTE_ADDR="192.0.2.10")
    AccessFailureLog.objects.create(username="police", ip_address="192.0.2.10", user_agent="test", http_accept="",
                                    path_info=LOGIN)
    long_ago = timezone.now() - dt.timedelta(days=200)
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        model.objects.update(attempt_time=long_ago)
    old_login = AuditEvent.objects.create(occurred_at=long_ago, actor_label="police", action="auth.login",
                                          result="success", origin="web", origin_ip="192.0.2.10")
    old_change = AuditEvent.objects.create(occurred_at=long_ago, actor_label="coordinator", action="comment.create",
                                           result="success", origin="web", origin_ip="192.0.2.11")
    recent = AuditEvent.objects.filter(action__in=LOGIN_ACTIONS).exclude(pk=old_login.pk)
    assert recent.exists() and AccessLog.objects.exists()
    return {"old_login": old_login, "old_change": old_change, "recent": set(recent.values_list("pk", flat=True))}


def test_purge_deletes_only_old_sign_in_records(old_and_new_records, capsys):
    call_command("purge_login_records")
    assert not AccessLog.objects.exists() and not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()
    assert not AuditEvent.objects.filter(pk=old_and_new_records["old_login"].pk).exists()
    assert AuditEvent.objects.filter(pk=old_and_new_records["old_change"].pk).exists()  # not a sign-in record
    assert old_and_new_records["recent"] <= set(AuditEvent.objects.values_list("pk", flat=True))
    purge = AuditEvent.objects.get(action="login_records.purge")
    assert purge.origin == "cli" and purge.changes["audit_events"] == [1, 0]
    assert purge.changes["axes_access_logs"] == [1, 0]
    assert "1" in capsys.readouterr().out
    call_command("purge_login_records")  # nothing left to delete: no second event
    assert AuditEvent.objects.filter(action="login_records.purge").count() == 1


def test_purge_keeps_records_within_the_given_days(old_and_new_records):
    call_command("purge_login_records", "--days", "365")
    assert AuditEvent.objects.filter(pk=old_and_new_records["old_login"].pk).exists()
    assert AccessLog.objects.exists()


def test_the_trail_stays_append_only_outside_the_purge(old_and_new_records):
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(action="auth.login").delete()
    if connection.vendor != "postgresql":
        return  # SQLite has no DELETE trigger (ivp.core.db_triggers); the model guard above applies
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE action = 'auth.login'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ivp.purge_login_records = 'on'")
        cursor.execute("DELETE FROM core_auditevent WHERE action = 'comment.create'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ivp.purge_login_records = 'on'")
        cursor.execute("UPDATE core_auditevent SET message = 'x' WHERE action = 'auth.login'")


# --- Cache-Control -----------------------------------------------------------------------------------


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_signed_in_pages_and_downloads_are_not_stored_public_pages_are(client, users):
    assert not _no_store(client.get(reverse("web:plan_overview")))
    assert _no_store(client.get(reverse("web:local_figures_template")))  # a download, even anonymous
    client.force_login(users["police"])
    for url in (reverse("web:plan_overview"), reverse("web:execution_overview"),
                reverse("web:coverage_export", kwargs={"fmt": "csv"})):
        response = client.get(url)
        assert response.status_code == 200 and _no_store(response), url
        assert "private" in response["Cache-Control"], url
