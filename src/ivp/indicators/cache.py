"""Computed figures (series, break markers, neighbourhood tables) cached under the figures' state token.

A dashboard recomputes 14 series and a neighbourhood table from tens of thousands of observations; the
figures change only when an import or a structural break is written. Those services call
`figures_changed()` inside their transaction, which gives the state a new random token; every cached value
is keyed on the token that was current when it was computed, so a new token makes all of them unreachable at
once (no invalidation lists to keep right). The token is read before the data, so a value computed while a
write commits can only be newer than its key, never older.

Values are cached per language (series carry translated notes). The cache is Django's `figures` cache alias
(settings/cache.py); a write outside these services (raw SQL, `ivp restore`) is not seen until the
processes restart.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.utils.translation import get_language

from .models import FiguresState

T = TypeVar("T")
CACHE_ALIAS = "figures"
_MISSING = object()


def figures_changed() -> None:
    """Mark that figures changed (call inside the writing transaction)."""
    FiguresState.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


# Default of the `token` parameters: "read the current token" (None already means "no token: do not cache").
CURRENT = object()


def token_or_current(token) -> str | None:
    """`token` as passed by a caller that read it once for many values, or the current one."""
    return figures_token() if token is CURRENT else token


def figures_token() -> str | None:
    """The current token, or None when no figures were ever written through a service (then nothing is cached)."""
    return FiguresState.objects.filter(pk=1).values_list("token", flat=True).first()


def memoised(kind: str, key: tuple, compute: Callable[[], T], *, token: str | None) -> T:
    """`compute()`, or the value cached for (token, language, kind, key)."""
    if token is None:
        return compute()
    cache = caches[CACHE_ALIAS]
    # The key parts can be long (a dashboard's key lists every interpretation the viewer sees): hashed, so the
    # cache key stays short and valid for any cache backend (memcached allows 250 characters).
    digest = hashlib.blake2b("\x1f".join(map(str, key)).encode(), digest_size=16).hexdigest()
    cache_key = ":".join(["ivp", token, get_language() or "", kind, digest])
    value = cache.get(cache_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(cache_key, value)
    return value
