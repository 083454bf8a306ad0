"""The "reviews overdue" block for cooperation agreements, on the municipality page and the agreements list."""

from django import template

from ivp.core.access import access_for
from ivp.partners.selectors import overdue_agreements_for_user
from ivp.partners.services import can_edit_agreement

register = template.Library()


@register.inclusion_tag("web/agreement_overdue_block.html", takes_context=True)
def overdue_agreements_block(context, municipality=None):
    """Agreements the user may read whose review date has passed; of one municipality (and the base team as a
    whole) when given. Nothing for anonymous visitors: agreements are not public."""
    user = context["request"].user
    if not access_for(user).authenticated:
        return {"show": False}
    overdue = list(overdue_agreements_for_user(user, municipality=municipality))
    for agreement in overdue:
        agreement.user_can_edit = can_edit_agreement(user, agreement)
    return {"show": True, "overdue": overdue, "municipality": municipality}
