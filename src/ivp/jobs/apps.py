from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "ivp.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Every app's `scheduled.py` registers its periodic jobs (ivp.jobs.schedule.scheduled(...)).
        autodiscover_modules("scheduled")
