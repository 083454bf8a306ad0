"""Forms of the execution pages: execution plans, local adjustments, activities, status updates, milestones.

The forms only parse input; the rules (at least one focus lens, an owner, roles, versions) live in
`ivp.execution.services`, whose ValidationErrors are shown on these forms (`apply_service_errors`).
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ivp.core.selectors import partners as partner_organisations
from ivp.execution.models import ActivityStatus, ExecutionPlanStatus, PartnerRole
from ivp.execution.services import NO_OWNER_MESSAGE
from ivp.information.models import SignalCategory
from ivp.money import format_euros, parse_euros

from .forms import VersionedForm

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class EuroField(forms.CharField):
    """An amount in euros as people type it ('1.250', '1.250,50', '€ 80') -> integer cents."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("In euros, for example 12.500 or 1.250,50."))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_euros(value, symbol=False)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return parse_euros(value)
        except ValueError:
            raise forms.ValidationError(_("Enter an amount in euros, for example 12.500 or 1.250,50."),
                                        code="invalid") from None


def _checkbox_widget():
    return forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"})


def _checkboxes(label, queryset, help_text=""):
    return forms.ModelMultipleChoiceField(label=label, queryset=queryset, required=False, help_text=help_text,
                                          widget=_checkbox_widget())


class ExecutionPlanForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=ExecutionPlanStatus.choices)
    adopted_on = forms.DateField(label=_("Date of the college decision"), required=False,
                                 help_text=_("Required once the college has adopted the execution plan."),
                                 **DATE_WIDGET)
    decision_reference = forms.CharField(label=_("College decision reference"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, periods=None, local_priorities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if periods is not None:
            self.fields = {"period_start": forms.TypedChoiceField(
                label=_("Period"), coerce=int, choices=[(start, f"{start}-{end}") for start, end in periods]),
                **self.fields}
        if local_priorities is not None:
            self.fields["local_priorities"] = _checkboxes(
                _("Local priorities in this execution plan"), local_priorities,
                _("The municipality's own priorities that this execution plan takes on, besides the shared themes."))


class ThemeAdjustmentForm(VersionedForm):
    local_target = forms.CharField(
        label=_("Local target"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("What the municipality aims for on this theme in this period. Empty: the shared plan applies "
                    "as it is."))
    not_applicable = forms.BooleanField(label=_("Not applicable here"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             help_text=_("Required when the theme does not apply here."))


class ActivityForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None,
                                   error_messages={"required": NO_OWNER_MESSAGE},
                                   help_text=_("Who is responsible and gives the status updates."))
    focus_lenses = forms.ModelMultipleChoiceField(
        label=_("Focus lenses"), queryset=None, required=False, widget=_checkbox_widget(),
        help_text=_("Every activity serves at least one."))
    themes = forms.ModelMultipleChoiceField(label=_("Themes and sub-themes"), queryset=None, required=False,
                                            widget=_checkbox_widget())
    local_priorities = forms.ModelMultipleChoiceField(label=_("Local priorities"), queryset=None, required=False,
                                                      widget=_checkbox_widget())
    wijken = forms.ModelMultipleChoiceField(label=_("Districts (wijken) where it takes place"), queryset=None,
                                            required=False, widget=_checkbox_widget(),
                                            help_text=_("None ticked: the whole municipality."))
    planned_budget_cents = EuroField(label=_("Planned budget"))
    actual_budget_cents = EuroField(label=_("Spent so far"))
    budget_as_of = forms.DateField(
        label=_("Spending as of"), required=False, **DATE_WIDGET,
        help_text=_("The date the amount spent describes (peildatum). Empty: today when the amount changes."))
    start_date = forms.DateField(label=_("Start date"), required=False, **DATE_WIDGET)
    end_date = forms.DateField(label=_("End date"), required=False, **DATE_WIDGET)
    is_public = forms.BooleanField(
        label=_("Show this activity on the public pages"), required=False,
        help_text=_("Residents then see the title, description, themes, focus lenses, status, the organisation "
                    "responsible and the planned budget; never the owner's name, the spending or internal "
                    "explanations."))

    signal_categories = forms.MultipleChoiceField(
        label=_("Signal categories this activity addresses"), choices=SignalCategory.choices, required=False,
        widget=_checkbox_widget(), help_text=_("Optional: the kinds of signals in the information position that this "
                                              "activity responds to."))
    youth_groups = forms.ModelMultipleChoiceField(
        label=_("Youth groups this activity addresses"), queryset=None, required=False, widget=_checkbox_widget(),
        help_text=_("Optional. Shown only to those who may read the information registers."))

    def __init__(self, *args, owners, lenses, themes, local_priorities, wijken, youth_groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if youth_groups is None:
            del self.fields["youth_groups"]  # the viewer may not read the youth groups register: left as it is
        else:
            self.fields["youth_groups"].queryset = youth_groups
        self.fields["owner"].queryset = owners
        self.fields["focus_lenses"].queryset = lenses
        self.fields["themes"].queryset = themes
        self.fields["local_priorities"].queryset = local_priorities
        self.fields["wijken"].queryset = wijken
        self.partner_names = {}
        for organisation in partner_organisations():
            name = f"partner_{organisation.pk}"
            self.fields[name] = forms.ChoiceField(
                label=organisation.name, required=False,
                choices=[("", _("not involved")), *PartnerRole.choices],
                widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}))
            self.partner_names[name] = organisation
        self.fields["themes"].label_from_instance = lambda t: f"{t.number} {t.title}"

    def partner_fields(self):
        return [self[name] for name in self.partner_names]

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.partner_names and name != "version"]

    def service_values(self) -> dict:
        data = super().service_values()
        partners = {}
        for name, organisation in self.partner_names.items():
            role = data.pop(name, "")
            if role:
                partners[organisation] = role
        data["partners"] = partners
        return data

    @staticmethod
    def initial_for(activity) -> dict:
        initial = {
            "title": activity.title, "description": activity.description, "owner": activity.owner_id,
            "focus_lenses": list(activity.focus_lenses.all()), "themes": list(activity.themes.all()),
            "local_priorities": list(activity.local_priorities.all()), "wijken": list(activity.wijken.all()),
            "planned_budget_cents": activity.planned_budget_cents, "actual_budget_cents": activity.actual_budget_cents,
            "budget_as_of": activity.budget_as_of, "start_date": activity.start_date, "end_date": activity.end_date,
            "is_public": activity.is_public, "version": activity.version,
            "signal_categories": list(activity.signal_categories or []),
            "youth_groups": list(activity.youth_groups.all()),
        }
        for role in activity.partner_roles.all():
            initial[f"partner_{role.organisation_id}"] = role.role
        return initial


class StatusUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", "---------"), *ActivityStatus.choices])
    narrative = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("What happened since the last update, and what comes next."))
    as_of = forms.DateField(label=_("As of"), required=False, **DATE_WIDGET,
                            help_text=_("The date this status describes (peildatum), e.g. 31-12-2024 for the state "
                                        "at the end of 2024. Empty: today."))
    narrative_public = forms.BooleanField(
        label=_("The explanation may appear on the public pages"), required=False,
        help_text=_("Only for an activity shown on the public pages. Leave unticked for internal explanations."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()


class MilestoneDoneForm(forms.Form):
    """Marking a milestone as done: the date it was reached (default today)."""

    done_on = forms.DateField(label=_("Reached on"), required=False, **DATE_WIDGET)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), **DATE_WIDGET)
