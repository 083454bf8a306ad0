"""Personal read tokens for the open API (ADR 0019).

Only a SHA-256 hash of a token is stored; the token itself is shown once when it is made. A token reads with its
owner's rights (the same `for_user()` rules and publication gate as the pages), never more, and only reads: the API
has no write methods. It expires, and its owner revokes it on "Mijn IVP"."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What every token starts with: recognisable in logs and by secret scanners.
TOKEN_PREFIX = "ivp_"  # noqa: S105  (a prefix, not a secret)


def token_hash(token: str) -> str:
    """The stored form of a token. A plain SHA-256 suffices: tokens are 256 random bits, not passwords."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. \"dashboard\"."))
    key_hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)
    hint = models.CharField(_("first characters"), max_length=12, editable=False,
                            help_text=_("The start of the token, to recognise it."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}...)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired and self.user.is_active
