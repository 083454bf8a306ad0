"""`ivp invite` and `ivp users` (CLI parity with the People page, issue 14)."""

import email
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ivp.core.audit.models import AuditEvent
from ivp.core.people import open_invitation

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_invite_writes_an_eml_with_a_one_time_link_and_users_lists_the_person(plan, settings, tmp_path):
    settings.EMAIL_BACKEND = "ivp.core.mail.EmlFileBackend"  # what IVP_EMAIL_URL=file:///dir sets
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.IVP_BASE_URL = "https://ivp.example.nl"
    out = _run("invite", "--email", "test@example.org", "--organisation", "GM0865", "--role", "advisor",
               "--name", "Test Adviseur")
    link = re.search(r"https://ivp\.example\.nl/uitnodiging/[\w-]+/", out).group(0)
    (path,) = tmp_path.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes())
    assert message["To"] == "test@example.org"
    text = message.get_payload()[0].get_payload(decode=True).decode()
    assert link in text
    assert open_invitation(link.rstrip("/").rsplit("/", 1)[-1]).user.email == "test@example.org"

    rows = json.loads(_run("users", "--format", "json"))
    (row,) = [r for r in rows if r["email"] == "test@example.org"]
    assert row["name"] == "Test Adviseur" and row["organisation"] == "GM0865" and row["role"] == "advisor"
    assert row["active"] is True and row["mfa_set_up"] is False and row["mfa_required"] is True
    assert row["status"] == "invited"
    event = AuditEvent.objects.get(action="person.invite", result="success")
    assert event.origin == "cli" and event.actor is None and event.object_repr == "test@example.org"


def test_invite_refuses_what_does_not_fit(plan):
    with pytest.raises(CommandError):
        _run("invite", "--email", "x@example.org", "--organisation", "GM9999", "--role", "advisor", "--name", "X Y")
    with pytest.raises(CommandError):  # a police role is not held in a municipality
        _run("invite", "--email", "x@example.org", "--organisation", "GM0865", "--role", "police", "--name", "X Y")


def test_users_as_text(users):
    out = _run("users")
    assert "advisor-vught" in out and "GM0865" in out
