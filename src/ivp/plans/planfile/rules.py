"""Checks across fields that the schema alone cannot express (unique codes, consistent periods)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _


def _unique(items: list[dict], key: str, list_path: str, add: Callable) -> None:
    seen: dict = {}
    for i, item in enumerate(items):
        value = item.get(key)
        if value in seen:
            add(f"{list_path}[{i}].{key}", _("%(value)r already occurs at %(other)s")
                % {"value": value, "other": f"{list_path}[{seen[value]}]"})
        else:
            seen[value] = i


def check_rules(doc: dict, lines: dict[str, int], add: Callable) -> None:
    plan = doc["plan"]
    if plan["period_end"] < plan["period_start"]:
        add("plan.period_end", _("the end of the period is before its start"))
    _unique(doc["municipalities"], "code", "municipalities", add)
    _unique(doc["partners"], "code", "partners", add)
    _unique(doc["principles"], "number", "principles", add)
    _unique(doc["general_goals"], "code", "general_goals", add)
    _unique(doc["general_goals"], "number", "general_goals", add)
    _unique(doc["focus_lenses"], "code", "focus_lenses", add)
    _unique(doc["focus_lenses"], "number", "focus_lenses", add)
    theme_codes: dict[str, str] = {}
    for i, theme in enumerate(doc["themes"]):
        entries = [(f"themes[{i}]", theme)] + [
            (f"themes[{i}].sub_themes[{j}]", sub) for j, sub in enumerate(theme["sub_themes"])
        ]
        for path, item in entries:
            if item["code"] in theme_codes:
                add(f"{path}.code", _("theme code %(code)r already occurs at %(other)s")
                    % {"code": item["code"], "other": theme_codes[item["code"]]})
            theme_codes.setdefault(item["code"], path)
        for j, sub in enumerate(theme["sub_themes"]):
            if not sub["number"].startswith(theme["number"] + "."):
                add(f"themes[{i}].sub_themes[{j}].number",
                    _("sub-theme %(sub)s does not belong to theme %(theme)s")
                    % {"sub": sub["number"], "theme": theme["number"]})
    for i, municipality in enumerate(doc["municipalities"]):
        adoption = municipality["adoption"]
        if adoption["status"] == "vastgesteld" and not adoption["date"]:
            add(f"municipalities[{i}].adoption.date", _("an adopted plan has a date of the council decision"))
