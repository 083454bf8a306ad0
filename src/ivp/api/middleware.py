"""Headers of every answer under /api/ (also errors, CORS preflights and unknown paths): the full API version
(NLGov API Design Rules, /core/version-header) and a Cross-Origin-Resource-Policy that lets other sites read the
open data (the pages keep same-origin)."""

from django.conf import settings
from django.utils.cache import patch_vary_headers


class ApiHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/api/"):
            response["API-Version"] = settings.IVP_API_VERSION
            response["Cross-Origin-Resource-Policy"] = "cross-origin"
            # What an answer depends on: the token (its owner's view) and the language of the texts.
            patch_vary_headers(response, ["Authorization", "Accept-Language"])
        return response
