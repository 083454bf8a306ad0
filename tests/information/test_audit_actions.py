"""Every action the information registers can record has a readable label on the history and audit pages: the
services' writes, the reads, the import, and the refused edit of each register (`information.<register>.edit`)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import ivp
from ivp.core.audit.labels import ACTION_LABELS, action_label
from ivp.core.audit.models import AuditEvent
from ivp.information.models import Register

SRC = Path(ivp.__file__).parent
# Where information events are recorded: the app itself and its web pages.
SOURCES = [*sorted((SRC / "information").rglob("*.py")), SRC / "web" / "views" / "information.py"]
LITERAL = re.compile(r"""(?:action|what)=["'](information\.[a-z_.]+)["']""")


def recorded_actions() -> set[str]:
    found = {match for path in SOURCES for match in LITERAL.findall(path.read_text(encoding="utf-8"))}
    # The web page refuses an edit per register: action=f"information.{page.register}.edit".
    found |= {f"information.{register}.edit" for register in Register.values}
    return found


def test_the_scan_finds_the_information_actions():
    actions = recorded_actions()
    assert {"information.signal.create", "information.read", "information.summary", "information.import_signals",
            "information.purge", "information.signals.edit"} <= actions


@pytest.mark.parametrize("action", sorted(recorded_actions()))
def test_every_information_action_has_a_readable_label(action):
    assert action in ACTION_LABELS
    label = action_label(action)
    assert label != action and "information." not in label


@pytest.mark.django_db
def test_a_refused_register_edit_reads_in_dutch_on_the_audit_pages(client, users):
    # The police read the registers but may not change them: the refusal is recorded and reads as words.
    client.force_login(users["police"])
    refused = client.post(reverse("web:information_create", kwargs={"cbs_code": "GM0865", "register": "signalen"}),
                          {"count": "3"})
    assert refused.status_code == 403
    event = AuditEvent.objects.get(action__startswith="information.", result="denied")
    assert event.action == "information.signals.edit"
    assert action_label(event.action) == "Register signalen bewerken"
