"""`ivp backup` / `ivp restore`: an exact, database-independent copy; refused files write nothing.

The data written here (users, local figures, activity, allocation) are test fixtures, not real data; the
areas come from the real CBS KWB file in ../shared/data.
"""

import datetime as dt
import gzip
import json
import os
import stat
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation

from ivp.budget.services import allocation_create
from ivp.core import backup as backup_module
from ivp.core.backup import BackupError, backup_read, backup_restore, backup_write, dump_database
from ivp.core.models import Organisation
from ivp.core.roles import Role
from ivp.execution.services import activity_create, execution_plan_create, status_update_add
from ivp.indicators.services.local_figures import local_figures_upload
from ivp.indicators.services.snapshot_import import snapshot_import
from ivp.plans.planfile import parse_plan_file
from ivp.plans.services import plan_load
from tests.conftest import PLAN_FILE, make_user
from tests.fault.scratch import fresh_rows, scratch_database

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The messages are matched in English (the commands themselves speak Dutch).
    with translation.override("en"):
        yield
KWB = ("population", "population_kwb2024_85984_meierij_gemeente_wijk_buurt.csv")


def populate(shared_data):
    """A bit of everything: plan, areas and population, users with roles, groups and permissions, local
    figures, an execution plan with an activity and a status update, a fund allocation, a refused attempt."""
    plan = plan_load(actor=None, document=parse_plan_file(PLAN_FILE), source_name=str(PLAN_FILE)).plan
    snapshot_import(actor=None, root=shared_data.joinpath(*KWB))
    vught = Organisation.objects.get(cbs_code="GM0865")
    base_team = Organisation.objects.get(code="basisteam-meierij")
    coordinator = make_user("coordinator", base_team, Role.COORDINATOR)
    advisor = make_user("advisor-vught", vught, Role.ADVISOR)
    councillor = make_user("councillor-vught", vught, Role.COUNCILLOR)
    group = Group.objects.create(name="testgroep")
    group.permissions.add(Permission.objects.get(codename="view_plan"))
    advisor.groups.add(group)
    advisor.user_permissions.add(Permission.objects.get(codename="view_area"))
    local_figures_upload(actor=advisor, municipality=vught, file_name="eigen.csv", content=(
        b"gebied_code,jaar,maat,waarde,eenheid,steekproef_n,bron\n"
        b"GM0865,2023,vaak_onveilig,12.5,percentage,850,Testbron (fixture)\n"))
    execution_plan = execution_plan_create(actor=coordinator, plan=plan, municipality=vught, period_start=2023)
    activity = activity_create(actor=coordinator, execution_plan=execution_plan, title="Testactiviteit (fixture)",
                               owner=advisor, focus_lenses=[plan.focus_lenses.first()],
                               themes=[plan.themes.first()], start_date=dt.date(2024, 1, 1))
    status_update_add(actor=advisor, activity=activity, status="op_koers", narrative="Gestart (fixture).")
    allocation_create(actor=coordinator, year=2024, kind="bim", title="BIM 2024 (fixture)", amount_cents=12_345_67)
    with pytest.raises(PermissionDenied):
        allocation_create(actor=councillor, year=2024, kind="bim", title="Geweigerd", amount_cents=1)


def _parsed(texts: dict) -> dict:
    return {label: json.loads(text) for label, text in texts.items()}


@pytest.fixture
def backup_file(tmp_path, shared_data):
    """A backup of a populated database; the test database itself is empty again afterwards."""
    path = tmp_path / "ivp.json.gz"
    with transaction.atomic():
        populate(shared_data)
        before = dump_database()
        backup_write(path)
        transaction.set_rollback(True)
    return path, before


def test_restore_gives_back_exactly_the_same_database(backup_file):
    path, before = backup_file
    empty = dump_database()
    assert fresh_rows(_parsed(empty)) == {}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # it holds password hashes
    populated = fresh_rows(_parsed(before))
    for label in ("core.auditevent", "core.user", "core.user_groups", "core.user_user_permissions",
                  "auth.group_permissions", "indicators.localfigure", "execution.activity",
                  "execution.statusupdate", "budget.allocation", "areas.area"):
        assert populated.get(label), label
    assert any(r["fields"]["result"] == "denied" for r in populated["core.auditevent"])
    assert populated["core.user"][0]["fields"]["password"].startswith("md5$")
    out = StringIO()
    call_command("restore", str(path), stdout=out)
    assert str(path) in out.getvalue()
    assert dump_database() == before
    # Idempotent-safe: a second restore into the now filled database is refused and changes nothing.
    with pytest.raises(CommandError, match=r"core\.auditevent \("):
        call_command("restore", str(path), stdout=StringIO())
    assert dump_database() == before


