from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "ivp.indicators"
    label = "indicators"
    verbose_name = _("Figures and indicators")

    def ready(self) -> None:
        from . import audit_actions, notifications  # noqa: F401  (history labels; notification kinds and scans)
