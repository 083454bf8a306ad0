from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ivp.core"
    label = "core"
    verbose_name = _("Organisations, roles and audit")

    def ready(self) -> None:
        from . import mfa, sessions  # noqa: F401  (user_logged_in receivers: session clock, IdP MFA)
        from .audit import signals  # noqa: F401  (login / failed-login / lockout events)
