"""The app's URLs with OpenID Connect switched on (as ivp.urls does when IVP_OIDC_ENABLED is set)."""

from django.urls import include, path

from ivp.urls import handler403  # noqa: F401
from ivp.urls import urlpatterns as app_urlpatterns

urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), *app_urlpatterns]
