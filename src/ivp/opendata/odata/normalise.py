"""Normalisation of values as the CBS / Politie OData v3 service returns them.

- Keys of code lists and dimension values in data rows are padded with trailing spaces to a fixed width
  ("GM0757    ", "1.1.1 "), and so are some string topics (``Naam_2`` in 84489NED is padded to 35 characters).
  :func:`strip_code` / :func:`strip_row` remove that padding.
- ``Perioden`` codes are ``yyyyXXnn``: ``2023JJ00`` (year), ``2023KW01`` (quarter), ``2023MM01`` (month).
  :func:`parse_period` turns them into a :class:`Period`.
- Region codes (``WijkenEnBuurten``, ``RegioS``) start with a two-letter prefix; :func:`parse_area` maps them to
  an :class:`Area` ``(level, code)``.
- Missing figures are ``null`` in a TypedDataSet and a symbol such as ``"."`` in untyped output. They become
  ``None``, never 0: :func:`parse_number`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

# --------------------------------------------------------------------------------------------------------------
# Padding


def strip_code(value: Any) -> Any:
    """Strip the padding of a key / string value; other types (numbers, None) pass unchanged."""
    if isinstance(value, str):
        return value.strip()
    return value


def strip_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``row`` with every string value stripped of padding."""
    return {key: strip_code(value) for key, value in row.items()}


# --------------------------------------------------------------------------------------------------------------
# Periods

YEAR = "year"
QUARTER = "quarter"
MONTH = "month"

_PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?P<kind>[A-Z]{2})(?P<number>\d{2})$")


