"""Response headers Django has no setting for: Permissions-Policy and Cross-Origin-Resource-Policy
(values in settings/security.py)."""

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "IVP_PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        corp = getattr(settings, "IVP_CROSS_ORIGIN_RESOURCE_POLICY", "")
        if corp:
            response.headers.setdefault("Cross-Origin-Resource-Policy", corp)
        return response
