"""`Authorization: Bearer <token>`: a personal read token (ADR 0019). Without the header the request is anonymous
(the public audience), also in a browser that is signed in to the pages: the API never reads the session cookie."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiToken, token_hash
from .services import api_token_touch, api_token_use_denied

KEYWORD = "Bearer"


class TokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise AuthenticationFailed(_("The Authorization header is \"Bearer\" followed by one token."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("This token is not valid.")) from None
        token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(secret)).first()
        if token is None:
            raise AuthenticationFailed(_("This token is not valid."))
        if not token.is_usable:
            if token.is_revoked:
                reason = _("This token has been revoked.")
            elif token.is_expired:
                reason = _("This token has expired.")
            else:
                reason = _("The account of this token is deactivated.")
            api_token_use_denied(token=token, reason=reason)
            raise AuthenticationFailed(reason)
        api_token_touch(token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "ivp.api.authentication.TokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A personal read token (`ivp api_token --user USERNAME`, or Mijn IVP). Optional: "
                               "without it the request sees what is public."}
