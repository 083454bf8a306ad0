"""Structural breaks: events that make figures before and after them incomparable, to annotate charts and tests.

A trend or a period comparison across a municipal merger or split compares different areas; across the COVID-19
measures it compares different circumstances (fewer burglaries with everyone at home, more online fraud). The
statistics themselves cannot see this, so callers ask ``breaks_affecting`` and show a warning next to the result.

Semantics of a break:

* ``end is None``: a step change at ``start`` (e.g. a boundary change). It affects a period that has data on both
  sides of it: ``period_start < start <= period_end``. A period entirely before or after is internally comparable.
* ``end`` set: an interval of disturbance (e.g. COVID-19 measures). It affects every period that overlaps
  ``[start, end]`` (both ends inclusive).
* ``area_code is None``: applies to all areas. A municipal code (GMxxxx) also applies to that municipality's wijken
  (WKxxxxyy) and buurten (BUxxxxyyzz): a boundary change of the municipality changes those too. CBS codes embed the
  municipality number in positions 3-6, which is what the match uses.

Descriptions are Dutch data texts (shown as-is), not UI strings.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

KINDS = frozenset({"boundary_change", "covid", "registration_change", "other"})


@dataclass(frozen=True)
class StructuralBreak:
    area_code: str | None
    start: date
    end: date | None
    kind: str
    description: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}, got {self.kind!r}")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end ({self.end}) lies before start ({self.start})")


def municipality_code(area_code: str) -> str | None:
    """'GM0865' for 'GM0865', 'WK086501' or 'BU08650101'; None for codes of another kind."""
    if area_code[:2] in ("GM", "WK", "BU") and len(area_code) >= 6 and area_code[2:6].isdigit():
        return "GM" + area_code[2:6]
    return None


def _applies_to(brk: StructuralBreak, area_code: str) -> bool:
    if brk.area_code is None or brk.area_code == area_code:
        return True
    return brk.area_code.startswith("GM") and municipality_code(area_code) == brk.area_code


def _touches(brk: StructuralBreak, period_start: date, period_end: date) -> bool:
    if brk.end is None:
        return period_start < brk.start <= period_end
    return brk.start <= period_end and period_start <= brk.end


def breaks_affecting(breaks: Iterable[StructuralBreak], area_code: str, period_start: date,
                     period_end: date) -> list[StructuralBreak]:
    """The breaks that affect figures for ``area_code`` over [period_start, period_end], ordered by start date."""
    if period_end < period_start:
        raise ValueError(f"period_end ({period_end}) lies before period_start ({period_start})")
    found = [b for b in breaks if _applies_to(b, area_code) and _touches(b, period_start, period_end)]
    return sorted(found, key=lambda b: b.start)


_HAAREN = (
    "Per 1 januari 2021 is de gemeente Haaren (GM0788) opgeheven en verdeeld: Esch naar Boxtel, Helvoirt naar Vught, "
    "Haaren naar Oisterwijk en Biezenmortel naar Tilburg."
)
_MEIERIJSTAD = (
    "Per 1 januari 2017 zijn de gemeenten Schijndel (GM0844), Sint-Oedenrode (GM0846) en Veghel (GM0860) samengevoegd "
    "tot de gemeente Meierijstad (GM1948)."
)
_SAME_AREA = " Cijfers van voor en na deze datum gaan niet over hetzelfde gebied."
_HAAREN_START = date(2021, 1, 1)
_MEIERIJSTAD_START = date(2017, 1, 1)

DEFAULT_BREAKS: tuple[StructuralBreak, ...] = (
    StructuralBreak("GM0788", _HAAREN_START, None, "boundary_change",
                    _HAAREN + " Haaren bestaat sindsdien niet meer als gemeente."),
    *(
        StructuralBreak(code, _HAAREN_START, None, "boundary_change", f"{_HAAREN} {gained}{_SAME_AREA}")
        for code, gained in (
            ("GM0865", "Vught kreeg Helvoirt erbij."),
            ("GM0757", "Boxtel kreeg Esch erbij."),
            ("GM0824", "Oisterwijk kreeg Haaren erbij."),
            ("GM0855", "Tilburg kreeg Biezenmortel erbij."),
        )
    ),
    StructuralBreak("GM1948", _MEIERIJSTAD_START, None, "boundary_change",
                    _MEIERIJSTAD + " Vóór 2017 bestond Meierijstad niet: cijfers voor eerdere jaren gaan over de drie "
                    "oude gemeenten (of zijn daaruit herberekend)."),
    *(
        StructuralBreak(code, _MEIERIJSTAD_START, None, "boundary_change",
                        _MEIERIJSTAD + f" {name} bestaat sindsdien niet meer als gemeente.")
        for code, name in (("GM0844", "Schijndel"), ("GM0846", "Sint-Oedenrode"), ("GM0860", "Veghel"))
    ),
    StructuralBreak(
        None, date(2020, 3, 15), date(2022, 2, 25), "covid",
        "COVID-19-maatregelen (van de sluiting van scholen en horeca op 15 maart 2020 tot het opheffen van de meeste "
        "maatregelen op 25 februari 2022, met lockdowns en een avondklok van 23 januari tot 28 april 2021) veranderden "
        "de gelegenheid voor criminaliteit en de aangifte en registratie ervan. Vergelijkingen met deze periode zijn "
        "vertekend.",
    ),
)
