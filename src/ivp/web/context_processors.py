from ivp.core.access import ANONYMOUS, access_for
from ivp.core.mfa import mfa_satisfied
from ivp.core.selectors import municipalities_for_user
from ivp.notifications.models import Notification


def navigation(request):
    """Navigation shared by every page: the municipalities this user may open, and what they may do.

    Until an editor has entered their second factor (`signed_in` false), the header shows only "sign out": no
    name, no menu items of a signed-in user (those pages would send them back to the code page anyway)."""
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    signed_in = authenticated and mfa_satisfied(request)
    return {
        "nav_municipalities": [] if authenticated and not signed_in else municipalities_for_user(user),
        "ivp_access": access_for(user) if signed_in else ANONYMOUS,
        "signed_in": signed_in,
        # The bell's count: one query, made only when the header is rendered for a signed-in user.
        "unread_notifications": (lambda: Notification.objects.for_user(user).unread().count()) if signed_in else 0,
    }
