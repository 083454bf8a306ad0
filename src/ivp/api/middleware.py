"""Headers of every answer under /api/ (also errors, CORS preflights and unknown paths): the full API version
(NLGov API Design Rules, /core/version-header) and a Cross-Origin-Resource-Policy that lets other sites read the
open data (the pages keep same-origin)."""

from django.conf import settings


class ApiHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/api/"):
            response["API-Version"] = settings.IVP_API_VERSION
            response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response
