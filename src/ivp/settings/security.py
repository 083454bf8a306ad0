"""Secrets, hosts, cookies, passwords.

Environment variables:
- IVP_SECRET_KEY: Django's secret key. Required in production. In development a random key is
  generated once and kept in IVP_DATA_DIR/secret_key.
- IVP_ALLOWED_HOSTS: comma-separated host names (default in development: 127.0.0.1,localhost,testserver).
- IVP_CSRF_TRUSTED_ORIGINS: comma-separated origins, e.g. https://ivp.example.nl (production).
- IVP_TRUSTED_PROXY_COUNT: number of reverse proxies in front of the app whose X-Forwarded-For
  entries are trusted for the audit trail's origin IP (default 0: use the socket address).
"""

import os
import secrets

from .env import DATA_DIR, IS_PRODUCTION, env_list


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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
