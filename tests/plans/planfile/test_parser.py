"""The plan file parser: the real Meierij file is valid; broken files name file, line and field."""

import pytest
import yaml

from ivp.plans.planfile import PlanFileError, dump_json, dump_yaml, parse_plan_file, parse_plan_text

from ...conftest import PLAN_FILE


def _issues(text):
    with pytest.raises(PlanFileError) as info:
        parse_plan_text(text, name="broken.yaml")
    return info.value.issues


def _replace(old, new, count=1):
    text = PLAN_FILE.read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, count)


def _line_of(text, fragment):
    return text[: text.index(fragment)].count("\n") + 1


def test_meierij_plan_structure():
    doc = parse_plan_file(PLAN_FILE)
    assert [t["title"] for t in doc["themes"]] == [
        "Zorg en Veiligheid",
        "Digitale veiligheid",
        "Polarisatie en voorkomen maatschappelijke onrust",
        "Ondermijning en georganiseerde criminaliteit",
    ]
    assert [t["short_title"] for t in doc["themes"]][2] == "Polarisatie en maatschappelijke onrust"
    assert [s["number"] for s in doc["themes"][0]["sub_themes"]] == ["1.1", "1.2"]
    assert [f["name"] for f in doc["focus_lenses"]] == ["Weerbaarheid", "Jeugd", "Kwetsbare(n)"]
    assert len(doc["general_goals"]) == 6
    assert len(doc["principles"]) == 6
    assert {m["code"]: m["name"] for m in doc["municipalities"]} == {
        "GM0757": "Boxtel", "GM0797": "Heusden", "GM1948": "Meierijstad",
        "GM0845": "Sint-Michielsgestel", "GM0865": "Vught",
    }
    # The seed has no local priorities and no adoption decisions: none may be invented.
    assert all(m["local_priorities"] == [] for m in doc["municipalities"])
    assert all(m["adoption"]["date"] is None for m in doc["municipalities"])


def test_yaml_and_json_dumps_parse_back_equal():
    doc = parse_plan_file(PLAN_FILE)
    assert parse_plan_text(dump_yaml(doc)) == doc
    assert yaml.safe_load(dump_json(doc)) == doc


def test_wrong_type_names_line_and_field():
    text = _replace("period_start: 2023", "period_start: twintig")
    [issue] = _issues(text)
    assert issue.field == "plan.period_start"
    assert issue.line == _line_of(text, "period_start: twintig")
    assert issue.file == "broken.yaml"
    assert f"broken.yaml:{issue.line}" in str(issue)


def test_unknown_and_missing_fields():
    text = _replace("  period_end: 2026\n", "  period_ending: 2026\n")
    issues = {i.field: i for i in _issues(text)}
    assert issues["plan.period_ending"].line == _line_of(text, "period_ending")
    assert "plan.period_end" in issues


def test_invalid_choice_and_code():
    text = _replace("status: ter_consultatie", "status: klaar")
    text = text.replace("code: GM0865", "code: GM865")
    issues = {i.field: i for i in _issues(text)}
    assert "plan.status" in issues
    assert "municipalities[4].code" in issues
    assert issues["municipalities[4].code"].line == _line_of(text, "code: GM865")


def test_duplicate_key_is_an_error():
    text = _replace("  period_end: 2026\n", "  period_end: 2026\n  period_end: 2027\n")
    [issue] = _issues(text)
    assert issue.field == "plan.period_end"
    assert issue.line == _line_of(text, "period_end: 2027")


def test_duplicate_codes_across_items():
    text = _replace("code: GM0797", "code: GM0757")
    [issue] = _issues(text)
    assert issue.field == "municipalities[1].code"


def test_broken_yaml_names_line():
    text = _replace("  period_end: 2026\n", "  period_end: [2026\n")
    [issue] = _issues(text)
    assert issue.line is not None and issue.line >= _line_of(text, "period_end: [2026")


def test_adopted_needs_a_date():
    text = _replace("status: in_behandeling", "status: vastgesteld")
    [issue] = _issues(text)
    assert issue.field == "municipalities[0].adoption.date"


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    latin1 = PLAN_FILE.read_text(encoding="utf-8").encode("latin-1", errors="replace")
    path.write_bytes(latin1.replace(b"plan:", b"plan:\xe9", 1))
    with pytest.raises(PlanFileError) as info:
        parse_plan_file(path)
    assert info.value.issues[0].line is not None


def test_empty_and_missing_file(tmp_path):
    assert _issues("")[0].line == 1
    with pytest.raises(PlanFileError):
        parse_plan_file(tmp_path / "nope.yaml")
