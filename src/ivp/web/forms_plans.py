"""Forms of a proposed plan version (ADR 0015)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ivp.plans.models import StatementKind

from .forms import VersionedForm


class ProposalThemeForm(VersionedForm):
    number = forms.CharField(label=_("Number"), max_length=10, help_text=_("For example 5 or 3.2."))
    title = forms.CharField(label=_("Title"), max_length=200)
    short_title = forms.CharField(label=_("Short title"), max_length=100, required=False,
                                  help_text=_("For menus and tables; empty: the title."))
    introduction = forms.CharField(label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 5}), required=False)


STATEMENT_CHOICES = [
    (StatementKind.WHY, _("Why is this a priority?")),
    (StatementKind.AMBITION, _("Ambition")),
    (StatementKind.ACTION, _("Planned action (what will we do?)")),
]


class ProposalStatementForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Type"), choices=STATEMENT_CHOICES)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class ProposalStatementEditForm(VersionedForm):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class ProposalItemForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == "doel":
            del self.fields["description"]
        elif kind == "focus":
            self.fields["title"].label = _("Name")
            self.fields["title"].max_length = 100
