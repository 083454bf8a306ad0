from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "ivp.api"
    label = "api"
    verbose_name = _("Open API")

    def ready(self) -> None:
        from . import audit_actions  # noqa: F401  (labels for the history pages)
