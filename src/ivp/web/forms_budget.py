"""Forms of the safety fund pages. Amounts are typed in euros (1.234,56) and cleaned to integer cents."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ivp import notation
from ivp.budget.models import AllocationKind
from ivp.budget.summary import municipalities
from ivp.money import parse_euro

from .forms import VersionedForm


class EuroField(forms.CharField):
    """An amount in euros, cleaned to integer cents (never a float)."""

    default_error_messages = {
        "invalid": _("Enter an amount in euros, for example 1.234,56."),
    }

    def __init__(self, *, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off", "maxlength": "30"}

    def prepare_value(self, value):
        # The amount as every page writes it (1.234,56, ivp.notation), so the form and the page agree.
        return notation.euro(value, symbol=False) if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            cents = parse_euro(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if cents == 0 and not self.allow_zero:
            raise forms.ValidationError(_("Enter an amount above zero."), code="zero")
        return cents


class RateForm(VersionedForm):
    rate_cents = EuroField(label=_("Contribution per inhabitant (€)"), allow_zero=True,
                           help_text=_("The plan sets € 1,00 per inhabitant; that is the default for every year."))


class NegativeBalanceApprovalForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Why may the fund spend more than the contributions of this year? For "
                                         "example a decision of the steering group (with date)."))


class AllocationForm(VersionedForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=AllocationKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    beneficiary = forms.ModelChoiceField(
        label=_("Benefiting municipality"), queryset=municipalities(), required=False,
        empty_label=_("Whole base team"),
        help_text=_("A base-team-wide allocation counts for the municipalities in proportion to their contribution."))
    amount_cents = EuroField(label=_("Amount (€)"))
    description = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    # Shown only after the service refused an allocation above the year's contributions (ADR 0018).
    over_allocation_confirmed = forms.BooleanField(
        label=_("Allocate more than the contributions"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input",
                                          "aria-describedby": "id_over_allocation_confirmed_error"}))

    def asks_over_allocation(self) -> bool:
        """Whether the page shows the over-allocation warning with its confirmation box."""
        field = self["over_allocation_confirmed"]
        return bool(field.errors) or (self.is_bound and bool(field.value()))


class FundEntryForm(forms.Form):
    """A commitment or an expenditure."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    description = forms.CharField(label=_("Description"), max_length=300)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False,
                                help_text=_("For example an order, contract or invoice number."))
    amount_cents = EuroField(label=_("Amount (€)"))
