"""The "rapport maken" form (the service validates again, through `ivp.reports.api.validate_request`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ivp.reports import api
from ivp.reports.models import ReportFormat, ReportKind


def _period_choices() -> list:
    """Every period of every kind, grouped by kind, so the form works without JavaScript; a period that does not
    fit the chosen kind is refused with the api's message."""
    labels = dict(ReportKind.choices)
    return [(labels.get(kind, kind), [(p, p) for p in api.period_choices(kind)]) for kind in api.KINDS]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportKind.choices,
                             help_text=_("A midterm evaluation covers a two-year execution period; an annual "
                                         "progress report covers one year."))
    period = forms.ChoiceField(label=_("Period"), choices=())
    fmt = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, initial=ReportFormat.PDF,
                            help_text=_("PDF for the council; Word to edit further; a web page to read in the "
                                        "browser."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = _period_choices()