@dataclass(frozen=True)
class Period:
    """One CBS period: a calendar year, a quarter or a month."""

    year: int
    month: int | None = None
    quarter: int | None = None
    kind: str = YEAR

    def __post_init__(self) -> None:
        if not 1000 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if self.kind == YEAR:
            ok = self.month is None and self.quarter is None
        elif self.kind == MONTH:
            ok = self.quarter is None and self.month is not None and 1 <= self.month <= 12
        elif self.kind == QUARTER:
            ok = self.month is None and self.quarter is not None and 1 <= self.quarter <= 4
        else:
            raise ValueError(f"unknown period kind {self.kind!r}")
        if not ok:
            raise ValueError(f"inconsistent period: year={self.year} month={self.month} quarter={self.quarter} "
                             f"kind={self.kind}")

    @classmethod
    def for_year(cls, year: int) -> Period:
        return cls(year)

    @classmethod
    def for_month(cls, year: int, month: int) -> Period:
        return cls(year, month=month, kind=MONTH)

    @classmethod
    def for_quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, quarter=quarter, kind=QUARTER)

    @property
    def label(self) -> str:
        """``"2023"``, ``"2023-01"`` or ``"2023-Q1"``."""
        if self.kind == MONTH:
            return f"{self.year}-{self.month:02d}"
        if self.kind == QUARTER:
            return f"{self.year}-Q{self.quarter}"
        return str(self.year)

    @property
    def code(self) -> str:
        """The CBS code again: ``"2023JJ00"``, ``"2023MM01"``, ``"2023KW01"``."""
        if self.kind == MONTH:
            return f"{self.year}MM{self.month:02d}"
        if self.kind == QUARTER:
            return f"{self.year}KW{self.quarter:02d}"
        return f"{self.year}JJ00"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Chronological by start, a year before its quarters, a quarter before its months."""
        if self.kind == MONTH:
            return (self.year, self.month or 0, 2)
        if self.kind == QUARTER:
            return (self.year, ((self.quarter or 1) - 1) * 3 + 1, 1)
        return (self.year, 1, 0)

    def __str__(self) -> str:
        return self.label


def parse_period(code: str) -> Period:
    """Parse a ``Perioden`` key (padding allowed). Raises ``ValueError`` for unknown or malformed codes.

    Only year (``JJ00``), quarter (``KW01``..``KW04``) and month (``MM01``..``MM12``) codes are supported; other
    CBS period kinds (half years, peildata ``X0``, multi-year ``G``) are rejected rather than guessed.
    """
    if not isinstance(code, str):
        raise ValueError(f"period code must be a string, got {type(code).__name__}: {code!r}")
    text = code.strip()
    match = _PERIOD_RE.match(text)
    if not match:
        raise ValueError(f"malformed period code {code!r} (expected e.g. 2023JJ00, 2023KW01, 2023MM01)")
    year, kind, number = int(match["year"]), match["kind"], int(match["number"])
    if kind == "JJ" and number == 0:
        return Period.for_year(year)
    if kind == "MM" and 1 <= number <= 12:
        return Period.for_month(year, number)
    if kind == "KW" and 1 <= number <= 4:
        return Period.for_quarter(year, number)
    raise ValueError(f"unsupported period code {code!r}")


# --------------------------------------------------------------------------------------------------------------
# Areas

GEMEENTE = "gemeente"
WIJK = "wijk"
BUURT = "buurt"
LAND = "land"
OTHER = "other"
AREA_LEVELS = (LAND, GEMEENTE, WIJK, BUURT, OTHER)

_AREA_PREFIXES = {"GM": GEMEENTE, "WK": WIJK, "BU": BUURT, "NL": LAND}


class Area(NamedTuple):
    """A region key: ``level`` is one of :data:`AREA_LEVELS`, ``code`` the stripped key."""

    level: str
    code: str


def parse_area(code: str) -> Area:
    """Map a ``WijkenEnBuurten`` / ``RegioS`` key to ``(level, code)``.

    ``GM`` gemeente, ``WK`` wijk, ``BU`` buurt, ``NL`` land (``NL00`` in 47018NED, ``NL01`` in 47013NED). Every
    other prefix (``PV`` provincie, ``RE`` regionale eenheid, ``LD`` landsdeel, ``CR`` COROP, ...) is ``other``.
    Raises ``ValueError`` for a non-string or empty key.
    """
    if not isinstance(code, str):
        raise ValueError(f"area code must be a string, got {type(code).__name__}: {code!r}")
    text = code.strip()
    if not text:
        raise ValueError("empty area code")
    return Area(_AREA_PREFIXES.get(text[:2], OTHER), text)


def municipality_of(code: str) -> str | None:
    """The ``GM`` code a gemeente, wijk or buurt code belongs to (``BU07570000`` -> ``GM0757``); else None.

    Wijk and buurt codes embed the four-digit municipality number in characters 3-6; that is how CBS builds them.
    """
    area = parse_area(code)
    if area.level == GEMEENTE:
        return area.code
    if area.level in (WIJK, BUURT) and len(area.code) >= 6 and area.code[2:6].isdigit():
        return "GM" + area.code[2:6]
    return None


# --------------------------------------------------------------------------------------------------------------
# Values

#: Untyped / CSV renderings of "no figure": empty, "." (not available), "x" (secret), "?" (unreliable),
#: "-" (nil; StatLine prints it where a typed response has null). They all become None, never 0.
MISSING_SYMBOLS = frozenset({"", ".", "x", "X", "?", "-"})

INTEGER_DATATYPES = frozenset({"Long", "Integer", "Short", "Byte"})
FLOAT_DATATYPES = frozenset({"Double", "Float", "Decimal"})
NUMERIC_DATATYPES = INTEGER_DATATYPES | FLOAT_DATATYPES


def parse_number(raw: Any, datatype: str | None = None) -> int | float | None:
    """Turn a topic value into ``int``, ``float`` or ``None``.

    ``datatype`` is the ``Datatype`` of the topic in DataProperties; with an integer datatype a float value must be
    integral and is returned as ``int``, with a float datatype the result is a ``float``. Missing values (``None``,
    :data:`MISSING_SYMBOLS`) are ``None``. Anything else (bools, non-numeric text, NaN) raises ``ValueError``.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(f"boolean is not a number: {raw!r}")
    if isinstance(raw, str):
        text = raw.strip()
        if text in MISSING_SYMBOLS:
            return None
        try:
            number: int | float = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                raise ValueError(f"not a number: {raw!r}") from None
    elif isinstance(raw, int | float):
        number = raw
    else:
        raise ValueError(f"not a number: {type(raw).__name__} {raw!r}")
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError(f"not a finite number: {raw!r}")
    if datatype in INTEGER_DATATYPES:
        if isinstance(number, float):
            if not number.is_integer():
                raise ValueError(f"non-integral value {raw!r} for datatype {datatype}")
            number = int(number)
        return number
    if datatype in FLOAT_DATATYPES:
        return float(number)
    if datatype is not None:
        raise ValueError(f"datatype {datatype!r} is not numeric")
    return number
