from django.utils.translation import gettext_lazy as _

from ivp.core.audit.labels import register_actions

register_actions({
    "plan.load": _("Plan version loaded"),
    "local_priority.create": _("Local priority added"),
    "local_priority.update": _("Local priority changed"),
    "local_priority.delete": _("Local priority deleted"),
    "adoption.update": _("Adoption updated"),
})
