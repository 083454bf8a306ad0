"""Checks shared by the services and the import: the personal-data check with Dutch messages, and the value checks
of the registers (choices, counts, areas of the municipality, periods).

Messages name the field and the kind of personal data, never the text found: they end up in the audit trail
(an error event keeps the refusal's message), which must not receive what it refused.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from ivp.areas.models import Area, AreaLevel

from . import pii

MAX_COUNT = 100_000  # a month's signals of one category in one municipality are tens, not hundreds of thousands
FIRST_YEAR, LAST_YEAR = 2015, 2100
GROUP_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")


def pii_label(kind: pii.Kind) -> str:
    return {
        pii.Kind.NAME: _("a name (with initials or a form of address)"),
        pii.Kind.BSN: _("a citizen service number (BSN)"),
        pii.Kind.PHONE: _("a phone number"),
        pii.Kind.EMAIL: _("an e-mail address"),
        pii.Kind.IBAN: _("a bank account number (IBAN)"),
        pii.Kind.PLATE: _("a licence plate"),
        pii.Kind.ADDRESS: _("a street address with a house number"),
        pii.Kind.BIRTH_DATE: _("a date of birth"),
    }[kind]


def text_problem(value: str, field_label: str) -> str:
    """Why this free text may not be stored ("" when it may): too long, or it looks like personal data."""
    if len(value) > pii.MAX_TEXT_LENGTH:
        return _("%(field)s is too long: at most %(max)d characters. Keep it short and factual.") % {
            "field": field_label, "max": pii.MAX_TEXT_LENGTH}
    if any(ord(c) < 32 and c not in "\t" or ord(c) == 127 for c in value):
        return _("%(field)s contains control characters.") % {"field": field_label}
    found = [pii_label(k) for k in pii.kinds(value)]
    if found:
        what = found[0] if len(found) == 1 else _("%(first)s and %(last)s") % {
            "first": ", ".join(found[:-1]), "last": found[-1]}
        return _("%(field)s seems to contain %(what)s. The information registers hold no personal data: describe "
                 "what happened and how often, never who, where exactly or how to reach someone.") % {
            "field": field_label, "what": what}
    return ""


def clean_text(value, field_label: str, errors: dict, field: str) -> str:
    text = " ".join((value or "").split())
    problem = text_problem(text, field_label)
    if problem:
        errors[field] = problem
    return text


def clean_choice(value, choices, errors: dict, field: str, label: str) -> str:
    value = (value or "").strip()
    if value not in choices.values:
        errors[field] = _("Choose a valid %(label)s.") % {"label": label}
    return value


def clean_count(value, errors: dict, field: str, label: str) -> int:
    if isinstance(value, str):
        value = value.strip()
        if not re.fullmatch(r"[0-9]{1,9}", value):
            errors[field] = _("%(label)s must be a whole number of 0 or more.") % {"label": label}
            return 0
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        errors[field] = _("%(label)s must be a whole number of 0 or more.") % {"label": label}
        return 0
    if value > MAX_COUNT:
        errors[field] = _("%(label)s is implausibly large (more than %(max)s).") % {"label": label, "max": MAX_COUNT}
    return value


def clean_area(area: Area | None, municipality, errors: dict, field: str = "area") -> Area | None:
    """A wijk or buurt of this municipality, or None for the municipality as a whole."""
    if area is None:
        return None
    municipal_area = getattr(municipality, "area", None)
    inside = area.parent_id is not None and (
        area.parent_id == getattr(municipal_area, "pk", None)
        or (area.parent is not None and area.parent.parent_id == getattr(municipal_area, "pk", None)))
    if area.level not in (AreaLevel.DISTRICT, AreaLevel.NEIGHBOURHOOD) or not inside:
        errors[field] = _("Choose a wijk or buurt of %(municipality)s.") % {"municipality": municipality}
    return area


def clean_date(value, errors: dict, field: str, label: str, *, today: dt.date | None = None) -> dt.date | None:
    if not isinstance(value, dt.date):
        errors[field] = _("Enter %(label)s.") % {"label": label}
        return None
    today = today or dt.date.today()
    if value.year < FIRST_YEAR or value > today + dt.timedelta(days=31):
        errors[field] = _("%(label)s lies outside %(first)s up to now.") % {"label": label, "first": FIRST_YEAR}
    return value


def clean_quarter(year, quarter, errors: dict) -> tuple[int, int]:
    try:
        year, quarter = int(year), int(quarter)
    except (TypeError, ValueError):
        errors["year"] = _("Enter a year and a quarter (1-4).")
        return 0, 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = _("Enter a year from %(first)s.") % {"first": FIRST_YEAR}
    if not 1 <= quarter <= 4:
        errors["quarter"] = _("The quarter is 1, 2, 3 or 4.")
    return year, quarter


def clean_group_code(value, errors: dict) -> str:
    code = (value or "").strip().upper()
    if not GROUP_CODE.match(code) or not any(c.isdigit() for c in code):
        errors["code"] = _("The group code is 2 to 20 capital letters, digits and dashes with at least one digit "
                           "(for example VU-2024-01); never a name or nickname.")
    return code
