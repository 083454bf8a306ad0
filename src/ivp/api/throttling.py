"""Rate limits (DRF throttling): per client address for anonymous requests, per user for token requests. Rates in
settings (IVP_API_RATE_ANONYMOUS, IVP_API_RATE_TOKEN); a request over the limit answers 429 problem+json with
Retry-After. Counted in the `default` cache, so per server process (docs/configuration.md)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from ivp.core.audit.middleware import client_ip


class AnonymousRate(AnonRateThrottle):
    scope = "api_anonymous"

    def get_ident(self, request):
        # The same trusted-proxy rule as the audit trail and the sign-in lockout.
        return client_ip(request) or "unknown"

    def get_rate(self):
        return settings.IVP_API_RATE_ANONYMOUS


class TokenRate(UserRateThrottle):
    scope = "api_token"

    def get_ident(self, request):
        return client_ip(request) or "unknown"

    def get_rate(self):
        return settings.IVP_API_RATE_TOKEN
