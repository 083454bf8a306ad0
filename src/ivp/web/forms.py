from django import forms
from django.utils.translation import gettext_lazy as _

from ivp.plans.models import AdoptionStatus, SafetyDomain


class LocalPriorityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    domain = forms.ChoiceField(
        label=_("Domain"), choices=SafetyDomain.choices, initial=SafetyDomain.SOCIAL,
        help_text=_("Physical safety is outside the shared plan, but can be a local priority."),
    )
    description = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 6}), required=False)


class AdoptionForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AdoptionStatus.choices)
    date = forms.DateField(label=_("Date of council decision"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           help_text=_("Required if the council has adopted the plan."))
    decision_reference = forms.CharField(label=_("Council decision reference"), max_length=200, required=False)


def apply_service_errors(form: forms.Form, exc) -> None:
    """Show a service's ValidationError on the form, so the user's input stays on screen."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
