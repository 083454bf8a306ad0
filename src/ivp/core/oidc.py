"""Signing in through an OpenID Connect provider (mozilla-django-oidc), when IVP_OIDC_ENABLED is on.

Only EXISTING IVP users can sign in this way: the claim IVP_OIDC_USERNAME_CLAIM (default `email`) is
matched, case-insensitively, with the user field IVP_OIDC_MATCH_FIELD (`email` or `username`). With
IVP_OIDC_CREATE_USERS on, an unknown identity gets a new IVP user without any membership (so without
any role and without a usable password); roles come only from IVP memberships, never from claims.
An email claim that the provider marks `email_verified: false` is refused.

With IVP_OIDC_TRUSTS_MFA on, a provider that reports multi-factor authentication in the ID token
(`amr` containing one of IVP_OIDC_MFA_AMR, or `acr` in IVP_OIDC_MFA_ACR) satisfies IVP's second-factor
requirement for editors; otherwise editors still enter an IVP code after the provider's sign-in.
"""

from __future__ import annotations

import logging

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .services import user_create

logger = logging.getLogger("ivp.auth")


def idp_reports_mfa(claims: dict) -> bool:
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    accepted_amr = {value.lower() for value in settings.IVP_OIDC_MFA_AMR}
    if any(str(value).lower() in accepted_amr for value in amr):
        return True
    acr = claims.get("acr")
    return bool(acr) and str(acr) in set(settings.IVP_OIDC_MFA_ACR)


class IvpOIDCBackend(OIDCAuthenticationBackend):
    def _identity(self, claims: dict) -> str:
        return str(claims.get(settings.IVP_OIDC_USERNAME_CLAIM) or "").strip()

    def describe_user_by_claims(self, claims):
        return f"{settings.IVP_OIDC_USERNAME_CLAIM} claim"  # no personal data in the log

    def verify_claims(self, claims):
        if not self._identity(claims):
            return False
        if "email" in (settings.IVP_OIDC_USERNAME_CLAIM, settings.IVP_OIDC_MATCH_FIELD) and \
                claims.get("email_verified") is False:
            return False
        return True

    def filter_users_by_claims(self, claims):
        identity = self._identity(claims)
        if not identity:
            return self.UserModel.objects.none()
        field = settings.IVP_OIDC_MATCH_FIELD
        return self.UserModel.objects.filter(**{f"{field}__iexact": identity})

    def create_user(self, claims):
        """Only with IVP_OIDC_CREATE_USERS: a user without memberships (no role) and without a password."""
        identity = self._identity(claims)
        if settings.IVP_OIDC_MATCH_FIELD == "username":
            username, email = identity, str(claims.get("email") or "")
        else:
            username, email = str(claims.get("preferred_username") or identity), identity
        username = username[:150]
        if self.UserModel.objects.filter(username__iexact=username).exists():
            logger.warning("OIDC sign-in refused: the user name of a new identity is already taken")
            return None
        user, _password = user_create(actor=None, username=username, email=email)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        return user

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None:
            # Read by ivp.core.mfa on user_logged_in; the ID token (payload) carries amr/acr.
            user.ivp_idp_mfa = bool(settings.IVP_OIDC_TRUSTS_MFA and idp_reports_mfa(payload or {}))
        return user
