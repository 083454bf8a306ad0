from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "ivp.budget"
    label = "budget"
    verbose_name = _("Safety fund")

    def ready(self) -> None:
        from . import audit_actions  # noqa: F401  (labels for the history pages)
