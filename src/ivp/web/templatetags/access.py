"""The access policy in templates: `{% may "edit" municipality as can_edit %}` and
`{% if ivp_access|can_somewhere:"read" %}`. Templates ask for a capability, never for a role (ADR 0012)."""

from django import template

from ivp.core.access import access_for

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, capability: str, municipality=None) -> bool:
    """May the signed-in user do `capability` for this municipality (an Organisation or its pk; None: the base
    team as a whole)?"""
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    return access_for(user).can(capability, getattr(municipality, "pk", municipality))


@register.filter
def can_somewhere(access, capability: str) -> bool:
    return access.can_somewhere(capability)
