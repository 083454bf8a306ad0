"""Notifications for what happens in core (which cannot import this app): core sends a signal, we notify."""

from __future__ import annotations

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ivp.core.signals import invitation_accepted

from .kinds import KINDS, Kind
from .services import notify

KINDS.register("invitation_accepted", Kind(
    label=_("Someone you invited has accepted the invitation"),
    message=_("%(name)s has accepted your invitation to IVP."),
))


@receiver(invitation_accepted, dispatch_uid="ivp.notifications.invitation_accepted")
def on_invitation_accepted(sender, *, invitation, municipality=None, **kwargs) -> None:
    if invitation.invited_by_id is None:
        return
    person = invitation.user
    notify(recipients=[invitation.invited_by], kind="invitation_accepted", occasion=f"invitation:{invitation.pk}",
           params={"name": person.get_full_name() or person.get_username()},
           url=reverse("web:person_detail", kwargs={"pk": person.pk}), municipality=municipality)
