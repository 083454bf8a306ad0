"""Session time limits: an idle limit (IVP_SESSION_IDLE_MINUTES) and an absolute limit from sign-in
(IVP_SESSION_MAX_HOURS). A session past either limit is signed out and sent to the login page, which
says why (the reason is kept in the new, anonymous session).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver

from .audit.models import AuditResult
from .audit.recorder import record_event

LOGIN_AT = "ivp_login_at"
SEEN_AT = "ivp_seen_at"
SIGNED_OUT_REASON = "ivp_signed_out_reason"
IDLE, MAX_AGE = "idle", "max_age"
# The last-seen time is written at most once a minute (not on every request).
SEEN_RESOLUTION_SECONDS = 60


def now() -> float:
    """Seconds since the epoch; tests replace this to travel in time."""
    return time.time()


@receiver(user_logged_in)
def _start_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        moment = now()
        request.session[LOGIN_AT] = moment
        request.session[SEEN_AT] = moment


def expiry_reason(session) -> str | None:
    moment = now()
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if login_at is not None and moment - login_at > settings.IVP_SESSION_MAX_SECONDS:
        return MAX_AGE
    if seen_at is not None and moment - seen_at > settings.IVP_SESSION_IDLE_SECONDS:
        return IDLE
    return None


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            reason = expiry_reason(session)
            if reason:
                record_event(actor=user, action="auth.session_expired", result=AuditResult.SUCCESS, target=user,
                             message=reason)
                logout(request)
                request.session[SIGNED_OUT_REASON] = reason
                response = redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
                if request.headers.get("HX-Request"):
                    response["HX-Redirect"] = response["Location"]
                return response
            moment = now()
            if session.get(LOGIN_AT) is None:  # a session from before this middleware, or a test's force_login
                session[LOGIN_AT] = moment
            seen_at = session.get(SEEN_AT)
            if seen_at is None or moment - seen_at >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_AT] = moment
        return self.get_response(request)
