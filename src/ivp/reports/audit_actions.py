from django.utils.translation import gettext_lazy as _

from ivp.core.audit.labels import register_actions

register_actions({
    "report_run.request": _("Report requested"),
    "report_run.execute": _("Report made"),
})
