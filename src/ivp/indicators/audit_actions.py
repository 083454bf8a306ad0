from django.utils.translation import gettext_lazy as _

from ivp.core.audit.labels import register_actions

register_actions({
    "opendata.import": _("Open data imported"),
    "interpretation.create": _("Interpretation written"),
    "interpretation.update": _("Interpretation changed"),
    "interpretation.cosign": _("Interpretation co-signed by the police"),
    "structural_break.create": _("Structural break added"),
    "local_figures.upload": _("Own figures uploaded"),
})
