"""The difference between two versions of a plan, for the proposed re-prioritisation in the midterm
evaluation. Pure Python (no Django): the input is two canonical plan documents as produced by
`ivp.plans.export.plan_document`, and optionally the area's local priorities of each version.

What is compared (see docs/adr/0005-council-reports.md):
- themes and sub-themes, matched by `code`: added, removed, title/short title/introduction changed;
- per theme the lists "why a priority", "ambitions" and "planned actions": a list is compared in
  order (difflib); a replaced item is "changed" (old -> new), extra items are added or removed;
- general goals and focus lenses, matched by `code`; principles matched by `number`;
- local priorities matched by title (description or domain changed -> "changed").
Labels are codes here (`part`, `action`); the caller translates them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

# Parts, in the order a reader meets them in the plan.
PARTS = ("plan", "principle", "general_goal", "focus_lens", "theme", "sub_theme", "why_priority", "ambition",
         "planned_action", "local_priority")
STATEMENT_LISTS = (("why_priority", "why_priority"), ("ambitions", "ambition"), ("planned_actions", "planned_action"))
THEME_FIELDS = ("title", "short_title", "introduction")


@dataclass(frozen=True)
class Change:
    part: str  # one of PARTS
    action: str  # added | removed | changed
    where: str  # the theme ("3.1 Ondermijning") or the item's own label
    old: str = ""
    new: str = ""
    field: str = ""  # for a changed theme/plan field: which one


def _by(items: Iterable[dict], key: str) -> dict:
    return {item[key]: item for item in items}


def _list_changes(part: str, where: str, old: Sequence[str], new: Sequence[str]) -> list[Change]:
    """Ordered comparison of two lists of texts: equal runs are skipped, replaced runs are paired."""
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = list(old[i1:i2]), list(new[j1:j2])
        paired = min(len(olds), len(news)) if tag == "replace" else 0
        for a, b in zip(olds[:paired], news[:paired], strict=True):
            changes.append(Change(part, CHANGED, where, a, b))
        changes += [Change(part, REMOVED, where, old=a) for a in olds[paired:]]
        changes += [Change(part, ADDED, where, new=b) for b in news[paired:]]
    return changes


def _theme_label(theme: dict) -> str:
    return f"{theme.get('number', '')} {theme.get('title', '')}".strip()


def _flat_themes(doc: dict) -> list[tuple[dict, bool]]:
    result = []
    for theme in doc.get("themes", []):
        result.append((theme, False))
        result += [(sub, True) for sub in theme.get("sub_themes", [])]
    return result


def _theme_changes(old_doc: dict, new_doc: dict) -> list[Change]:
    changes: list[Change] = []
    old_themes = {t["code"]: (t, sub) for t, sub in _flat_themes(old_doc)}
    new_themes = {t["code"]: (t, sub) for t, sub in _flat_themes(new_doc)}
    for code, (theme, sub) in new_themes.items():
        part = "sub_theme" if sub else "theme"
        where = _theme_label(theme)
        if code not in old_themes:
            changes.append(Change(part, ADDED, where, new=theme.get("title", "")))
            for key, statement_part in STATEMENT_LISTS:
                changes += _list_changes(statement_part, where, [], theme.get(key, []))
            continue
        before = old_themes[code][0]
        for name in THEME_FIELDS:
            if (before.get(name) or "") != (theme.get(name) or ""):
                changes.append(Change(part, CHANGED, where, before.get(name) or "", theme.get(name) or "", field=name))
        for key, statement_part in STATEMENT_LISTS:
            changes += _list_changes(statement_part, where, before.get(key, []), theme.get(key, []))
    for code, (theme, sub) in old_themes.items():
        if code not in new_themes:
            changes.append(Change("sub_theme" if sub else "theme", REMOVED, _theme_label(theme),
                                  old=theme.get("title", "")))
    return changes


def _keyed_changes(part: str, old: list[dict], new: list[dict], key: str, text_fields: Sequence[str],
                   label_field: str) -> list[Change]:
    changes: list[Change] = []
    before, after = _by(old, key), _by(new, key)
    for k, item in after.items():
        label = str(item.get(label_field, k))
        if k not in before:
            changes.append(Change(part, ADDED, label, new=_text(item, text_fields)))
        elif _text(before[k], text_fields) != _text(item, text_fields):
            changes.append(Change(part, CHANGED, label, _text(before[k], text_fields), _text(item, text_fields)))
    for k, item in before.items():
        if k not in after:
            changes.append(Change(part, REMOVED, str(item.get(label_field, k)), old=_text(item, text_fields)))
    return changes


def _text(item: dict, fields: Sequence[str]) -> str:
    return " - ".join(str(item.get(f) or "") for f in fields if item.get(f))


def priorities_of(doc: dict, municipality_code: str | None) -> list[dict]:
    """The local priorities of one municipality (all, prefixed with the municipality, when None)."""
    result = []
    for municipality in doc.get("municipalities", []):
        if municipality_code is None:
            result += [{**p, "title": f"{municipality['name']}: {p['title']}"}
                       for p in municipality.get("local_priorities", [])]
        elif municipality.get("code") == municipality_code:
            result += list(municipality.get("local_priorities", []))
    return result


def diff_plans(old: dict, new: dict, *, old_priorities: list[dict] | None = None,
               new_priorities: list[dict] | None = None, municipality_code: str | None = None) -> list[Change]:
    """Everything that differs between plan documents `old` (adopted) and `new` (proposed).

    Local priorities come from `old_priorities`/`new_priorities` ({"title", "domain", "description"})
    when given, else from the documents (of `municipality_code`, or of all municipalities when None).
    """
    changes: list[Change] = []
    old_plan, new_plan = old.get("plan", {}), new.get("plan", {})
    for name in ("title", "summary"):
        if (old_plan.get(name) or "") != (new_plan.get(name) or ""):
            changes.append(Change("plan", CHANGED, name, old_plan.get(name) or "", new_plan.get(name) or "",
                                  field=name))
    changes += _keyed_changes("principle", old.get("principles", []), new.get("principles", []), "number",
                              ("title", "description"), "number")
    changes += _keyed_changes("general_goal", old.get("general_goals", []), new.get("general_goals", []), "code",
                              ("title",), "number")
    changes += _keyed_changes("focus_lens", old.get("focus_lenses", []), new.get("focus_lenses", []), "code",
                              ("name", "description"), "name")
    changes += _theme_changes(old, new)
    if old_priorities is None:
        old_priorities = priorities_of(old, municipality_code)
    if new_priorities is None:
        new_priorities = priorities_of(new, municipality_code)
    changes += _keyed_changes("local_priority", old_priorities, new_priorities, "title",
                              ("domain", "description"), "title")
    order = {part: i for i, part in enumerate(PARTS)}
    # Stable: within a part, the plan's own order is kept.
    return sorted(changes, key=lambda c: order.get(c.part, len(PARTS)))
