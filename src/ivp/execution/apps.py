from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExecutionConfig(AppConfig):
    name = "ivp.execution"
    label = "execution"
    verbose_name = _("Execution")

    def ready(self) -> None:
        from . import audit_actions  # noqa: F401  (labels for the history pages)
