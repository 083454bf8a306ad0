"""E-mail (invitations, "forgot password") and the site's own address in the links they carry.

Environment variables:
- IVP_EMAIL_URL: where mail goes, as one URL (required in production):
  - `smtp://user:password@host:port`: SMTP without encryption (port 25 by default);
  - `smtp+tls://user:password@host:587`: SMTP with STARTTLS (port 587 by default);
  - `smtps://user:password@host:465`: SMTP over TLS (port 465 by default);
  - `file:///path/to/dir`: every message as a .eml file in that folder (test and acceptance machines);
  - `console://`: printed on the console (the default in development).
  User name and password are optional and percent-encoded (`@` as `%40`, `:` as `%3A`); `?timeout=N` sets the
  SMTP time-out in seconds (default 10).
- IVP_EMAIL_FROM: the sender, e.g. `IVP Meierij <ivp@meierij.example.nl>` (default `IVP <noreply@HOST>`, HOST being
  the host of IVP_BASE_URL).
- IVP_BASE_URL: the address of this site as its users reach it, e.g. `https://ivp.meierij.example.nl`, for the links
  in e-mails and the invitation link `ivp invite` prints (required in production; default in development
  `http://127.0.0.1:8000`).
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from .env import IS_PRODUCTION

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
FILE_BACKEND = "ivp.core.mail.EmlFileBackend"
DEFAULT_TIMEOUT = 10
_SMTP_PORTS = {"smtp": 25, "smtp+tls": 587, "smtps": 465}


class EmailUrlError(ValueError):
    """IVP_EMAIL_URL cannot be used. The message never repeats the URL (it may hold a password)."""


def parse_email_url(url: str) -> dict:
    """Django's e-mail settings for one IVP_EMAIL_URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        raise EmailUrlError(f"IVP_EMAIL_URL is not a valid URL ({exc.__class__.__name__})") from None
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": CONSOLE_BACKEND}
    if scheme == "file":
        path = unquote(parts.path)
        if parts.netloc or not path.startswith("/") or path.rstrip("/") == "":
            raise EmailUrlError("IVP_EMAIL_URL: a file URL names an absolute folder, e.g. file:///var/lib/ivp/mail")
        return {"EMAIL_BACKEND": FILE_BACKEND, "EMAIL_FILE_PATH": path}
    if scheme in _SMTP_PORTS:
        if not parts.hostname:
            raise EmailUrlError(f"IVP_EMAIL_URL: a {scheme} URL needs a host, e.g. {scheme}://mail.example.nl")
        try:
            port = parts.port or _SMTP_PORTS[scheme]
        except ValueError:
            raise EmailUrlError("IVP_EMAIL_URL: the port is not a number from 1 to 65535") from None
        query = parse_qs(parts.query)
        unknown = sorted(set(query) - {"timeout"})
        if unknown:
            raise EmailUrlError(f"IVP_EMAIL_URL: unknown option(s) {', '.join(unknown)} (only timeout)")
        timeout = query.get("timeout", [str(DEFAULT_TIMEOUT)])[-1]
        if not timeout.isdigit() or int(timeout) < 1:
            raise EmailUrlError("IVP_EMAIL_URL: timeout is a whole number of seconds, at least 1")
        return {
            "EMAIL_BACKEND": SMTP_BACKEND, "EMAIL_HOST": parts.hostname, "EMAIL_PORT": port,
            "EMAIL_HOST_USER": unquote(parts.username or ""), "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": scheme == "smtp+tls", "EMAIL_USE_SSL": scheme == "smtps", "EMAIL_TIMEOUT": int(timeout),
        }
    raise EmailUrlError("IVP_EMAIL_URL must start with smtp://, smtp+tls://, smtps://, file:/// or console://")


def parse_base_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError("IVP_BASE_URL must be an http(s) address such as https://ivp.example.nl")
    return url.strip().rstrip("/")


def _email_settings() -> dict:
    url = os.environ.get("IVP_EMAIL_URL", "").strip()
    if not url:
        if IS_PRODUCTION:
            raise RuntimeError("IVP_EMAIL_URL must be set when IVP_ENV=production (e.g. smtp+tls://host:587)")
        url = "console://"
    try:
        return parse_email_url(url)
    except EmailUrlError as exc:
        raise RuntimeError(str(exc)) from None


def _base_url() -> str:
    url = os.environ.get("IVP_BASE_URL", "").strip()
    if not url:
        if IS_PRODUCTION:
            raise RuntimeError("IVP_BASE_URL must be set when IVP_ENV=production (e.g. https://ivp.example.nl)")
        url = "http://127.0.0.1:8000"
    try:
        return parse_base_url(url)
    except ValueError as exc:
        raise RuntimeError(str(exc)) from None


_EMAIL = _email_settings()
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_FILE_PATH = _EMAIL.get("EMAIL_FILE_PATH")
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = _EMAIL.get("EMAIL_TIMEOUT", DEFAULT_TIMEOUT)

IVP_BASE_URL = _base_url()
DEFAULT_FROM_EMAIL = os.environ.get("IVP_EMAIL_FROM", "").strip() or f"IVP <noreply@{urlsplit(IVP_BASE_URL).hostname}>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
