"""Dutch notation for pages, reports and exports: 1.234 and 12,5 (thousands separator ".", decimal comma),
dates as 04-12-2026, amounts as € 1.234,56. One module, so that "1.062" and "1062" never appear side by side.

Money stays integer cents and has its own module (ivp.money: formatting, parsing, splitting); `euro` here
delegates to it so that callers find every notation in one place. No Django: the reports, the CLI and the pure
computation modules use it too.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ivp.money import format_euros, format_number

DASH = "-"

# Dates are Dutch civil dates: the platform's time zone (settings.TIME_ZONE; a test keeps the two equal).
TIME_ZONE = ZoneInfo("Europe/Amsterdam")


def integer(value: int | float | None) -> str:
    """32356 -> '32.356'; None -> '-'."""
    if value is None:
        return DASH
    return format_number(int(round(value)))


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


def euro(cents: int | None, *, symbol: bool = True) -> str:
    """123456 -> '€ 1.234,56' ('1.234,56' without the symbol); None -> '-'. See ivp.money."""
    return format_euros(cents, symbol=symbol)


def date(value: dt.date | dt.datetime | None) -> str:
    """4 December 2026 -> '04-12-2026', as in the reports; a moment in time is first put in Dutch time.
    None -> '' (where a missing date needs a dash, the caller says so)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = (value.astimezone(TIME_ZONE) if value.tzinfo is not None else value).date()
    return value.strftime("%d-%m-%Y")
