"""The open JSON API under /api/v1 (ivp.api, ADR 0019): Django REST framework, drf-spectacular, CORS.

Environment variables:
- IVP_API_RATE_ANONYMOUS: requests without a token per client address, as `N/second|minute|hour|day`
  (default 120/minute).
- IVP_API_RATE_TOKEN: requests with a personal token per user (default 600/minute).
- IVP_API_TOKEN_DAYS: how long a new personal API token is valid, in days (default 180; at most 730).
- IVP_API_CORS_ORIGINS: comma-separated origins whose scripts may read the API (GET, HEAD, OPTIONS; no
  credentials). Default `*`: every origin, the API is open data. The pages never send CORS headers.
"""

import os
import re

from .env import env_list, env_positive_int

IVP_API_VERSION = "1.0.0"  # semantic version; the major version is in the path (/api/v1)

_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def _rate(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip() or default
    if not _RATE.match(value):
        raise RuntimeError(f"{name} must look like 120/minute (a number, a slash, second|minute|hour|day), "
                           f"not {value!r}")
    return value


IVP_API_RATE_ANONYMOUS = _rate("IVP_API_RATE_ANONYMOUS", "120/minute")
IVP_API_RATE_TOKEN = _rate("IVP_API_RATE_TOKEN", "600/minute")
IVP_API_TOKEN_MAX_DAYS = 730
IVP_API_TOKEN_DAYS = env_positive_int("IVP_API_TOKEN_DAYS", 180, unit="days")
if IVP_API_TOKEN_DAYS > IVP_API_TOKEN_MAX_DAYS:
    raise RuntimeError(f"IVP_API_TOKEN_DAYS must be at most {IVP_API_TOKEN_MAX_DAYS}, not {IVP_API_TOKEN_DAYS}")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["ivp.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],  # who sees what: for_user + the gate
    "DEFAULT_THROTTLE_CLASSES": ["ivp.api.throttling.AnonymousRate", "ivp.api.throttling.TokenRate"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],  # read-only: no request bodies
    "DEFAULT_PAGINATION_CLASS": "ivp.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ivp.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "UNICODE_JSON": True,
    "COERCE_DECIMAL_TO_STRING": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "IVP open API",
    "DESCRIPTION": (
        "Open data of the Integraal Veiligheidsplan (integral safety plan) of police base team Meierij: the plan, "
        "its themes, goals and focus lenses, the municipalities and areas (CBS codes), the indicators, the "
        "published figure series with their interpretation (duiding), the safety fund per year and the council "
        "reports presented to the council. Without a token you see what the public pages show; with a personal "
        "read token (Authorization: Bearer ...) what its owner sees on the pages. Read-only (GET). Errors are "
        "application/problem+json (RFC 9457). Follows the NLGov REST API Design Rules; see docs/adr/0019."),
    "VERSION": IVP_API_VERSION,
    "CONTACT": {"name": "IVP Meierij", "url": "https://github.com/"},
    "LICENSE": {"name": "EUPL-1.2 (software); data: CC0 where the source allows (CBS, Politie: CC BY 4.0)"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVERS": [{"url": "/api/v1"}],
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "COMPONENT_SPLIT_REQUEST": False,
    "ENUM_NAME_OVERRIDES": {},
    "DISABLE_ERRORS_AND_WARNINGS": False,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "ivp.api.schema.add_problems_and_version"],
}

# django-cors-headers: only the API, only reads, no cookies.
CORS_URLS_REGEX = r"^/api/.*$"
_origins = env_list("IVP_API_CORS_ORIGINS", ["*"])
CORS_ALLOW_ALL_ORIGINS = _origins == ["*"]
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else _origins
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "authorization"]
CORS_EXPOSE_HEADERS = ["API-Version", "Retry-After"]
CORS_ALLOW_CREDENTIALS = False
CORS_PREFLIGHT_MAX_AGE = 3600
