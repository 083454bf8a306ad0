"""Forms of the partner register and the cooperation agreements (the services validate again)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ivp.core.access import access_for
from ivp.core.models import Organisation
from ivp.core.roles import OrganisationKind
from ivp.partners.models import AgreementKind, AgreementStatus
from ivp.partners.selectors import eligible_owners

from .forms import VersionedForm

_DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _checkboxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"})


def _municipalities():
    return Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("name")


def _partners():
    return Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name")


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class PartnerProfileForm(VersionedForm):
    contact_role = forms.CharField(
        label=_("Contact (role or department)"), max_length=200, required=False,
        help_text=_("A function, department or desk, e.g. 'neighbourhood police team' or 'front office'. No "
                    "personal names: IVP holds aggregate information only."),
    )
    contact_email = forms.EmailField(label=_("General mailbox"), required=False,
                                     help_text=_("A shared address such as info@ or a team mailbox; no personal "
                                                 "addresses."))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                  help_text=_("What the organisation does in the safety chain."))
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Works in"), queryset=Organisation.objects.none(), required=False,
        widget=_checkboxes(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = _municipalities()


class AgreementForm(VersionedForm):
    """Fields follow the user's rights: an advisor chooses only their own municipality and its owners."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices, initial=AgreementStatus.CONCEPT)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("The base team as a whole"),
        help_text=_("The municipality whose agreement this is; it is always one of the parties."),
    )
    owner = _UserChoiceField(label=_("Owner"), queryset=get_user_model().objects.none(),
                             help_text=_("Keeps the agreement up to date and prepares the review."))
    start_date = forms.DateField(label=_("Start date"), **_DATE)
    review_date = forms.DateField(label=_("Review date"), required=False, **_DATE,
                                  help_text=_("When the agreement is next evaluated. Required unless it has ended."))
    # Not "(optional)": the service demands it for every agreement that has not ended (label honesty, ADR 0018).
    review_date.required_when = _("required unless ended")
    party_municipalities = forms.ModelMultipleChoiceField(
        label=_("Parties: municipalities"), queryset=Organisation.objects.none(), required=False,
        widget=_checkboxes(),
        help_text=_("Another municipality is added (or removed) as a party by its own advisor or the coordinator."),
    )
    party_partners = forms.ModelMultipleChoiceField(
        label=_("Parties: partners"), queryset=Organisation.objects.none(), required=False,
        widget=_checkboxes(),
        help_text=_("A partner organisation sees the agreements it is a party to."),
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    task_division = forms.CharField(label=_("Task division"), widget=forms.Textarea(attrs={"rows": 4}),
                                    required=False, help_text=_("Who does what."))
    backup = forms.CharField(label=_("Back-up"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                             help_text=_("Who steps in, and how, when one party cannot."))
    information_sharing = forms.CharField(
        label=_("Information sharing"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("What is shared, between whom, and on which basis. Describe the agreement, not cases or persons."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        access = access_for(user)
        if access.edit_all:
            municipalities = _municipalities()
            owners = eligible_owners()
        else:
            municipalities = _municipalities().filter(pk__in=access.editable_municipality_ids)
            owners = eligible_owners(access.editable_municipality_ids)
            self.fields["municipality"].required = True
            self.fields["municipality"].empty_label = None
        self.fields["municipality"].queryset = municipalities
        self.fields["owner"].queryset = owners
        self.fields["party_municipalities"].queryset = _municipalities()
        self.fields["party_partners"].queryset = _partners()

    def service_values(self) -> dict:
        """The cleaned data as the services take them (parties in one list, no form-only fields)."""
        data = super().service_values()
        data["parties"] = [*data.pop("party_municipalities"), *data.pop("party_partners")]
        return data

    @staticmethod
    def initial_for(agreement) -> dict:
        parties = list(agreement.parties.all())
        return {
            "title": agreement.title, "kind": agreement.kind, "status": agreement.status,
            "municipality": agreement.municipality_id, "owner": agreement.owner_id,
            "start_date": agreement.start_date, "review_date": agreement.review_date,
            "party_municipalities": [p.pk for p in parties if p.kind == OrganisationKind.MUNICIPALITY],
            "party_partners": [p.pk for p in parties if p.kind == OrganisationKind.PARTNER],
            "summary": agreement.summary, "task_division": agreement.task_division, "backup": agreement.backup,
            "information_sharing": agreement.information_sharing, "version": agreement.version,
        }
