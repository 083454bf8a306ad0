"""Forms of the information registers (the services validate again, including the personal-data check)."""

from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ivp.areas.models import Area, AreaLevel
from ivp.information.models import (
    ApproachPhase,
    AveStage,
    BibobKind,
    BibobOutcome,
    ControlPartner,
    FollowUp,
    PremisesKind,
    Register,
    SignalCategory,
    SignalSource,
    SizeBand,
    YouthGroupType,
)
from ivp.information.pii import MAX_TEXT_LENGTH

from .forms import VersionedForm

_DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
_NUMBER = {"min_value": 0, "max_value": 100_000}
# MAX_TEXT_LENGTH (280), written out: a lazy translation cannot be formatted at import time.
_DESCRIPTION_HELP = _("At most 280 characters. Describe what happened and how often: never names, initials, "
                      "addresses, phone numbers, e-mail addresses, licence plates, BSN, bank accounts or dates of "
                      "birth. Such text is refused.")


def _checkboxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"})


class _AreaField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


def _area_field():
    return _AreaField(label=_("Wijk or buurt"), queryset=Area.objects.none(), required=False,
                      empty_label=_("The municipality as a whole"))


def areas_of(municipality):
    own = Q(level=AreaLevel.DISTRICT, parent__organisation=municipality)
    nested = Q(level=AreaLevel.NEIGHBOURHOOD, parent__parent__organisation=municipality)
    return Area.objects.filter(own | nested).order_by("code")


class _MunicipalForm(VersionedForm):
    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "area" in self.fields:
            self.fields["area"].queryset = areas_of(municipality)


class SignalForm(_MunicipalForm):
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m", "%Y-%m-%d", "%m-%Y"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                            help_text=_("For example 2024-03."))
    area = _area_field()
    category = forms.ChoiceField(label=_("Category"), choices=SignalCategory.choices)
    source_kind = forms.ChoiceField(label=_("Source"), choices=SignalSource.choices)
    count = forms.IntegerField(label=_("Number of signals"), **_NUMBER)
    follow_up = forms.ChoiceField(label=_("Follow-up"), choices=FollowUp.choices)
    description = forms.CharField(label=_("Description"), required=False, max_length=MAX_TEXT_LENGTH,
                                  widget=forms.Textarea(attrs={"rows": 3}), help_text=_DESCRIPTION_HELP)


class ControlForm(_MunicipalForm):
    date = forms.DateField(label=_("Date"), **_DATE)
    area = _area_field()
    premises_kind = forms.ChoiceField(label=_("Kind of premises"), choices=PremisesKind.choices)
    premises_count = forms.IntegerField(label=_("Premises checked"), initial=1, **_NUMBER)
    partners = forms.MultipleChoiceField(label=_("Participating partners"), choices=ControlPartner.choices,
                                         required=False, widget=_checkboxes())
    findings = forms.IntegerField(label=_("Findings"), initial=0, **_NUMBER)
    closures = forms.IntegerField(label=_("Closures (art. 13b Opium Act)"), initial=0, **_NUMBER)
    fines = forms.IntegerField(label=_("Administrative fines"), initial=0, **_NUMBER)
    bibob_started = forms.IntegerField(label=_("Bibob procedures started"), initial=0, **_NUMBER)
    care_referrals = forms.IntegerField(label=_("Referrals to care"), initial=0, **_NUMBER)
    description = forms.CharField(label=_("Description"), required=False, max_length=MAX_TEXT_LENGTH,
                                  widget=forms.Textarea(attrs={"rows": 3}), help_text=_DESCRIPTION_HELP)


class YouthGroupForm(_MunicipalForm):
    code = forms.CharField(label=_("Group code"), max_length=20,
                           help_text=_("A code of your own, such as VU-2024-01: capital letters, digits and dashes. "
                                       "Never names or nicknames of the group or its members."))
    group_type = forms.ChoiceField(label=_("Type"), choices=YouthGroupType.choices)
    area = _area_field()
    size_band = forms.ChoiceField(label=_("Size"), choices=SizeBand.choices)
    phase = forms.ChoiceField(label=_("Phase of the approach"), choices=ApproachPhase.choices)
    partners = forms.MultipleChoiceField(label=_("Partners involved"), choices=ControlPartner.choices,
                                         required=False, widget=_checkboxes())
    first_seen = forms.DateField(label=_("On the shortlist since"), **_DATE)


class _QuarterForm(_MunicipalForm):
    year = forms.IntegerField(label=_("Year"), min_value=2015, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int,
                                     choices=[(q, format_lazy("{} {}", _("Quarter"), q)) for q in (1, 2, 3, 4)])


class BibobForm(_QuarterForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=BibobKind.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=BibobOutcome.choices)
    count = forms.IntegerField(label=_("Number of procedures"), **_NUMBER,
                               help_text=_("Replaces the number saved earlier for this quarter, kind and outcome."))


class AveForm(_QuarterForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=AveStage.choices)
    count = forms.IntegerField(label=_("Number of cases"), **_NUMBER,
                               help_text=_("At the end of the quarter. Replaces the number saved earlier for this "
                                           "quarter and stage."))


class LioForm(_MunicipalForm):
    date = forms.DateField(label=_("Date of the meeting"), **_DATE)
    actions_agreed = forms.IntegerField(label=_("Actions agreed"), initial=0, **_NUMBER)
    cases_closed = forms.IntegerField(label=_("Cases closed"), initial=0, **_NUMBER)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in SignalCategory.choices:
            self.fields[f"cases_{value}"] = forms.IntegerField(
                label=format_lazy("{}: {}", _("Cases discussed"), label), required=False, **_NUMBER)
        self.order_fields(["date", *(f"cases_{value}" for value in SignalCategory.values), "actions_agreed",
                           "cases_closed"])

    def service_values(self) -> dict:
        values = super().service_values()
        values["cases_by_category"] = {value: values.pop(f"cases_{value}") or 0 for value in SignalCategory.values}
        return values


class ShareForm(forms.Form):
    register = forms.ChoiceField(label=_("Register"), choices=Register.choices)
    organisation = forms.ModelChoiceField(label=_("Partner organisation"), queryset=None,
                                          help_text=_("Its members then read this register of the municipality, "
                                                      "e.g. the RIEC. Every read is recorded."))

    def __init__(self, *args, **kwargs):
        from ivp.core.models import Organisation
        from ivp.core.roles import OrganisationKind

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.PARTNER).order_by("name")
