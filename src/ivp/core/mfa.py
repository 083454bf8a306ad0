"""Two-factor authentication: who needs it, and the middleware that holds an editor's session at the
code page until a code has been entered.

Users who can change data or manage people (coordinator, municipal advisor; staff and superusers for the admin) need
a second factor. Read-only roles (councillor, police, OM, partner) do not. A session counts as
verified when django-otp has recorded a device for it (`request.user.is_verified()`), or when the
OpenID Connect provider reported multi-factor authentication and IVP_OIDC_TRUSTS_MFA is on.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from .access import access_for, access_from

# Set in the session when the OIDC provider vouched for a second factor (see ivp.core.oidc).
IDP_MFA_SESSION_KEY = "ivp_mfa_by_identity_provider"


def requires_mfa(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    access = access_for(user)
    return access.is_editor or access.can_manage_people


def role_requires_mfa(role: str) -> bool:
    """Does holding this role (anywhere) need a second factor? From the access policy, as `requires_mfa`."""
    access = access_from([(role, 0)])
    return access.is_editor or access.can_manage_people


def mfa_satisfied(request) -> bool:
    user = getattr(request, "user", None)
    if not requires_mfa(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return True
    return request.session.get(IDP_MFA_SESSION_KEY) is True


class MFARequiredMiddleware:
    """An editor whose session has no verified second factor only reaches the MFA pages, logout and
    static files; everything else (including the admin) redirects to the code page."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def _exempt_views(self) -> frozenset[str]:
        return frozenset(getattr(settings, "IVP_MFA_EXEMPT_URL_NAMES", []))

    def _exempt(self, path: str) -> bool:
        if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
            return True
        # Paths that never read the session (the open API authenticates by token only).
        if path.startswith(tuple(getattr(settings, "IVP_MFA_EXEMPT_PATH_PREFIXES", ()))):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return False
        return match.view_name in self._exempt_views

    def __call__(self, request):
        if not mfa_satisfied(request) and not self._exempt(request.path_info):
            url = reverse(settings.IVP_MFA_VERIFY_URL) + "?" + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
            response = HttpResponseRedirect(url)
            if request.headers.get("HX-Request"):
                response["HX-Redirect"] = url
            return response
        return self.get_response(request)


@receiver(user_logged_in)
def _remember_idp_mfa(sender, request, user, **kwargs):
    """An OIDC sign-in whose provider reported multi-factor authentication (see ivp.core.oidc)."""
    if request is not None and hasattr(request, "session") and getattr(user, "ivp_idp_mfa", False):
        request.session[IDP_MFA_SESSION_KEY] = True
