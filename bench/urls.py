"""The product's URLs plus one bench-only page (not in ivp.urls): the floor of the HTTP benchmark.

`/__bench__/minimal/` goes through the same middleware stack (sessions, auth, CSRF, security headers) and renders
a tiny template with one query-free context, so "page / minimal page" is the cost of the page's own work."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang=\"nl\"><head><title>minimal</title></head><body><h1>{{ title }}</h1></body></html>")


def minimal(request):
    return HttpResponse(_TEMPLATE.render({"title": "minimal"}, request))


urlpatterns = [
    path("__bench__/minimal/", minimal),
    path("", include("ivp.urls")),
]
