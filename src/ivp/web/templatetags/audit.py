from django import template

from ivp.core.audit.labels import action_label, change_value, field_label
from ivp.core.people import change_person_label, event_actor_label, event_object_label

register = template.Library()


@register.filter
def audit_action(event) -> str:
    return action_label(event.action)


@register.filter
def audit_actor(event) -> str:
    """Who, by full name and function; never the user name (ivp.core.people.event_actor_label)."""
    return event_actor_label(event)


@register.filter
def audit_object(event) -> str:
    """What the event is about; a person by label, never by user name (ivp.core.people.event_object_label)."""
    return event_object_label(event)


@register.filter
def audit_changes(event) -> list[tuple[str, object, object]]:
    """[(field label, old, new)] for an event's recorded changes, the values as a reader says them (choice labels,
    euros, Dutch dates)."""
    rows = []
    for field, change in (event.changes or {}).items():
        old, new = (change + [None, None])[:2] if isinstance(change, list) else (None, change)
        old, new = change_person_label(field, old), change_person_label(field, new)
        rows.append((field_label(event.object_type, field), change_value(event.object_type, field, old),
                     change_value(event.object_type, field, new)))
    return rows
