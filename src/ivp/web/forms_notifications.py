from django import forms
from django.utils.translation import gettext_lazy as _

from ivp.indicators.models import InterpretationScope, RemarkKind
from ivp.indicators.services.interpretations import MAX_REMARK_CHARS
from ivp.notifications.kinds import KINDS, Delivery


class NotificationPreferencesForm(forms.Form):
    """Per kind of notification: immediately by e-mail, in the weekly digest, or only in the app."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for key, kind in KINDS.items():
            self.fields[key] = forms.ChoiceField(label=kind.label, choices=Delivery.choices, widget=forms.RadioSelect,
                                                 initial=current.get(key, kind.default_delivery))


class RemarkForm(forms.Form):
    period = forms.CharField(widget=forms.HiddenInput, max_length=20)
    scope = forms.ChoiceField(choices=InterpretationScope.choices, widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Your remark"), widget=forms.RadioSelect, initial=RemarkKind.DISAGREE,
                             choices=[(RemarkKind.DISAGREE, _("I disagree")),
                                      (RemarkKind.SUGGESTION, _("I suggest a change"))])
    text = forms.CharField(label=_("Remark"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=MAX_REMARK_CHARS,
                           help_text=_("What you disagree with, or why you suggest a change. The author is notified."))
    suggested_text = forms.CharField(
        label=_("Suggested text"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        max_length=MAX_REMARK_CHARS,
        help_text=_("Only when you suggest a change: the text of the duiding as you would write it."))

    def clean_scope(self) -> str:
        return self.cleaned_data.get("scope") or InterpretationScope.FIGURE
