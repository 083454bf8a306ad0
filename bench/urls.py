"""The product's URLs plus bench-only pages (not in ivp.urls): the floor of the HTTP benchmark.

`/__bench__/minimal/` goes through the same middleware stack (sessions, auth, CSRF, security headers) and renders
a tiny template with one query-free context, so "page / minimal page" is the cost of the page's own work."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from rest_framework.response import Response

from ivp.api.views import ReadView

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang=\"nl\"><head><title>minimal</title></head><body><h1>{{ title }}</h1></body></html>")


def minimal(request):
    return HttpResponse(_TEMPLATE.render({"title": "minimal"}, request))


class ApiMinimal(ReadView):
    """The floor of the API benchmark: the API's whole stack (middleware, token authentication, throttling, JSON
    rendering) around a constant body."""

    def get(self, request):
        return Response({"minimal": True})


urlpatterns = [
    path("__bench__/minimal/", minimal),
    path("api/v1/__bench__/minimal", ApiMinimal.as_view()),
    path("", include("ivp.urls")),
]
