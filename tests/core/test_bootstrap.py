"""`ivp bootstrap`: safe to re-run, one plan, the administrator's password printed once."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from ivp.core.models import User
from ivp.plans.models import Plan

from ..conftest import PLAN_FILE

pytestmark = pytest.mark.django_db


def _bootstrap(*args):
    out = StringIO()
    call_command("bootstrap", "--plan-file", str(PLAN_FILE), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _password(output):
    match = re.search(r"wachtwoord ([A-Za-z0-9_-]{20,})", output)
    return match.group(1) if match else None


def test_bootstrap_twice():
    first = _bootstrap()
    password = _password(first)
    assert password and User.objects.get(username="admin").check_password(password)
    second = _bootstrap()
    assert _password(second) is None
    assert Plan.objects.count() == 1 and User.objects.count() == 1
    third = _bootstrap("--reset-admin-password")
    new_password = _password(third)
    assert new_password and new_password != password
    assert User.objects.get(username="admin").check_password(new_password)
