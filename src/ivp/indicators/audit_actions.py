from django.utils.translation import gettext_lazy as _

from ivp.core.audit.labels import register_actions

register_actions({
    "opendata.import": _("Open data imported"),
    "interpretation.create": _("Interpretation written"),
    "interpretation.update": _("Interpretation changed"),
    "interpretation.cosign": _("Interpretation co-signed by the police"),
    "interpretation.remark": _("Remark on the interpretation"),
    "interpretation.remark_handled": _("Remark on the interpretation marked as handled"),
    "structural_break.create": _("Structural break added"),
    "local_figures.upload": _("Own figures uploaded"),
})
