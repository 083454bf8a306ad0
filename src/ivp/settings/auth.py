"""Signing in: login lockout (django-axes), two-factor authentication (django-otp TOTP), optional
OpenID Connect (mozilla-django-oidc), session time limits.

Environment variables:
- IVP_LOGIN_FAILURE_LIMIT: failed sign-in attempts (password or MFA code) after which the
  combination of user name and client IP is locked out (default 5).
- IVP_LOGIN_COOLOFF_MINUTES: how long such a lockout lasts, in minutes (default 15).
- IVP_SESSION_IDLE_MINUTES: a signed-in session without a request for this long is ended (default 30).
- IVP_SESSION_MAX_HOURS: a session is ended this long after signing in, active or not (default 10).
- IVP_LOGIN_RECORDS_RETENTION_DAYS: sign-in records (IP address, browser: django-axes' logs and attempts, the
  audit trail's sign-in events) older than this are deleted by `ivp purge_login_records` (default 180).
- IVP_MFA_ISSUER: the name authenticator apps show for the TOTP entry (default "IVP Meierij").
- IVP_OIDC_ENABLED: offer "Sign in with <provider>" via OpenID Connect (default off).
- IVP_OIDC_PROVIDER_NAME: the provider's name on the button (default "SSO").
- IVP_OIDC_AUTHORIZATION_ENDPOINT, IVP_OIDC_TOKEN_ENDPOINT, IVP_OIDC_USERINFO_ENDPOINT,
  IVP_OIDC_JWKS_ENDPOINT: the provider's endpoints (https URLs; see its
  /.well-known/openid-configuration). Signing out of IVP ends the IVP session only, not the
  provider's.
- IVP_OIDC_CLIENT_ID, IVP_OIDC_CLIENT_SECRET: this application's registration at the provider.
- IVP_OIDC_SIGN_ALGO: the ID token's signature algorithm (default RS256; RS256 needs the JWKS endpoint).
- IVP_OIDC_SCOPES: requested scopes (default "openid email profile").
- IVP_OIDC_USERNAME_CLAIM: the claim matched against an existing IVP user (default "email").
- IVP_OIDC_MATCH_FIELD: the user field it is matched with: "email" or "username" (default "email").
- IVP_OIDC_CREATE_USERS: create an IVP user for an unknown, verified identity (default off). Such a
  user gets no role: roles come only from IVP memberships.
- IVP_OIDC_TRUSTS_MFA: count the provider's multi-factor authentication as IVP's second factor when
  the ID token says so (default off: editors then still enter an IVP TOTP code).
- IVP_OIDC_MFA_AMR: `amr` values that mean multi-factor (default "mfa,otp,hwk,swk,sc,fido").
- IVP_OIDC_MFA_ACR: `acr` values that mean multi-factor (default empty: only `amr` is checked),
  e.g. "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract".
"""

import datetime as dt
import os
from urllib.parse import urlsplit

from .env import env_bool, env_list, env_positive_int

# --- Lockout (django-axes) -----------------------------------------------------------------------
# Locked by the COMBINATION of user name and client IP: an attacker at one address cannot lock out
# every user (only the names they try, from their own address), and a user is not locked out
# everywhere because someone elsewhere guesses their password (they can still sign in from their
# own address). Password spraying across many names from one address is slowed by each name's own
# limit and shows up in the audit trail (auth.login_failed / auth.lockout).
AXES_FAILURE_LIMIT = env_positive_int("IVP_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_positive_int("IVP_LOGIN_COOLOFF_MINUTES", 15, unit="minutes"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lockout ends when the page says it does
AXES_CLIENT_IP_CALLABLE = "ivp.core.audit.middleware.client_ip"  # same trusted-proxy rule as the trail
AXES_LOCKOUT_CALLABLE = "ivp.web.views.auth.lockout_response"  # Dutch page, status 429
# The user name is masked in axes' stored request data too: it can be a password typed into the wrong field.
AXES_SENSITIVE_PARAMETERS = ["username", "password", "otp_token", "csrfmiddlewaretoken"]
# What axes locks, stores and logs as the user name: an existing account's name, else a keyed hash of the text.
AXES_USERNAME_CALLABLE = "ivp.core.login_records.axes_username"
AXES_HTTP_RESPONSE_CODE = 429

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out user before the password check
    "django.contrib.auth.backends.ModelBackend",
]

# Retention of sign-in records (ivp.core.login_records, `ivp purge_login_records`).
IVP_LOGIN_RECORDS_RETENTION_DAYS = env_positive_int("IVP_LOGIN_RECORDS_RETENTION_DAYS", 180, unit="days")

