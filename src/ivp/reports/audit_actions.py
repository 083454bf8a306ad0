from django.utils.translation import gettext_lazy as _

from ivp.core.audit.labels import register_actions

register_actions({
    "report_run.request": _("Report requested"),
    "report_run.execute": _("Report made"),
    "council_report.create": _("Report draft started"),
    "council_report.save": _("Report conclusions saved"),
    "council_report.adopt": _("Report adopted by the college (files kept)"),
    "council_report.present": _("Report presented to the council"),
    "council_report.make": _("Report requested"),
    "council_report.new_version": _("Report draft started"),
})
