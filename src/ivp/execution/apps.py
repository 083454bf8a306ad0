from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExecutionConfig(AppConfig):
    name = "ivp.execution"
    label = "execution"
    verbose_name = _("Execution")

    def ready(self) -> None:
        from ivp.plans.signals import plan_version_adopted

        from . import audit_actions, notifications  # noqa: F401  (history labels; notification kinds and scans)
        from .services import carry_over_on_adoption

        plan_version_adopted.connect(carry_over_on_adoption, dispatch_uid="execution_carry_over")
