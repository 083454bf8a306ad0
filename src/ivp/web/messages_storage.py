"""Django's messages (the "saved" notices after a form) in a cookie named like the session and CSRF cookies.

Django's CookieStorage always names its cookie "messages" (there is no setting), so over HTTPS it lacked the
`__Host-` prefix that the session and CSRF cookies carry. It is set with the session cookie's attributes
(Secure, HttpOnly, SameSite, path "/", no Domain), which is what the prefix requires; the name comes from
IVP_MESSAGES_COOKIE_NAME (settings/security.py).
"""

from django.conf import settings
from django.contrib.messages.storage import cookie, fallback
from django.contrib.messages.storage.session import SessionStorage


class CookieStorage(cookie.CookieStorage):
    @property
    def cookie_name(self) -> str:
        return settings.IVP_MESSAGES_COOKIE_NAME


class FallbackStorage(fallback.FallbackStorage):
    """Cookie first, the session when the cookie would be too large (as Django's own default)."""

    storage_classes = (CookieStorage, SessionStorage)
