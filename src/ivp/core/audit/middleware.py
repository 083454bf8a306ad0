from django.conf import settings

from .context import origin
from .models import AuditOrigin


def client_ip(request) -> str | None:
    """The client's address; X-Forwarded-For only as far as IVP_TRUSTED_PROXY_COUNT allows."""
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with origin(AuditOrigin.WEB, client_ip(request)):
            return self.get_response(request)