# --- Two-factor authentication (django-otp) ------------------------------------------------------
# Who needs it: ivp.core.mfa.requires_mfa (users who can edit: coordinator, advisor, staff, superusers).
OTP_TOTP_ISSUER = os.environ.get("IVP_MFA_ISSUER", "").strip() or "IVP Meierij"
# The only pages an editor may open before entering a code (besides static files).
IVP_MFA_EXEMPT_URL_NAMES = ["web:mfa_verify", "web:mfa_setup", "web:logout", "web:login"]
IVP_MFA_VERIFY_URL = "web:mfa_verify"
# The open API (ivp.api) ignores the session: a request there is anonymous or carries a personal token.
IVP_MFA_EXEMPT_PATH_PREFIXES = ["/api/"]

# --- "Forgot password" (Django's reset views, ivp.web.views.auth) -----------------------------------------------
# The link in the reset e-mail works once (Django's token changes with the password) and for two hours.
PASSWORD_RESET_TIMEOUT = 2 * 3600

# --- Session time limits (ivp.core.sessions.SessionTimeoutMiddleware) ----------------------------
IVP_SESSION_IDLE_SECONDS = env_positive_int("IVP_SESSION_IDLE_MINUTES", 30, unit="minutes") * 60
IVP_SESSION_MAX_SECONDS = env_positive_int("IVP_SESSION_MAX_HOURS", 10, unit="hours") * 3600
SESSION_COOKIE_AGE = IVP_SESSION_MAX_SECONDS

# --- OpenID Connect (mozilla-django-oidc), off by default -----------------------------------------
IVP_OIDC_ENABLED = env_bool("IVP_OIDC_ENABLED", False)
IVP_OIDC_PROVIDER_NAME = os.environ.get("IVP_OIDC_PROVIDER_NAME", "").strip() or "SSO"
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("IVP_OIDC_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("IVP_OIDC_TOKEN_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = os.environ.get("IVP_OIDC_USERINFO_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("IVP_OIDC_JWKS_ENDPOINT", "").strip() or None
OIDC_RP_CLIENT_ID = os.environ.get("IVP_OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("IVP_OIDC_CLIENT_SECRET", "").strip()
OIDC_RP_SIGN_ALGO = os.environ.get("IVP_OIDC_SIGN_ALGO", "").strip() or "RS256"
OIDC_RP_SCOPES = os.environ.get("IVP_OIDC_SCOPES", "").strip() or "openid email profile"
OIDC_TIMEOUT = 10
OIDC_USE_PKCE = True
OIDC_CREATE_USER = env_bool("IVP_OIDC_CREATE_USERS", False)
IVP_OIDC_USERNAME_CLAIM = os.environ.get("IVP_OIDC_USERNAME_CLAIM", "").strip() or "email"
IVP_OIDC_MATCH_FIELD = os.environ.get("IVP_OIDC_MATCH_FIELD", "").strip() or "email"
if IVP_OIDC_MATCH_FIELD not in {"email", "username"}:
    raise RuntimeError(f"IVP_OIDC_MATCH_FIELD must be 'email' or 'username', not {IVP_OIDC_MATCH_FIELD!r}")
IVP_OIDC_TRUSTS_MFA = env_bool("IVP_OIDC_TRUSTS_MFA", False)
IVP_OIDC_MFA_AMR = env_list("IVP_OIDC_MFA_AMR", ["mfa", "otp", "hwk", "swk", "sc", "fido"])
IVP_OIDC_MFA_ACR = env_list("IVP_OIDC_MFA_ACR", [])
LOGIN_REDIRECT_URL_FAILURE = "web:login"  # mozilla-django-oidc: back to our login page on failure
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"

if IVP_OIDC_ENABLED:
    _missing = [name for name, value in {
        "IVP_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
        "IVP_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT, "IVP_OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
        "IVP_OIDC_CLIENT_ID": OIDC_RP_CLIENT_ID, "IVP_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
    }.items() if not value]
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES", "PS")) and not OIDC_OP_JWKS_ENDPOINT:
        _missing.append("IVP_OIDC_JWKS_ENDPOINT")
    if _missing:
        raise RuntimeError("IVP_OIDC_ENABLED is on but these are not set: " + ", ".join(_missing))
    AUTHENTICATION_BACKENDS.append("ivp.core.oidc.IvpOIDCBackend")

_authorization = urlsplit(OIDC_OP_AUTHORIZATION_ENDPOINT)
IVP_OIDC_ORIGIN = f"{_authorization.scheme}://{_authorization.netloc}" if IVP_OIDC_ENABLED else ""
