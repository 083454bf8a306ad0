from django.conf import settings

from .context import origin
from .models import AuditOrigin, AuditResult
from .recorder import record_event


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


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RefusedWriteAuditMiddleware:
    """Records a signed-in user's write that was answered "not found" (404) as a refused access.

    A municipal user who posts to another municipality's object gets 404, not 403 (ADR 0002: the object's
    existence is not revealed), so neither the 403 handler nor a guard records it. This middleware does, after
    the response is made, without changing it: action `access.denied`, who, method and path, never the request
    body. Not recorded: reads (GET/HEAD) that find nothing (typos, stale links) and anonymous requests (write
    views need a sign-in first; an anonymous 404 is a scanner or a stale link, and recording them would let
    anyone fill the append-only trail).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.method in WRITE_METHODS:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                record_event(actor=user, action="access.denied", result=AuditResult.DENIED,
                             message=f"{request.method} {request.path} (404)"[:4000])
        return response
