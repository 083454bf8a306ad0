from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "ivp.partners"
    label = "partners"
    verbose_name = _("Partners and agreements")

    def ready(self) -> None:
        from . import audit_actions, notifications  # noqa: F401  (history labels; notification kinds and scans)
