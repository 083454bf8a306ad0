from django.utils.translation import gettext_lazy as _

from ivp.core.audit.labels import register_actions

register_actions({
    "information.signal.create": _("Signal count added"),
    "information.signal.update": _("Signal count changed"),
    "information.control.create": _("Integral control added"),
    "information.control.update": _("Integral control changed"),
    "information.bibob.save": _("Bibob count saved"),
    "information.youth_group.create": _("Youth group added"),
    "information.youth_group.update": _("Youth group changed"),
    "information.lio.save": _("LIO meeting saved"),
    "information.ave.save": _("AVE count saved"),
    "information.share.create": _("Register shared with a partner"),
    "information.share.delete": _("Register no longer shared"),
    "information.delete": _("Register row deleted"),
    "information.import_signals": _("Signals imported"),
    "information.read": _("Information register read"),
    "information.summary": _("Information summary read"),
    "information.purge": _("Expired register rows deleted"),
    # An attempt to open a register's edit page (recorded when it is refused: web/views/information.py).
    "information.signals.edit": _("Editing the signals register"),
    "information.controls.edit": _("Editing the integral controls register"),
    "information.bibob.edit": _("Editing the Bibob register"),
    "information.youth_groups.edit": _("Editing the youth groups register"),
    "information.lio.edit": _("Editing the LIO meetings register"),
    "information.ave.edit": _("Editing the AVE register"),
})
