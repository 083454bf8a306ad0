"""People in templates: {{ user|person }} (full name and function, never the user name; ivp.core.people). The
history pages name who did what with the audit tags ({{ event|audit_actor }}, ivp.web.templatetags.audit)."""

from django import template

from ivp.core.people import person_label

register = template.Library()


@register.filter
def person(user) -> str:
    return person_label(user) or "-"
