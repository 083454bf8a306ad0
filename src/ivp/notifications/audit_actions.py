from django.utils.translation import gettext_lazy as _

from ivp.core.audit.labels import register_actions

register_actions({
    "notification.read": _("Notification marked as read"),
    "notification.read_all": _("All notifications marked as read"),
    "notification.preferences": _("Notification preferences changed"),
})
