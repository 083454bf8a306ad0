"""How people are named. Councils, partners and the public read a person by full name, with the function when
there is one ("Anna de Vries (veiligheidsadviseur)"); a user name never reaches a report or a public page. Only the
internal history pages fall back to the user name (`internal_name`), so an event is always attributable."""

from __future__ import annotations

from django.utils.translation import gettext as _


def _organisation_of(user) -> str:
    membership = (user.memberships.select_related("organisation").order_by("organisation__name").first()
                  if getattr(user, "pk", None) else None)
    return membership.organisation.name if membership else ""


def person_label(user) -> str:
    """Full name (function); without a full name the function, else "a staff member of <organisation>", else ""."""
    if user is None or not getattr(user, "pk", None):
        return ""
    name = (user.get_full_name() or "").strip()
    function = (getattr(user, "function", "") or "").strip()
    if name:
        return f"{name} ({function})" if function else name
    if function:
        return function
    organisation = _organisation_of(user)
    return _("a staff member of %(organisation)s") % {"organisation": organisation} if organisation else ""


def internal_name(user) -> str:
    """For the internal history pages: the person's label, else the user name."""
    if user is None:
        return ""
    return person_label(user) or user.get_username()
