from django import forms
from django.utils.translation import gettext_lazy as _

from ivp.indicators.models import BreakKind, InterpretationScope
from ivp.plans.models import AdoptionStatus, SafetyDomain


class VersionedForm(forms.Form):
    """An edit form that carries, in a hidden field, the version of the row it was opened on: the service refuses
    the save when someone else saved in between (optimistic locking, ivp.core.locking). The same form without an
    initial version creates a row; then the version is simply not used."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    @property
    def expected_version(self) -> int | None:
        """The version the user's input is based on (None: not given, the service uses the one it reads)."""
        return self.cleaned_data.get("version")

    def service_values(self) -> dict:
        """The cleaned data as the services take them: without the version (pass `expected_version`)."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class LocalPriorityForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    domain = forms.ChoiceField(
        label=_("Domain"), choices=SafetyDomain.choices, initial=SafetyDomain.SOCIAL,
        help_text=_("Physical safety is outside the shared plan, but can be a local priority."),
    )
    description = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 6}), required=False)


class AdoptionForm(VersionedForm):
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


class InterpretationForm(VersionedForm):
    period = forms.CharField(label=_("Period"), max_length=20, help_text=_("For example 2024 or 2021-2024."))
    text = forms.CharField(label=_("Interpretation (duiding)"), widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("What does the figure mean? Causes, context, what is being done."))
    published = forms.BooleanField(label=_("Publish (the figure may then appear on public pages and in reports)"),
                                   required=False)
    scope = forms.ChoiceField(choices=InterpretationScope.choices, widget=forms.HiddenInput, required=False,
                              initial=InterpretationScope.FIGURE)

    def clean_scope(self) -> str:
        return self.cleaned_data.get("scope") or InterpretationScope.FIGURE


class StructuralBreakForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Until"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("Kind"), choices=BreakKind.choices)
    description = forms.CharField(label=_("Description"), max_length=500,
                                  help_text=_("What changed, so that readers do not compare what cannot be compared."))
