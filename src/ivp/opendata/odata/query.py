"""URLs and ``$filter`` expressions for the CBS OData v3 service.

URL shape (CBS "Handleiding CBS Open Data Services", cbsodata/cbsodataR clients)::

    {base}/{table}/{entity}?$format=json&$filter=...&$select=...&$top=...&$skip=...

with ``base`` e.g. ``https://opendata.cbs.nl/ODataApi/OData`` and ``entity`` one of ``TableInfos``,
``DataProperties``, ``CategoryGroups``, ``TypedDataSet``, ``UntypedDataSet`` or a dimension name (``Perioden``,
``RegioS``, ``WijkenEnBuurten``, ``SoortMisdrijf`` ...).

Filter syntax is OData **v3**: ``startswith(Field,'prefix')``, ``substringof('JJ',Perioden)``, ``Field eq 'x'``,
``substring(Field,2,4) eq '0363'``. String literals are single-quoted with ``'`` doubled.

Padding matters for exact matches: the service stores keys padded (``'0.0.0 '``), and the table's own
``DefaultSelection`` (TableInfos of 47018NED) filters with the padded key: ``SoortMisdrijf eq '0.0.0 '``. Use the
raw key of a code-list item (:attr:`DimensionItem.raw_key`) with :func:`eq`, or :func:`startswith` for prefixes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

# Characters left readable in query values. All are legal in a URI query (RFC 3986 sub-delims); everything else,
# notably space, '&', '=', '+', '#', '%' and non-ASCII, is percent-encoded. Spaces become %20, never '+'.
_SAFE_VALUE_CHARS = "(),'$"
_FIELD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TABLE_RE = re.compile(r"^[A-Za-z0-9]+$")


def _check_field(name: str) -> str:
    if not isinstance(name, str) or not _FIELD_RE.match(name):
        raise ValueError(f"not a valid OData property name: {name!r}")
    return name


def _encode_pairs(pairs: Iterable[tuple[str, str]]) -> str:
    return "&".join(f"{quote(k, safe='$')}={quote(v, safe=_SAFE_VALUE_CHARS)}" for k, v in pairs)


def build_url(
    base_url: str,
    table: str,
    entity: str = "",
    *,
    filter: str | None = None,  # named after the OData option, shadowing the builtin on purpose
    select: Sequence[str] | str | None = None,
    top: int | None = None,
    skip: int | None = None,
    format: str | None = "json",  # idem
) -> str:
    """Build a request URL. Query options appear in the order $format, $filter, $select, $top, $skip.

    >>> build_url("https://dataderden.cbs.nl/ODataApi/OData", "47018NED", "TypedDataSet",
    ...           filter="startswith(WijkenEnBuurten,'BU0865')", select=["WijkenEnBuurten", "Perioden"])
    "https://dataderden.cbs.nl/ODataApi/OData/47018NED/TypedDataSet?$format=json&$filter=startswith(WijkenEnBuurten,'BU0865')&$select=WijkenEnBuurten,Perioden"
    """
    if not isinstance(table, str) or not _TABLE_RE.match(table):
        raise ValueError(f"not a valid table identifier: {table!r}")
    if entity and not _FIELD_RE.match(entity):
        raise ValueError(f"not a valid entity name: {entity!r}")
    url = base_url.rstrip("/") + "/" + table
    if entity:
        url += "/" + entity
    pairs: list[tuple[str, str]] = []
    if format:
        pairs.append(("$format", format))
    if filter:
        pairs.append(("$filter", filter))
    if select:
        fields = [select] if isinstance(select, str) else list(select)
        pairs.append(("$select", ",".join(_check_field(f.strip()) for f in fields)))
    if top is not None:
        if top < 1:
            raise ValueError(f"$top must be positive, got {top}")
        pairs.append(("$top", str(int(top))))
    if skip is not None:
        if skip < 0:
            raise ValueError(f"$skip must not be negative, got {skip}")
        pairs.append(("$skip", str(int(skip))))
    return url + ("?" + _encode_pairs(pairs) if pairs else "")


def with_query_option(url: str, name: str, value: str) -> str:
    """``url`` with query option ``name`` set to ``value`` (replacing an existing one), other options kept."""
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    pairs.append((name, value))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, _encode_pairs(pairs), parts.fragment))


def query_options(url: str) -> dict[str, str]:
    """The decoded query options of ``url`` (last one wins)."""
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def canonical_url(url: str) -> str:
    """A normal form for comparing URLs: lower-case scheme and host, query options decoded, sorted, re-encoded.

    ``%24filter`` / ``$filter``, ``+`` / ``%20`` and option order therefore do not matter.
    """
    parts = urlsplit(url.strip())
    pairs = sorted(parse_qsl(parts.query, keep_blank_values=True))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, _encode_pairs(pairs), ""))


# --------------------------------------------------------------------------------------------------------------
# $filter helpers (OData v3)


def literal(value: str) -> str:
    """An OData string literal: single quotes, embedded quotes doubled. The value is used as given (no strip)."""
    if not isinstance(value, str):
        raise TypeError(f"filter values must be strings, got {type(value).__name__}")
    return "'" + value.replace("'", "''") + "'"


def eq(field: str, value: str) -> str:
    """``Field eq 'value'``. For keys of code lists pass the raw, padded key (see module docstring)."""
    return f"{_check_field(field)} eq {literal(value)}"


def startswith(field: str, prefix: str) -> str:
    """``startswith(Field,'prefix')`` - the OData v3 argument order (string first)."""
    return f"startswith({_check_field(field)},{literal(prefix)})"


def substringof(needle: str, field: str) -> str:
    """``substringof('needle',Field)`` - OData v3 (v4 calls it ``contains``)."""
    return f"substringof({literal(needle)},{_check_field(field)})"


def period_from(field: str, year: int, month: int | None = None) -> str:
    """``Perioden ge '2024MM07'`` (``month``) or ``Perioden ge '2024JJ00'`` (no month): the periods from there on.

    The service compares period keys as strings. Keys are ``yyyy`` + ``JJ``/``KW``/``MM`` + ``nn`` and within a year
    ``JJ`` < ``KW`` < ``MM``, so ``ge '2024JJ00'`` is the whole of 2024 (year, quarters, months) and later, while
    ``ge '2024MM07'`` is July 2024 onwards *without* the year code ``2024JJ00`` and 2024's quarters (but with
    ``2025JJ00``, which sorts after ``2024MM12``). Callers that need a year's own figure ask from its ``JJ00``.
    """
    if not isinstance(year, int) or not 1000 <= year <= 9999:
        raise ValueError(f"not a four-digit year: {year!r}")
    if month is not None and (not isinstance(month, int) or not 1 <= month <= 12):
        raise ValueError(f"not a month 1-12: {month!r}")
    key = f"{year}JJ00" if month is None else f"{year}MM{month:02d}"
    return f"{_check_field(field)} ge {literal(key)}"


def any_of(field: str, values: Iterable[str]) -> str:
    """``(Field eq 'a' or Field eq 'b')``."""
    clauses = [eq(field, v) for v in values]
    if not clauses:
        raise ValueError("any_of needs at least one value")
    return "(" + " or ".join(clauses) + ")"


def any_prefix(field: str, prefixes: Iterable[str]) -> str:
    """``(startswith(Field,'a') or startswith(Field,'b'))``."""
    clauses = [startswith(field, p) for p in prefixes]
    if not clauses:
        raise ValueError("any_prefix needs at least one prefix")
    return "(" + " or ".join(clauses) + ")"


def and_(*clauses: str | None) -> str | None:
    """Join non-empty clauses with ``and``, each parenthesised; ``None`` if there are none."""
    parts = [c for c in clauses if c]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return " and ".join(f"({c})" for c in parts)
