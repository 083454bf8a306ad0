from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # The admin signs in through our login page (lockout, two-factor), never through its own form.
    path("beheer/login/", RedirectView.as_view(pattern_name="web:login", query_string=True)),
    path("beheer/", admin.site.urls),
    # Browsers ask for /favicon.ico before (or without) reading the page's <link rel="icon">.
    path("favicon.ico", RedirectView.as_view(url=static("ivp/favicon.svg"), permanent=True)),
    path("", include("ivp.api.urls")),  # /api/v1 (before the pages: no trailing-slash redirect under /api/)
    path("", include("ivp.web.urls")),
]

if settings.IVP_OIDC_ENABLED:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))

handler403 = "ivp.web.views.errors.permission_denied"
