from ivp.core.access import access_for
from ivp.core.selectors import municipalities_for_user


def navigation(request):
    """Navigation shared by every page: the municipalities this user may open."""
    user = getattr(request, "user", None)
    return {
        "nav_municipalities": municipalities_for_user(user) if user is not None else [],
        "ivp_access": access_for(user),
    }
