from django.utils.translation import gettext_lazy as _

from ivp.core.audit.labels import register_actions

register_actions({
    "execution_plan.create": _("Execution plan created"),
    "execution_plan.update": _("Execution plan changed"),
    "theme_adjustment.save": _("Local adjustment of a theme saved"),
    "activity.create": _("Activity added"),
    "activity.update": _("Activity changed"),
    "activity.status_update": _("Status update added"),
    "milestone.create": _("Milestone added"),
    "milestone.update": _("Milestone changed"),
    "milestone.delete": _("Milestone deleted"),
    "execution_plan.carry_over": _("Execution plan moved to the new plan version"),
})
