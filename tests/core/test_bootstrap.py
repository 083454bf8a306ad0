"""`ivp bootstrap`: safe to re-run, one plan, the administrator's password printed once."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from ivp.core.models import User
from ivp.plans.models import Plan

from ..conftest import PLAN_FILE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_open_data(settings, tmp_path):
    # An empty snapshot folder: these tests are about the plan and the administrator.
    settings.IVP_OPENDATA_DIR = str(tmp_path)


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


def test_bootstrap_without_any_open_data_says_so_and_goes_on(settings, monkeypatch):
    from ivp.indicators.services import online_import
    from ivp.opendata.odata import ODataConnectionError

    def unreachable(table, **kwargs):
        raise ODataConnectionError(f"https://opendata.example/{table}", "Name or service not known")

    settings.IVP_OPENDATA_DIR = ""
    monkeypatch.setattr(online_import, "client_for", unreachable)
    out, err = StringIO(), StringIO()
    call_command("bootstrap", "--plan-file", str(PLAN_FILE), stdout=out, stderr=err)
    assert "IVP_OPENDATA_DIR" in err.getvalue() and "Name or service not known" in err.getvalue()
    assert Plan.objects.count() == 1 and User.objects.filter(username="admin").exists()


def test_bootstrap_imports_the_snapshot(settings, shared_data):
    from ivp.indicators.models import Observation

    settings.IVP_OPENDATA_DIR = str(shared_data)
    _bootstrap()
    assert Observation.objects.filter(area__code="GM0865", table="47013NED").count() == 3
