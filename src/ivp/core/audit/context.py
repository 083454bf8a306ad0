"""Where the current write comes from (web request, command line), for the audit trail.

Services do not take an IP address argument: the middleware or the command sets this context.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .models import AuditOrigin


@dataclass(frozen=True)
class Origin:
    kind: str = AuditOrigin.SYSTEM
    ip: str | None = None


_DEFAULT = Origin()  # frozen, so a shared default is safe
_current: ContextVar[Origin] = ContextVar("ivp_audit_origin", default=_DEFAULT)  # noqa: B039


def current_origin() -> Origin:
    return _current.get()


@contextmanager
def origin(kind: str, ip: str | None = None):
    token = _current.set(Origin(kind=kind, ip=ip))
    try:
        yield
    finally:
        _current.reset(token)
