from django.utils.translation import gettext_lazy as _

from ivp.core.audit.labels import register_actions

register_actions({
    "partner_profile.create": _("Partner register entry created"),
    "partner_profile.update": _("Partner register entry changed"),
    "agreement.create": _("Cooperation agreement added"),
    "agreement.update": _("Cooperation agreement changed"),
})
