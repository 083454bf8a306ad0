"""Installed apps, middleware, templates, URLs.

Environment variables:
- IVP_DEBUG: show Django's debug pages (default: on in development, off in production;
  it cannot be switched on in production).
"""

from .env import IS_PRODUCTION, PACKAGE_DIR, env_bool

DEBUG = False if IS_PRODUCTION else env_bool("IVP_DEBUG", True)

INSTALLED_APPS = [
    "ivp.core.admin_apps.IvpAdminConfig",  # Django's admin, superusers only (ivp.core.admin_site)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "ivp.core",
    "ivp.notifications",
    "ivp.plans",
    "ivp.areas",
    "ivp.indicators",
    "ivp.budget",
    "ivp.partners",
    "ivp.information",
    "ivp.execution",
    "ivp.reports",
    "ivp.jobs",
    "ivp.web",
    "ivp.api",  # the open API: top of the layering, beside web
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ivp.api.middleware.ApiHeadersMiddleware",  # /api/ only: API-Version, cross-origin reads
    "corsheaders.middleware.CorsMiddleware",  # /api/ only (CORS_URLS_REGEX), before CommonMiddleware
    "csp.middleware.CSPMiddleware",
    "ivp.core.audit.middleware.AuditContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ivp.web.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ivp.core.security_headers.NoStoreMiddleware",  # outside the session/MFA middleware: sees their answers too
    "django_otp.middleware.OTPMiddleware",
    "ivp.core.sessions.SessionTimeoutMiddleware",
    "ivp.core.mfa.MFARequiredMiddleware",
    "ivp.core.audit.middleware.RefusedWriteAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ivp.core.security_headers.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "ivp.urls"
WSGI_APPLICATION = "ivp.wsgi.application"
AUTH_USER_MODEL = "core.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ivp.web.context_processors.navigation",
                "csp.context_processors.nonce",
            ],
        },
    },
]

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:start"  # "Mijn IVP", the start page of each role
LOGOUT_REDIRECT_URL = "web:plan_overview"

CSRF_FAILURE_VIEW = "ivp.web.views.errors.csrf_failure"

FIXTURE_DIRS = [PACKAGE_DIR / "fixtures"]
