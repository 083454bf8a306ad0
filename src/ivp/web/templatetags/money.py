"""Money and counts in Dutch notation (ivp.notation): {{ cents|euro }} -> € 1.234,56, {{ n|number }} -> 32.356."""

from django import template

from ivp import notation

register = template.Library()


@register.filter
def euro(cents) -> str:
    return "" if cents is None or cents == "" else notation.euro(cents)


@register.filter
def number(value) -> str:
    return "" if value is None or value == "" else notation.integer(value)


@register.filter
def decimal1(value) -> str:
    """A rate in Dutch notation with one decimal (30,5); '-' for none (ivp.notation)."""
    return notation.decimal(value, 1)
