from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    name = "ivp.information"
    label = "information"
    verbose_name = _("Information position")

    def ready(self) -> None:
        from . import audit_actions  # noqa: F401  (labels for the history pages)
        from .figures import connect

        connect()  # the register figures of the cycle follow every committed register change
