"""People in templates: {{ user|person }} (full name and function, never the user name; ivp.core.people) and
{{ user|person_internal }} for the internal history pages (falls back to the user name)."""

from django import template

from ivp.core.people import internal_name, person_label

register = template.Library()


@register.filter
def person(user) -> str:
    return person_label(user) or "-"


@register.filter
def person_internal(user) -> str:
    return internal_name(user)
