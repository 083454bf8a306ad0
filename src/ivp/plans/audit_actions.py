from django.utils.translation import gettext_lazy as _

from ivp.core.audit.labels import register_actions

register_actions({
    "plan.load": _("Plan version loaded"),
    "local_priority.create": _("Local priority added"),
    "local_priority.update": _("Local priority changed"),
    "local_priority.delete": _("Local priority deleted"),
    "adoption.update": _("Adoption updated"),
    "plan.propose": _("Proposal for a new plan version started"),
    "plan.next_period": _("Plan for the next period started"),
    "plan.consult": _("Proposal put out for consultation"),
    "plan.discard": _("Proposal withdrawn"),
    "plan.adopt": _("Proposal adopted by every council: now the plan in force"),
    "proposal.theme.create": _("Theme added to the proposal"),
    "proposal.theme.update": _("Theme in the proposal changed"),
    "proposal.theme.delete": _("Theme removed from the proposal"),
    "proposal.statement.create": _("Text added to a theme in the proposal"),
    "proposal.statement.update": _("Text of a theme in the proposal changed"),
    "proposal.statement.delete": _("Text removed from a theme in the proposal"),
    "proposal.item.create": _("Goal, focus or principle added to the proposal"),
    "proposal.item.update": _("Goal, focus or principle in the proposal changed"),
    "proposal.item.delete": _("Goal, focus or principle removed from the proposal"),
})
