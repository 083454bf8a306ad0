"""Recording audit events. Every service write runs inside `audited(...)`.

`audited` runs the write in a transaction and records a success event in that same transaction.
When the write is refused (PermissionDenied) or fails (any exception), the transaction is rolled
back and a denied/error event is recorded after the rollback, so the attempt is never lost.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .context import current_origin
from .models import AuditEvent, AuditResult, object_type_of


def actor_label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        origin = current_origin()
        return _("command line") if origin.kind == "cli" else _("anonymous")
    return actor.get_username()


@dataclass
class PendingEvent:
    """Filled in by the service while it works; written when the block ends."""

    target: Any = None
    municipality: Any = None
    changes: dict = field(default_factory=dict)
    message: str = ""


def record_event(
    *, actor, action: str, result: str, target=None, municipality=None,
    changes: dict | None = None, message: str = "", object_type: str = "", object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    origin = current_origin()
    if target is not None:
        object_type = object_type_of(target)
        object_id = str(target.pk) if target.pk is not None else ""
        object_repr = str(target)[:300]
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=actor_label(actor),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        municipality=municipality,
        result=result,
        origin=origin.kind,
        origin_ip=origin.ip,
        message=message[:4000],
        changes=changes or {},
    )


class NothingChanged(Exception):  # noqa: N818  (a signal, not an error)
    """Raise inside `audited` when the write turned out to change nothing: the transaction is rolled
    back, no event is recorded, and the exception is swallowed."""


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(m) for m in exc.messages)
    return f"{type(exc).__name__}: {exc}"


@contextmanager
def audited(*, actor, action: str, target=None, municipality=None):
    pending = PendingEvent(target=target, municipality=municipality)
    try:
        with transaction.atomic():
            yield pending
            record_event(
                actor=actor, action=action, result=AuditResult.SUCCESS, target=pending.target,
                municipality=pending.municipality, changes=pending.changes, message=pending.message,
            )
    except NothingChanged:
        return
    except PermissionDenied as exc:
        record_event(
            actor=actor, action=action, result=AuditResult.DENIED, target=_saved(pending.target),
            municipality=pending.municipality, message=str(exc),
        )
        raise
    except Exception as exc:
        record_event(
            actor=actor, action=action, result=AuditResult.ERROR, target=_saved(pending.target),
            municipality=pending.municipality, message=_error_text(exc),
        )
        raise


def _saved(target):
    """A target created inside the rolled-back transaction no longer exists: keep only its repr."""
    if target is None or target.pk is None:
        return None
    if not type(target)._default_manager.filter(pk=target.pk).exists():
        return None
    return target


def field_changes(instance, new_values: dict, *, apply: bool = True) -> dict:
    """{'field': [old, new]} for the fields whose value differs; sets the new values when `apply`."""
    changes = {}
    for name, new in new_values.items():
        old = getattr(instance, name)
        if old != new:
            changes[name] = [_jsonable(old), _jsonable(new)]
            if apply:
                setattr(instance, name, new)
    return changes


def _jsonable(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return str(value)
