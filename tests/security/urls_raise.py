"""The app's URLs plus a view that raises, for the error-page tests."""

from django.urls import path

from ivp.urls import handler403  # noqa: F401
from ivp.urls import urlpatterns as app_urlpatterns


def boom(request):
    raise RuntimeError("secret-internal-detail: database password is hunter2")


urlpatterns = [path("kapot/", boom), *app_urlpatterns]
