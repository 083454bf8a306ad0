"""Dutch notation of numbers for pages, reports and exports: 1.234 and 12,5 (thousands separator ".", decimal
comma). One module, so that "1.062" and "1062" never appear side by side. Money has its own module (ivp.money,
integer cents); this one is for counts, rates and percentages. No Django."""

from __future__ import annotations

DASH = "-"


def integer(value: int | float | None) -> str:
    """32356 -> '32.356'; None -> '-'."""
    if value is None:
        return DASH
    number = int(round(value))
    sign = "-" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", ".")


def decimal(value: float | None, digits: int = 1) -> str:
    """1234.56 -> '1.234,6' (digits=1); None -> '-'."""
    if value is None:
        return DASH
    return f"{value:,.{digits}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(value: float | None, digits: int = 1, *, signed: bool = False) -> str:
    """12.34 -> '12,3%' (or '+12,3%' when signed); None -> '-'."""
    if value is None:
        return DASH
    text = decimal(value, digits) + "%"
    return ("+" + text) if signed and value > 0 else text
