from django.utils.translation import gettext_lazy as _

from ivp.core.audit.labels import register_actions

register_actions({
    "budget.rate_set": _("Fund rate per inhabitant set"),
    "budget.negative_balance_approve": _("Negative fund balance approved"),
    "budget.allocation_create": _("Fund allocation added"),
    "budget.allocation_update": _("Fund allocation changed"),
    "budget.allocation_delete": _("Fund allocation deleted"),
    "budget.commitment_create": _("Commitment added"),
    "budget.commitment_delete": _("Commitment deleted"),
    "budget.expenditure_create": _("Expenditure added"),
    "budget.expenditure_delete": _("Expenditure deleted"),
})
