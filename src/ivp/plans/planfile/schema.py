"""The plan file's structure, declared once; the parser validates against it and the exporter
writes the same shape. Keys appear in the declared order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

FORMAT_VERSION = 1

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
CBS_MUNICIPALITY = re.compile(r"^GM\d{4}$")
THEME_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
YEAR_MONTH = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass(frozen=True)
class Str:
    required: bool = True  # False: may be empty ("")
    max_length: int | None = None
    pattern: re.Pattern | None = None
    pattern_hint: str = ""


@dataclass(frozen=True)
class Int:
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]


@dataclass(frozen=True)
class OptionalDate:
    """An ISO date (YYYY-MM-DD) or null."""


@dataclass(frozen=True)
class ListOf:
    item: object
    min_items: int = 0
    max_items: int | None = None


@dataclass(frozen=True)
class Map:
    fields: dict[str, object] = field(default_factory=dict)


TEXT = Str(required=False)
NAME = Str(max_length=200)
CODE = Str(max_length=60, pattern=SLUG, pattern_hint=_("lowercase letters, digits, - or _"))

ADOPTION = Map({
    "status": Choice(("in_behandeling", "vastgesteld", "verworpen")),
    "date": OptionalDate(),
    "decision_reference": Str(required=False, max_length=200),
})

LOCAL_PRIORITY = Map({
    "title": NAME,
    "domain": Choice(("sociaal", "fysiek")),
    "description": TEXT,
})

MUNICIPALITY = Map({
    "code": Str(pattern=CBS_MUNICIPALITY, pattern_hint=_("GM followed by 4 digits")),
    "name": NAME,
    "adoption": ADOPTION,
    "local_priorities": ListOf(LOCAL_PRIORITY),
})

PARTNER = Map({
    "code": CODE,
    "name": NAME,
    "kind": Choice(("police", "prosecutor", "riec", "care_safety_house", "health", "housing", "safety_region",
                    "environment", "welfare", "education", "other")),
})

PRINCIPLE = Map({"number": Int(minimum=1), "title": Str(max_length=300), "description": TEXT})
GOAL = Map({"number": Int(minimum=1), "code": CODE, "title": Str(max_length=300)})
LENS = Map({"number": Int(minimum=1), "code": CODE, "name": Str(max_length=100), "description": TEXT})


def _theme(depth: int) -> Map:
    return Map({
        "number": Str(max_length=10, pattern=THEME_NUMBER, pattern_hint=_("for example 1 or 1.2")),
        "code": CODE,
        "title": NAME,
        "short_title": Str(max_length=100),
        "introduction": TEXT,
        "why_priority": ListOf(Str()),
        "ambitions": ListOf(Str()),
        "planned_actions": ListOf(Str()),
        # Sub-themes go one level deep, as in the plan.
        "sub_themes": ListOf(_theme(depth + 1)) if depth == 0 else ListOf(Map({}), max_items=0),
    })


THEME = _theme(0)

PLAN = Map({
    "key": CODE,
    "title": NAME,
    "period_start": Int(minimum=2000, maximum=2100),
    "period_end": Int(minimum=2000, maximum=2100),
    "status": Choice(("concept", "ter_consultatie", "vastgesteld")),
    "document_date": Str(required=False, pattern=YEAR_MONTH, pattern_hint=_("YYYY, YYYY-MM or YYYY-MM-DD")),
    "summary": TEXT,
    "introduction": TEXT,
    "scope": TEXT,
    "trends": ListOf(Str()),
    "meaning_of_figures": TEXT,
    "cooperation_boa_police": TEXT,
    "finance": TEXT,
    "signatories": ListOf(Str()),
})

DOCUMENT = Map({
    "format_version": Int(minimum=FORMAT_VERSION, maximum=FORMAT_VERSION),
    "plan": PLAN,
    "base_team": Map({"code": CODE, "name": NAME}),
    "municipalities": ListOf(MUNICIPALITY, min_items=1),
    "partners": ListOf(PARTNER),
    "principles": ListOf(PRINCIPLE),
    "general_goals": ListOf(GOAL),
    "focus_lenses": ListOf(LENS, min_items=1),
    "themes": ListOf(THEME, min_items=1),
})