def test_restore_into_a_fresh_database_in_another_process(tmp_path, shared_data):
    populate(shared_data)
    path = tmp_path / "ivp.json.gz"
    call_command("backup", "-o", str(path), stdout=StringIO())
    expected = _parsed(dump_database())
    with scratch_database(tmp_path) as scratch:
        scratch.ivp("migrate", "--skip-checks", "-v0")
        scratch.ivp("restore", "--skip-checks", str(path))
        assert scratch.dump(tmp_path) == expected
        again = scratch.ivp("restore", "--skip-checks", str(path), check=False)
        assert again.returncode != 0 and "core.auditevent (" in again.stderr
        # Sequences were reset (PostgreSQL): new rows get new ids.
        scratch.env["DJANGO_SUPERUSER_PASSWORD"] = "another-test-password-1!"
        scratch.ivp("createsuperuser", "--skip-checks", "--noinput", "--username", "nieuw",
                    "--email", "nieuw@example.org")
        after = scratch.dump(tmp_path)
        assert len(after["core.user"]) == len(expected["core.user"]) + 1


def _rewrite(path, change):
    document = json.loads(gzip.open(path).read())
    change(document)
    with gzip.open(path, "wb") as fh:
        fh.write(json.dumps(document).encode())


def _edit_a_row(document):
    document["data"]["plans.plan"][0]["fields"]["title"] = "Vervalst"


def _wrong_version(document):
    document["manifest"]["format_version"] = 99


def _other_migrations(document):
    document["manifest"]["migrations"]["core"].pop()


def _unknown_model(document):
    document["data"]["nope.thing"] = []
    document["manifest"]["models"]["nope.thing"] = {"rows": 0, "sha256": backup_module._sha256("[]")}


def _bad_row(document):
    rows = document["data"]["plans.plan"]
    rows[0]["fields"]["version"] = "een"
    document["manifest"]["models"]["plans.plan"]["sha256"] = backup_module._sha256(backup_module.canonical_json(rows))


@pytest.mark.parametrize("damage, message", [
    (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "gzip"),
    (lambda p: p.write_bytes(p.read_bytes()[:-9]), "gzip"),
    (lambda p: p.write_bytes(p.read_bytes()[:200] + bytes([p.read_bytes()[200] ^ 0xFF]) + p.read_bytes()[201:]), None),
    (lambda p: p.write_bytes(b""), None),
    (lambda p: p.write_bytes(b"not a backup"), "gzip"),
    (lambda p: _rewrite(p, _edit_a_row), "checksum"),
    (lambda p: _rewrite(p, _wrong_version), "version"),
    (lambda p: _rewrite(p, _unknown_model), "nope.thing"),
    (lambda p: _rewrite(p, _bad_row), "plans.plan"),
    (lambda p: _rewrite(p, _other_migrations), "migrations"),
])
def test_a_damaged_or_foreign_backup_is_refused_and_nothing_is_written(backup_file, damage, message):
    path, _before = backup_file
    damage(path)
    empty = dump_database()
    with pytest.raises(BackupError, match=message):
        backup_restore(path)
    assert dump_database() == empty
    with pytest.raises(CommandError):
        call_command("restore", "--check", str(path), stdout=StringIO()) if message != "migrations" else \
            call_command("restore", str(path), stdout=StringIO())
    assert dump_database() == empty


def test_check_reads_a_good_file_without_writing(backup_file):
    path, before = backup_file
    backup = backup_read(path)
    assert backup.rows == sum(len(json.loads(t)) for t in before.values())
    out = StringIO()
    call_command("restore", "--check", str(path), stdout=out)
    assert fresh_rows(_parsed(dump_database())) == {}


def test_the_backup_file_is_replaced_atomically(tmp_path, monkeypatch, plan):
    path = tmp_path / "ivp.json.gz"
    path.write_bytes(b"the previous backup")

    def broken(using):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(backup_module, "_fsync_dir", broken)
    monkeypatch.setattr(backup_module.os, "replace", lambda a, b: broken(None))
    with pytest.raises(CommandError, match="disk full"):
        call_command("backup", "-o", str(path), stdout=StringIO())
    assert path.read_bytes() == b"the previous backup"
    assert [p.name for p in tmp_path.iterdir()] == ["ivp.json.gz"]  # no temporary file left behind
