"""Amounts in integer cents, shown and entered as euros in Dutch notation (EUR 1.234,56). No floats."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_DUTCH_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def format_euros(cents: int | None, *, symbol: bool = True) -> str:
    """12345678 -> '€ 123.456,78' (Dutch: dot for thousands, comma for decimals)."""
    if cents is None:
        return "-"
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    text = f"{euros:,}".replace(",", ".") + f",{rest:02d}"
    return f"{sign}€ {text}" if symbol else f"{sign}{text}"


def parse_euros(text: str) -> int:
    """An amount typed by a person ('1.234,56', '1234,5', '€ 1.250', '1234.56') in cents.

    A comma is the decimal separator (dots are then thousands separators); without a comma, dots in
    groups of three are thousands separators ('1.250' is 1250 euros) and otherwise a decimal point."""
    value = (text or "").strip().replace("€", "").replace("\u00a0", "").replace(" ", "")
    if value.lower().startswith("eur"):
        value = value[3:]
    if not value:
        return 0
    if "," in value:
        whole, _sep, fraction = value.rpartition(",")
        if "," in whole or (whole and "." in whole and not _DUTCH_THOUSANDS.match(whole)):
            raise ValueError(text)
        value = whole.replace(".", "") + "." + fraction
    elif _DUTCH_THOUSANDS.match(value):
        value = value.replace(".", "")
    if not re.fullmatch(r"\d*(\.\d{0,2})?", value) or value in ("", "."):
        raise ValueError(text)
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(text) from None
    return int(amount * 100)
