"""Template helpers of the execution pages: money in Dutch notation, activity badges."""

from django import template
from django.utils.translation import gettext as _

from ivp import notation

register = template.Library()


@register.filter
def euros(cents) -> str:
    """Integer cents as '€ 1.234,56'; '-' for no amount (ivp.notation)."""
    return notation.euro(cents)


@register.inclusion_tag("components/status_badge.html")
def activity_status(activity):
    """The activity's latest status, or 'no update yet'."""
    if not activity.status:
        return {"value": "none", "label": _("no update yet")}
    return {"value": activity.status, "label": activity.get_status_display()}
