"""The load_plan / export_plan commands, as a user runs them."""

import json
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from ivp.core.audit.models import AuditEvent
from ivp.plans.models import Plan, Theme

from ..conftest import PLAN_FILE

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_export_json_shape():
    _run("load_plan", str(PLAN_FILE))
    doc = json.loads(_run("export_plan", "--format", "json"))
    assert {"plan", "themes", "focus_lenses", "general_goals", "municipalities"} <= set(doc)
    assert len(doc["themes"]) == 4
    assert [len(t["sub_themes"]) for t in doc["themes"]] == [2, 0, 0, 0]
    assert len(doc["focus_lenses"]) == 3 and len(doc["general_goals"]) == 6
    assert sorted(m["code"] for m in doc["municipalities"]) == ["GM0757", "GM0797", "GM0845", "GM0865", "GM1948"]


def test_round_trip_yaml(tmp_path):
    _run("load_plan", str(PLAN_FILE))
    exported = tmp_path / "export.yaml"
    _run("export_plan", "--format", "yaml", "-o", str(exported))
    assert yaml.safe_load(exported.read_text()) == yaml.safe_load(PLAN_FILE.read_text())
    assert "ongewijzigd" in _run("load_plan", str(exported))
    assert Plan.objects.count() == 1


def test_broken_file_names_line_and_field_and_writes_nothing(tmp_path):
    text = PLAN_FILE.read_text(encoding="utf-8").replace("period_start: 2023", "period_start: 20x3")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    line = text[: text.index("period_start: 20x3")].count("\n") + 1
    with pytest.raises(CommandError) as info:
        call_command("load_plan", str(broken))
    message = str(info.value)
    assert f"broken.yaml:{line}" in message and "plan.period_start" in message
    assert "niets gewijzigd" in message
    assert Plan.objects.count() == 0 and Theme.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_export_without_plan_is_a_clear_error():
    with pytest.raises(CommandError, match="load_plan"):
        call_command("export_plan")
