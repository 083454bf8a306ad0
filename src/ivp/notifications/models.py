"""Notifications (in the app, by e-mail at once or in the weekly digest) and each person's choice per kind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS, Delivery


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """A person reads only their own notifications."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One notification for one person. `occasion` says what it is about and when (an activity's stale episode,
    a milestone's due date, a duiding's version): (recipient, kind, occasion) is unique, so notifying the same
    occasion again changes nothing."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40)
    occasion = models.CharField(_("occasion"), max_length=200)
    params = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True, help_text=_("A path on this site."))
    municipality = models.ForeignKey("core.Organisation", verbose_name=_("municipality"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    digested_at = models.DateTimeField(_("sent in a digest"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "kind", "occasion"],
                                               name="unique_notification_occasion")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        kind = KINDS.get(self.kind)
        if kind is None:
            return self.kind
        try:
            return str(kind.message) % self.params
        except (KeyError, TypeError, ValueError):
            return str(kind.label)

    @property
    def kind_label(self) -> str:
        kind = KINDS.get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def absolute_url(self) -> str:
        return settings.IVP_BASE_URL + self.url if self.url.startswith("/") else self.url


class NotificationPreference(models.Model):
    """How one person wants one kind of notification (no row: the kind's default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=40)
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="unique_notification_preference")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"
