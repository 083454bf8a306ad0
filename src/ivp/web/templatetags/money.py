"""Money and counts in Dutch notation: {{ cents|euro }} -> € 1.234,56, {{ n|number }} -> 32.356."""

from django import template

from ivp.money import format_euro, format_number

register = template.Library()


@register.filter
def euro(cents) -> str:
    return "" if cents is None or cents == "" else format_euro(cents)


@register.filter
def number(value) -> str:
    return "" if value is None or value == "" else format_number(value)
