"""Sign-in events in the audit trail: successful logins, logouts and failed attempts."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditResult
from .recorder import record_event


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record_event(actor=user, action="auth.login", result=AuditResult.SUCCESS, target=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_event(actor=user, action="auth.logout", result=AuditResult.SUCCESS, target=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the user name is kept; the password never reaches the trail or the logs.
    username = str(credentials.get("username", ""))[:150]
    record_event(actor=None, action="auth.login_failed", result=AuditResult.DENIED, message=username)
