from django.utils.translation import gettext_lazy as _

from ivp.core.audit.labels import register_actions

register_actions({
    "opendata.import": _("Open data imported"),
})
