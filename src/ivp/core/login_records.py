"""Sign-in records: what is kept of a user name, and how long sign-in records are kept.

User names. People sometimes type their password into the user-name field. A failed sign-in is recorded
(audit trail `auth.login_failed`, django-axes' attempt table and log lines) with the user name it was tried
for, so such a password would be stored. `recorded_username` keeps the name only when an account with exactly
that name exists (the name is then not a secret: the account's own name); any other text is kept as a keyed
hash (HMAC with the secret key), so repeated attempts with the same unknown name can still be told apart and
counted toward the lockout, but the text itself is never stored. django-axes uses the same function
(AXES_USERNAME_CALLABLE), so its lockout, tables and log lines never see the raw text either.

Retention. Sign-in records hold IP addresses and browser strings (personal data): django-axes' access logs,
failure logs and attempts, and the audit trail's sign-in events (LOGIN_ACTIONS). `login_records_purge`
removes those older than IVP_LOGIN_RECORDS_RETENTION_DAYS (`ivp purge_login_records`, daily from cron). The
audit trail is otherwise append-only; its PostgreSQL trigger lets exactly these actions be deleted, and only
inside a transaction that set `ivp.purge_login_records` (migration core 0004). The purge itself is an audit
event (`login_records.purge`) that is never purged.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .audit.models import AuditEvent
from .audit.recorder import NothingChanged, audited

UNKNOWN_PREFIX = "unknown-user:"
_UNKNOWN = re.compile(rf"^{re.escape(UNKNOWN_PREFIX)}[0-9a-f]{{16}}$")
_HMAC_SALT = "ivp.core.login_records.username"

# Audit actions that are sign-in records (personal data with a retention); account and device changes are not.
LOGIN_ACTIONS = ("auth.login", "auth.logout", "auth.login_failed", "auth.mfa_failed", "auth.mfa_verified",
                 "auth.lockout", "auth.session_expired")
PURGE_SETTING = "ivp.purge_login_records"


def recorded_username(name) -> str:
    """The user name as sign-in records keep it: an existing account's name, else a keyed hash of the text."""
    name = "" if name is None else str(name)
    if not name or _UNKNOWN.match(name):
        return name
    if get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: name}).exists():
        return name
    return UNKNOWN_PREFIX + salted_hmac(_HMAC_SALT, name).hexdigest()[:16]


def axes_username(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the user name django-axes locks, stores and logs (see the module docstring)."""
    if credentials:
        name = credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", None) or {}
        name = data.get("username")
    return None if name is None else recorded_username(name)


def login_records_purge(*, actor, older_than_days: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete sign-in records older than `older_than_days` days. Returns the number of rows per kind."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    cutoff = (now or timezone.now()) - dt.timedelta(days=older_than_days)
    with audited(actor=actor, action="login_records.purge") as event:
        counts = {
            "axes_access_logs": _delete_old(AccessLog, cutoff),
            "axes_failure_logs": _delete_old(AccessFailureLog, cutoff),
            "axes_attempts": _delete_old(AccessAttempt, cutoff),  # their expiration rows go with them
            "audit_events": _delete_login_events(cutoff),
        }
        if not any(counts.values()):
            raise NothingChanged
        event.changes = {"cutoff": [None, cutoff.isoformat()], **{k: [v, 0] for k, v in counts.items()}}
    return counts


def _delete_old(model, cutoff: dt.datetime) -> int:
    _total, per_model = model.objects.filter(attempt_time__lt=cutoff).delete()
    return per_model.get(model._meta.label, 0)


def _delete_login_events(cutoff: dt.datetime) -> int:
    """Raw DELETE (the model and queryset refuse deletes: the trail is append-only for everything else)."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    placeholders = ", ".join(["%s"] * len(LOGIN_ACTIONS))
    assert transaction.get_connection().in_atomic_block  # SET LOCAL ends with this transaction
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL {PURGE_SETTING} = 'on'")
        cursor.execute(f"DELETE FROM {table} WHERE action IN ({placeholders}) AND occurred_at < %s",  # noqa: S608
                       [*LOGIN_ACTIONS, cutoff])
        return cursor.rowcount


def purge_expired_login_records() -> str:
    """The daily scheduled job (ivp.core.scheduled): `ivp purge_login_records` with the configured retention."""
    from django.conf import settings

    days = settings.IVP_LOGIN_RECORDS_RETENTION_DAYS
    counts = login_records_purge(actor=None, older_than_days=days)
    return (f"older than {days} days: {counts['audit_events']} audit events, {counts['axes_access_logs']} access "
            f"logs, {counts['axes_failure_logs']} failure logs, {counts['axes_attempts']} attempts deleted")
