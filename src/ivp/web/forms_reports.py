"""The "rapport maken" form (the service validates again, through `ivp.reports.api.validate_request`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ivp.reports import api
from ivp.reports.models import COUNCIL_REPORT_KINDS, ReportFormat, ReportKind

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _period_choices() -> list:
    """Every period of every kind, grouped by kind, so the form works without JavaScript; a period that does not
    fit the chosen kind is refused with the api's message."""
    labels = dict(ReportKind.choices)
    return [(labels.get(kind, kind), [(p, p) for p in api.period_choices(kind)]) for kind in api.KINDS]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportKind.choices,
                             help_text=_("A midterm evaluation covers a two-year execution period; an annual "
                                         "progress report covers one year; a council information letter "
                                         "(raadsinformatiebrief) summarises either in two or three pages."))
    period = forms.ChoiceField(label=_("Period"), choices=())
    fmt = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, initial=ReportFormat.PDF,
                            help_text=_("PDF for the council; Word to edit further; a web page to read in the "
                                        "browser."))
    as_of = forms.DateField(label=_("As of"), required=False, **DATE_WIDGET,
                            help_text=_("The date the report describes (peildatum): each activity as it stood that "
                                        "day. Empty: the end of the period (today while it runs), or the as-of date "
                                        "of the report's draft."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = _period_choices()


class CouncilReportCreateForm(forms.Form):
    """Start a council report version (draft) with conclusions and approval. Prefixed: it shares the reports page with
    the "make a report" form, and their fields must not share ids."""

    prefix = "council"

    kind = forms.ChoiceField(label=_("Kind of report"),
                             choices=[(k, label) for k, label in ReportKind.choices if k in COUNCIL_REPORT_KINDS])
    period = forms.ChoiceField(label=_("Period"), choices=())
    as_of = forms.DateField(label=_("As of"), required=False, **DATE_WIDGET,
                            help_text=_("Empty: the end of the period (today while it runs)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ReportKind.choices)
        self.fields["period"].choices = [(labels[k], [(p, p) for p in api.period_choices(k)])
                                         for k in COUNCIL_REPORT_KINDS]


class ConclusionsForm(forms.Form):
    """The college's conclusions and recommendations of a draft: overall and one field per theme of the plan."""

    conclusions = forms.CharField(label=_("Conclusions and recommendations (overall)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 8}),
                                  help_text=_("Separate paragraphs with a blank line."))
    as_of = forms.DateField(label=_("As of"), **DATE_WIDGET,
                            help_text=_("The date the report describes (peildatum), within its period."))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_fields = {}
        for theme in themes:
            name = f"theme_{theme.code}"
            self.fields[name] = forms.CharField(
                label=_("Theme %(number)s: %(title)s") % {"number": theme.number, "title": theme.title},
                required=False, widget=forms.Textarea(attrs={"rows": 4}))
            self.theme_fields[name] = theme.code
        self.order_fields(["conclusions", *self.theme_fields, "as_of", "version"])

    @staticmethod
    def initial_for(report) -> dict:
        initial = {"conclusions": report.conclusions, "as_of": report.as_of, "version": report.version}
        initial.update({f"theme_{code}": text for code, text in (report.theme_conclusions or {}).items()})
        return initial

    def service_values(self) -> dict:
        themes = {code: self.cleaned_data.get(name, "") for name, code in self.theme_fields.items()}
        return {"conclusions": self.cleaned_data["conclusions"], "as_of": self.cleaned_data["as_of"],
                "theme_conclusions": themes}


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("Adopted by the college on"), **DATE_WIDGET)
    decision_reference = forms.CharField(label=_("College decision reference"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PresentForm(forms.Form):
    presented_on = forms.DateField(label=_("Presented to the council on"), **DATE_WIDGET)
    version = forms.IntegerField(widget=forms.HiddenInput)
