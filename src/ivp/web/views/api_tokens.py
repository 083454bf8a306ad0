"""Mijn IVP > API-sleutels: a user's personal read tokens for the open API (ADR 0019): make one (shown once),
see when each was last used, revoke it. Tokens read with the user's own rights; only their hash is stored."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ivp.api.models import ApiToken
from ivp.api.services import api_token_create, api_token_revoke

from ..forms import apply_service_errors
from .submit import form_status


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("What the key is for, e.g. \"dashboard of the municipality\"."))
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1,
                              max_value=settings.IVP_API_TOKEN_MAX_DAYS, initial=settings.IVP_API_TOKEN_DAYS)


@login_required
def api_tokens(request):
    """The list and the form. A new key is shown in the answer to the POST itself, once: it is not put in a
    message cookie or the session on its way to a redirect, and never stored."""
    form = ApiTokenForm(request.POST or None)
    new_secret = new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token, new_secret = api_token_create(actor=request.user, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            form = ApiTokenForm()
    return render(request, "web/api_tokens.html", {
        "title": _("API keys"), "form": form, "new_secret": new_secret, "new_token": new_token,
        "tokens": ApiToken.objects.filter(user=request.user),
    }, status=form_status(form))


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # someone else's key: 404
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The key \"%(name)s\" has been revoked.") % {"name": token.name})
    return redirect("web:api_tokens")
