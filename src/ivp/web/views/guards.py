"""Refusing a page or a write early, before a form is shown or processed.

A refused POST is an attempted write: it is recorded in the audit trail as denied. (The services
check the role again and record their own refusals; this guard covers requests that never reach a
service.)
"""

from django.core.exceptions import PermissionDenied

from ivp.core.audit.models import AuditResult
from ivp.core.audit.recorder import record_event


def refuse(request, *, action: str, message: str, target=None, municipality=None):
    if request.method == "POST":
        record_event(actor=request.user, action=action, result=AuditResult.DENIED, target=target,
                     municipality=municipality, message=message)
    raise PermissionDenied(message)


def refuse_unless(allowed: bool, request, *, action: str, message: str, target=None, municipality=None) -> None:
    if not allowed:
        refuse(request, action=action, message=message, target=target, municipality=municipality)
