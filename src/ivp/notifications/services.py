"""Making notifications, delivering them, and what a person does with them (mark read, choose how per kind).

`notify(...)` is what the other apps call. It is idempotent per occasion: (recipient, kind, occasion) is unique,
so a scan that runs again, or a service that notifies the same occasion twice, makes nothing new. A notification
whose recipient chose "immediately" is e-mailed once the transaction that made it has committed; "weekly digest"
ones wait for `send_digests` (ivp.notifications.jobs); "only in the app" ones are never mailed.

Making a notification is not audited itself (it follows from an audited write or from a scan; the audit trail
records the write). What a person does (mark read, preferences) is audited.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ivp.core.access import access_for
from ivp.core.audit.recorder import NothingChanged, audited
from ivp.core.mail import send_templated_mail
from ivp.core.roles import Capability

from .kinds import KINDS, Delivery
from .models import Notification, NotificationPreference

logger = logging.getLogger("ivp.notifications")


def delivery_for(user, kind: str) -> str:
    """How `user` wants notifications of `kind` (their choice, or the kind's default)."""
    chosen = NotificationPreference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    return chosen or KINDS[kind].default_delivery


def deliveries_for(user) -> dict[str, str]:
    """Per registered kind: how `user` wants it."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {key: chosen.get(key) or kind.default_delivery for key, kind in KINDS.items()}


def _may_receive(user, municipality) -> bool:
    """Only active people who may read what the notification is about (the access policy)."""
    if user is None or not getattr(user, "is_active", False):
        return False
    if municipality is None:
        return True  # rows of the base team as a whole are shared with every signed-in user
    return access_for(user).can(Capability.READ, getattr(municipality, "pk", municipality))


def notify(*, recipients: Iterable, kind: str, occasion: str, params: dict | None = None, url: str = "",
           municipality=None) -> list[Notification]:
    """Notify each recipient of `kind` once per `occasion`. Returns the notifications made now (none for an
    occasion already notified). Recipients who may not read the municipality's rows are left out."""
    KINDS[kind]  # an unknown kind is a programming error: NotRegistered names the known ones
    if not occasion or len(occasion) > 200:
        raise ValueError("a notification needs an occasion of at most 200 characters")
    made: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or not _may_receive(user, municipality):
            continue
        seen.add(user.pk)
        try:
            with transaction.atomic():
                notification, created = Notification.objects.get_or_create(
                    recipient=user, kind=kind, occasion=occasion,
                    defaults={"params": params or {}, "url": url, "municipality": municipality})
        except IntegrityError:  # made by a concurrent run between the get and the create
            continue
        if created:
            made.append(notification)
    immediate = [n.pk for n in made if delivery_for(n.recipient, kind) == Delivery.IMMEDIATE]
    if immediate:
        transaction.on_commit(partial(deliver_immediately, immediate), robust=True)
    return made


def _mail(user, template: str, context: dict) -> bool:
    if not user.email:
        return False
    return send_templated_mail(to=user.email, template=template, context={
        "user": user, "base_url": settings.IVP_BASE_URL,
        "notifications_url": settings.IVP_BASE_URL + reverse("web:notification_list"),
        "preferences_url": settings.IVP_BASE_URL + reverse("web:notification_preferences"), **context})


def deliver_immediately(ids: Iterable[int]) -> int:
    """E-mail these notifications now, each at most once (claimed by setting `emailed_at` first; a failed mail is
    released again). Returns how many were sent."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=list(ids), emailed_at__isnull=True).select_related(
            "recipient"):
        now = timezone.now()
        if not Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=now):
            continue  # another process mails it
        if _mail(notification.recipient, "notification", {"notification": notification}):
            sent += 1
        else:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
    return sent


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    with audited(actor=actor, action="notification.read", target=notification) as event:
        if notification.recipient_id != getattr(actor, "pk", None):
            raise PermissionDenied(_("This notification is not yours."))
        if notification.read_at is not None:
            raise NothingChanged
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        event.changes = {"read": [False, True]}
    return notification


def notifications_mark_all_read(*, actor) -> int:
    count = 0
    with audited(actor=actor, action="notification.read_all") as event:
        count = Notification.objects.for_user(actor).unread().update(read_at=timezone.now())
        if not count:
            raise NothingChanged
        event.changes = {"unread": [count, 0]}
    return count


def notification_preferences_save(*, actor, choices: dict[str, str]) -> dict[str, str]:
    """Save how `actor` wants each kind (a dict kind -> Delivery). Returns the changes."""
    with audited(actor=actor, action="notification.preferences", target=actor) as event:
        if actor is None or not actor.is_authenticated:
            raise PermissionDenied(_("Sign in to choose your notifications."))
        errors = {kind: _("Choose how you want to receive this.") for kind, value in choices.items()
                  if kind not in KINDS or value not in Delivery.values}
        if errors:
            raise ValidationError(errors)
        before = deliveries_for(actor)
        changes = {kind: [before[kind], value] for kind, value in choices.items() if before[kind] != value}
        if not changes:
            raise NothingChanged
        for kind, (_old, value) in changes.items():
            NotificationPreference.objects.update_or_create(user=actor, kind=kind, defaults={"delivery": value})
        event.changes = changes
    return {kind: value for kind, (_old, value) in changes.items()}
