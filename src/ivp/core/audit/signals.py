"""Sign-in events in the audit trail: successful logins, logouts, failed attempts (password or
two-factor code) and lockouts."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ..login_records import recorded_username
from .models import AuditResult
from .recorder import record_event

# Marks a failed two-factor code in the credentials of user_login_failed (sent by the MFA view, so
# that django-axes counts it toward the lockout like a wrong password).
MFA_STEP = "ivp_mfa"


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record_event(actor=user, action="auth.login", result=AuditResult.SUCCESS, target=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_event(actor=user, action="auth.logout", result=AuditResult.SUCCESS, target=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the user name is kept; the password or code never reaches the trail or the logs. A name that is no
    # account's (it can be a password typed into the wrong field) is kept as a keyed hash (ivp.core.login_records).
    username = recorded_username(credentials.get("username", ""))[:150]
    if credentials.get(MFA_STEP):
        # The password was right; the session's user is known.
        actor = getattr(request, "user", None)
        record_event(actor=actor, action="auth.mfa_failed", result=AuditResult.DENIED,
                     target=actor if getattr(actor, "is_authenticated", False) else None, message=username)
        return
    record_event(actor=None, action="auth.login_failed", result=AuditResult.DENIED, message=username)


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    # `username` is already what AXES_USERNAME_CALLABLE made of it (ivp.core.login_records.axes_username).
    record_event(actor=None, action="auth.lockout", result=AuditResult.DENIED, message=str(username or "")[:150])
