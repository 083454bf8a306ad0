"""Money as integer cents: Dutch formatting (€ 1.234,56) and parsing of typed amounts. No floats, no Django.

One module for the whole project (budget, execution): amounts are never floats."""

from __future__ import annotations

import re

# Ten thousand million euros: far above any fund, far below a 64-bit integer.
MAX_CENTS = 10**12

_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")  # 1.234 or 1.234.567 (Dutch thousands separators)
_PLAIN = re.compile(r"^\d+$")


def format_number(value: int) -> str:
    """32356 -> '32.356' (Dutch thousands separator)."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def format_euro(cents: int) -> str:
    """123456 -> '€ 1.234,56'; -5 -> '€ -0,05'. Exact: integer arithmetic only."""
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"€ {sign}{format_number(euros)},{rest:02d}"


def format_euro_plain(cents: int) -> str:
    """123456 -> '1234,56': a number Dutch spreadsheets read (CSV exports)."""
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros},{rest:02d}"


def parse_euro(text: str) -> int:
    """A typed amount in euros to cents: '1.234,56', '1234,5', '€ 1.234', '12.50', '1234'.

    A comma is the decimal sign and dots group thousands; without a comma, a single dot followed by
    one or two digits is read as a decimal point ('12.50'). Raises ValueError for anything else,
    for negative amounts and for more than two decimals.
    """
    raw = (text or "").strip().replace("€", "").replace("\u00a0", "").replace(" ", "")
    if raw.startswith("-"):
        raise ValueError("negative")
    if raw.count(",") > 1:
        raise ValueError("format")
    if "," in raw:
        whole, fraction = raw.split(",")
        whole = whole or "0"
    elif re.fullmatch(r"\d+\.\d{1,2}", raw):
        whole, fraction = raw.split(".")
    else:
        whole, fraction = raw, ""
    if _GROUPED.fullmatch(whole):
        whole = whole.replace(".", "")
    if not _PLAIN.fullmatch(whole) or (fraction and not re.fullmatch(r"\d{1,2}", fraction)):
        raise ValueError("format")
    cents = int(whole) * 100 + int((fraction + "00")[:2])
    if cents > MAX_CENTS:
        raise ValueError("too large")
    return cents


def split_pro_rata(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split `total` cents over keys in proportion to integer weights; the parts add up to `total` exactly.

    Largest-remainder method: everyone gets floor(total * w / W); the cents left over go, one each, to
    the largest remainders (ties by key). All weights zero: nothing can be split, every part is 0.
    """
    weight_sum = sum(weights.values())
    if weight_sum <= 0 or total == 0:
        return {key: 0 for key in weights}
    sign = -1 if total < 0 else 1
    parts, remainders = {}, []
    for key, weight in weights.items():
        part, remainder = divmod(abs(total) * weight, weight_sum)
        parts[key] = part
        remainders.append((-remainder, key))
    left = abs(total) - sum(parts.values())
    for _remainder, key in sorted(remainders)[:left]:
        parts[key] += 1
    return {key: sign * part for key, part in parts.items()}


def format_euros(cents: int | None, *, symbol: bool = True) -> str:
    """For display and form fields: '€ 1.234,56', or '1.234,56' without the symbol; '-' for no amount."""
    if cents is None:
        return "-"
    if symbol:
        return format_euro(cents)
    sign = "-" if int(cents) < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{format_number(euros)},{rest:02d}"


def parse_euros(text: str) -> int:
    """Like parse_euro, for optional form fields: an empty field is 0 and an 'EUR' prefix is allowed."""
    value = (text or "").strip()
    if value.upper().startswith("EUR"):
        value = value[3:]
    return parse_euro(value) if value.strip() else 0
