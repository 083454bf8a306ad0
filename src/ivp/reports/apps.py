from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ivp.reports"
    label = "reports"
    verbose_name = _("Council reports")

    def ready(self) -> None:
        from . import audit_actions, notifications  # noqa: F401  (history labels; notification kinds and scans)
