from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "ivp.plans"
    label = "plans"
    verbose_name = _("Safety plan")

    def ready(self) -> None:
        from . import audit_actions  # noqa: F401  (labels for the history pages)
