"""Writes of API tokens: made, revoked, and a refused use recorded. Keyword-only and audited (docs/conventions.md)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ivp.core.audit.models import AuditResult
from ivp.core.audit.recorder import NothingChanged, audited, record_event

from .models import TOKEN_PREFIX, ApiToken, token_hash

MAX_NAME = 100


def _require_own(actor, user) -> None:
    """A token is made and revoked by its owner (actor None: the server's operator on the command line)."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("You may only manage your own API tokens."))


def api_token_create(*, actor, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Make a read token for `user`; returns the row and the token itself (shown once, never stored)."""
    name = (name or "").strip()
    days = settings.IVP_API_TOKEN_DAYS if days is None else days
    with audited(actor=actor, action="api_token.create", target=user) as event:
        _require_own(actor, user)
        if not user.is_active:
            raise ValidationError({"user": _("This account is deactivated.")})
        if not name:
            raise ValidationError({"name": _("Give the token a name, e.g. what it is for.")})
        if len(name) > MAX_NAME:
            raise ValidationError({"name": _("At most %(n)d characters.") % {"n": MAX_NAME}})
        if not 1 <= days <= settings.IVP_API_TOKEN_MAX_DAYS:
            raise ValidationError({"days": _("A token is valid for 1 to %(n)d days.")
                                   % {"n": settings.IVP_API_TOKEN_MAX_DAYS}})
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(user=user, name=name, key_hash=token_hash(secret), hint=secret[:10],
                                        expires_at=timezone.now() + dt.timedelta(days=days))
        event.target = token
        event.changes = {"name": [None, name], "expires_at": [None, token.expires_at.isoformat()],
                         "user": [None, user.get_username()]}
    return token, secret


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    with audited(actor=actor, action="api_token.revoke", target=token) as event:
        _require_own(actor, token.user)
        if token.revoked_at is not None:
            raise NothingChanged
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        event.changes = {"revoked_at": [None, token.revoked_at.isoformat()]}
    return token


def api_token_use_denied(*, token: ApiToken, reason: str) -> None:
    """A request with a known but revoked or expired token (or of a deactivated account) was refused. An unknown
    token is not recorded: anyone could fill the append-only trail with made-up tokens."""
    record_event(actor=token.user, action="api_token.use_denied", result=AuditResult.DENIED, target=token,
                 message=reason)


LAST_USED_RESOLUTION = dt.timedelta(hours=1)


def api_token_touch(token: ApiToken) -> None:
    """Remember when the token was last used, at most once an hour (not a write per request)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
