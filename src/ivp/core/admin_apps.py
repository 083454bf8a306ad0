"""Django's admin with IVP's site (ivp.core.admin_site: superusers only, no login loop). Listed in INSTALLED_APPS
instead of "django.contrib.admin"; kept apart from ivp.core.apps so that Django finds CoreConfig as the core app's
only configuration."""

from django.contrib.admin.apps import AdminConfig


class IvpAdminConfig(AdminConfig):
    default_site = "ivp.core.admin_site.IvpAdminSite"
