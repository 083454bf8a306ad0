"""Secrets, hosts, HTTPS, cookies, security headers, passwords.

Environment variables:
- IVP_SECRET_KEY: Django's secret key. Required in production. In development a random key is
  generated once and kept in IVP_DATA_DIR/secret_key.
- IVP_ALLOWED_HOSTS: comma-separated host names (default in development: 127.0.0.1,localhost,testserver).
- IVP_CSRF_TRUSTED_ORIGINS: comma-separated origins, e.g. https://ivp.example.nl (production).
- IVP_TRUSTED_PROXY_COUNT: number of reverse proxies in front of the app whose X-Forwarded-For
  entries are trusted for the audit trail's and the login lockout's client IP (default 0: use the
  socket address).
- IVP_HTTPS: the site is served over HTTPS (default: on in production, off in development). On:
  cookies are Secure and carry the `__Host-` prefix, HSTS is sent and plain HTTP is redirected. The
  `__Host-` prefix cannot work over plain http (browsers drop such cookies), so development over
  http://127.0.0.1 uses unprefixed names.
- IVP_SSL_REDIRECT: redirect http to https in the app (default: same as IVP_HTTPS). Switch off only
  when the reverse proxy already redirects.
- IVP_PROXY_SSL_HEADER: trust the X-Forwarded-Proto header of the reverse proxy to tell that the
  request came over https (default: on when IVP_TRUSTED_PROXY_COUNT > 0). The proxy MUST overwrite
  this header on every request; never switch it on without such a proxy.
- IVP_HSTS_SECONDS: Strict-Transport-Security max-age when IVP_HTTPS is on (default 31536000 = 1 year).
- IVP_HSTS_PRELOAD: add `preload` to HSTS (default off: entering the HSTS preload list binds the
  whole domain and its subdomains and is hard to undo; the organisation that owns the domain decides).
"""

import os
import secrets

from .env import DATA_DIR, IS_PRODUCTION, env_bool, env_list


def _secret_key() -> str:
    key = os.environ.get("IVP_SECRET_KEY", "").strip()
    if key:
        return key
    if IS_PRODUCTION:
        raise RuntimeError("IVP_SECRET_KEY must be set when IVP_ENV=production")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("IVP_ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("IVP_CSRF_TRUSTED_ORIGINS", [])
TRUSTED_PROXY_COUNT = int(os.environ.get("IVP_TRUSTED_PROXY_COUNT", "0"))

# --- HTTPS and cookies ---------------------------------------------------------------------------
IVP_HTTPS = env_bool("IVP_HTTPS", IS_PRODUCTION)

# Every cookie IVP sets is Secure, path "/" and host-only over HTTPS, so every name carries the prefix.
# (IVP sets no language cookie; it only reads Django's `django_language`, see ivp.web.middleware.)
_COOKIE_PREFIX = "__Host-" if IVP_HTTPS else ""
SESSION_COOKIE_NAME = f"{_COOKIE_PREFIX}ivp_session"
CSRF_COOKIE_NAME = f"{_COOKIE_PREFIX}ivp_csrftoken"
# Django's messages: its cookie storage has no name setting; ivp.web.messages_storage reads this one and sets
# the cookie with the session cookie's attributes.
MESSAGE_STORAGE = "ivp.web.messages_storage.FallbackStorage"
IVP_MESSAGES_COOKIE_NAME = f"{_COOKIE_PREFIX}ivp_messages"
SESSION_COOKIE_SECURE = IVP_HTTPS
CSRF_COOKIE_SECURE = IVP_HTTPS
SESSION_COOKIE_PATH = "/"  # required by the __Host- prefix (and no Domain attribute: the default None)
CSRF_COOKIE_PATH = "/"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # the token travels in the forms ({% csrf_token %}); no script reads the cookie
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # the idle/absolute limits are in settings/auth.py

SECURE_SSL_REDIRECT = env_bool("IVP_SSL_REDIRECT", IVP_HTTPS)
if env_bool("IVP_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT > 0):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("IVP_HSTS_SECONDS", "31536000")) if IVP_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("IVP_HSTS_PRELOAD", False)
# security.W021 only says "preload is off"; that is a deliberate choice (see IVP_HSTS_PRELOAD above).
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# --- Security headers ----------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent by ivp.core.security_headers.SecurityHeadersMiddleware (Django has no setting for these).
IVP_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
IVP_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

# --- Passwords -----------------------------------------------------------------------------------
# Argon2id first; the others only verify (and on the next sign-in upgrade) older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
