"""Response headers Django has no setting for: Permissions-Policy and Cross-Origin-Resource-Policy
(values in settings/security.py), and Cache-Control for signed-in users and downloads."""

from django.conf import settings
from django.utils.cache import patch_cache_control


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


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user and on every download.

    Internal pages and exports hold data that is not public (other municipalities' plans, the fund, figures
    before publication); a shared computer's browser cache or a proxy must not keep them after the user signs
    out. Pages for anonymous visitors (the published plan) stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        attachment = response.get("Content-Disposition", "").strip().lower().startswith("attachment")
        if signed_in or attachment:
            patch_cache_control(response, private=True, no_store=True)
        return response
