"""The pure plan comparison (no database)."""

from ivp.reports.plan_diff import ADDED, CHANGED, REMOVED, diff_plans


def _doc(**theme):
    base = {"code": "youth", "number": "1", "title": "Jeugd", "short_title": "Jeugd", "introduction": "",
            "why_priority": [], "ambitions": ["A", "B"], "planned_actions": ["X"], "sub_themes": []}
    base.update(theme)
    return {"plan": {"title": "IVP"}, "principles": [], "general_goals": [{"number": 1, "code": "g", "title": "G"}],
            "focus_lenses": [], "themes": [base], "municipalities": []}


def test_same_document_has_no_changes():
    assert diff_plans(_doc(), _doc()) == []


def test_changed_added_and_removed_statements():
    changes = diff_plans(_doc(), _doc(ambitions=["A", "B2", "C"], planned_actions=[]))
    assert [(c.part, c.action, c.old, c.new) for c in changes] == [
        ("ambition", CHANGED, "B", "B2"), ("ambition", ADDED, "", "C"), ("planned_action", REMOVED, "X", "")]


def test_themes_goals_and_priorities():
    new = _doc(title="Jeugd en gezin")
    new["themes"].append({"code": "cyber", "number": "5", "title": "Cyber", "ambitions": ["Z"], "sub_themes": []})
    new["general_goals"] = []
    changes = diff_plans(_doc(), new, old_priorities=[{"title": "P", "description": "d"}],
                         new_priorities=[{"title": "P", "description": "e"}, {"title": "Q"}])
    summary = {(c.part, c.action) for c in changes}
    assert {("theme", CHANGED), ("theme", ADDED), ("ambition", ADDED), ("general_goal", REMOVED),
            ("local_priority", CHANGED), ("local_priority", ADDED)} <= summary
