from django import forms
from django.utils.translation import gettext_lazy as _

from ivp.plans.models import AdoptionStatus, SafetyDomain


class LocalPriorityForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    domain = forms.ChoiceField(
        label=_("Domein"), choices=SafetyDomain.choices, initial=SafetyDomain.SOCIAL,
        help_text=_("Fysieke veiligheid valt buiten het gezamenlijke plan, maar kan een lokale prioriteit zijn."),
    )
    description = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 6}), required=False)


class AdoptionForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AdoptionStatus.choices)
    date = forms.DateField(label=_("Datum raadsbesluit"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           help_text=_("Verplicht als de raad het plan heeft vastgesteld."))
    decision_reference = forms.CharField(label=_("Kenmerk raadsbesluit"), max_length=200, required=False)


def apply_service_errors(form: forms.Form, exc) -> None:
    """Show a service's ValidationError on the form, so the user's input stays on screen."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
