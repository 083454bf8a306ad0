from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExecutionConfig(AppConfig):
    name = "ivp.execution"
    label = "execution"
    verbose_name = _("Execution")

    def ready(self) -> None:
        from . import audit_actions, notifications  # noqa: F401  (history labels; notification kinds and scans)
