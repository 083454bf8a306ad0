"""Two-factor authentication (TOTP via django-otp, with one-time backup codes).

- `mfa_verify`: an editor with a confirmed authenticator enters a code (or a backup code).
- `mfa_setup`: an editor without one adds an authenticator app: the QR code is drawn here as inline
  SVG (no external service) and the secret is shown as text for manual entry; the first correct code
  confirms it, and ten backup codes are shown once.

A wrong code is an audit event (auth.mfa_failed) and counts toward the django-axes lockout of the
user name + IP combination, exactly like a wrong password.
"""

from __future__ import annotations

import html
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from ivp.core.audit.models import AuditResult
from ivp.core.audit.recorder import record_event
from ivp.core.audit.signals import MFA_STEP
from ivp.core.mfa import mfa_satisfied, requires_mfa
from ivp.core.services import mfa_device_confirm, mfa_enrolment_open

from ..redirects import safe_next_url
from .auth import lockout_response


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label=gettext_lazy("Code"), max_length=16, strip=True,
        help_text=gettext_lazy("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autocapitalize": "off", "spellcheck": "false"}),
    )


class SetupTokenForm(TokenForm):
    """While setting up there are no backup codes yet: only the app's code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].help_text = gettext_lazy("The 6-digit code your authenticator app shows.")


def _next_url(request) -> str:
    """A path on this site that resolves to a page, else the home page (ivp.web.redirects): a crafted `next`
    must not turn a correct code into an error page."""
    return safe_next_url(request, request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME))


def _with_next(name: str, request) -> str:
    return reverse(name) + "?" + urlencode({REDIRECT_FIELD_NAME: _next_url(request)})


def _credentials(user) -> dict:
    return {"username": user.get_username(), MFA_STEP: True}


def _refuse_if_locked_out(request):
    """A locked-out user name + IP may not try codes either: end the session and show the lockout page."""
    if not AxesProxyHandler.is_allowed(request, _credentials(request.user)):
        logout(request)
        return lockout_response(request)
    return None


def _wrong_code(request, form):
    form.add_error("otp_token", _("This code is not correct. Check the time on your phone and try again."))
    # Audit event (auth.mfa_failed) and a failure for django-axes, like a wrong password.
    user_login_failed.send(sender=__name__, credentials=_credentials(request.user), request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return lockout_response(request)
    return None


def _mark_verified(request, device) -> None:
    request.session.cycle_key()  # a new session id once the second factor is in
    django_otp.login(request, device)


@never_cache
@sensitive_post_parameters("otp_token")
@login_required
def mfa_verify(request):
    user = request.user
    if mfa_satisfied(request):
        return redirect(_next_url(request))
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(_with_next("web:mfa_setup", request))
    locked = _refuse_if_locked_out(request)
    if locked:
        return locked
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = django_otp.match_token(user, form.cleaned_data["otp_token"].replace(" ", ""))
        if device is not None:
            _mark_verified(request, device)
            record_event(actor=user, action="auth.mfa_verified", result=AuditResult.SUCCESS, target=user,
                         message=type(device).__name__)
            return redirect(_next_url(request))
        locked = _wrong_code(request, form)
        if locked:
            return locked
    return render(request, "registration/mfa_verify.html", {
        "title": _("Enter your code"), "form": form, "next": _next_url(request),
    })


SETUP_KEY_SESSION_KEY = "ivp_mfa_setup_key"


def _pending_device(request) -> TOTPDevice:
    """The authenticator being set up, not saved until confirmed: its secret lives in the session, so
    a reload shows the same QR code and a GET writes nothing to the database."""
    key = request.session.get(SETUP_KEY_SESSION_KEY)
    if not key:
        key = random_hex(20)
        request.session[SETUP_KEY_SESSION_KEY] = key
    return TOTPDevice(user=request.user, name="IVP", key=key, confirmed=False)


def _totp_matches(device: TOTPDevice, token: str) -> bool:
    if not token.isdigit():
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp.drift = device.drift + offset
        if totp.token() == int(token):
            device.last_t = totp.t()
            return True
    return False


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=4)
    svg = image.to_string(encoding="unicode")
    label = html.escape(_("QR code to scan with your authenticator app"))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="ivp-qr" ', 1)


def _group(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@never_cache
@sensitive_post_parameters("otp_token")
@login_required
def mfa_setup(request):
    user = request.user
    if not requires_mfa(user):
        return redirect(_next_url(request))
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        # Adding another authenticator needs the existing one; never with the password alone.
        return redirect(_with_next("web:mfa_verify", request))
    if not mfa_enrolment_open(user):
        # A first authenticator needs a permit (new account, or issued by an administrator): otherwise a stolen
        # password would be enough to take over an editor's account.
        record_event(actor=user, action="auth.mfa_setup_refused", result=AuditResult.DENIED, target=user,
                     message="no enrolment permit")
        return render(request, "registration/mfa_setup_refused.html",
                      {"title": _("Ask for permission to set up an authenticator")}, status=403)
    locked = _refuse_if_locked_out(request)
    if locked:
        return locked
    device = _pending_device(request)
    form = SetupTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _totp_matches(device, form.cleaned_data["otp_token"].replace(" ", "")):
            codes = mfa_device_confirm(actor=user, device=device)
            request.session.pop(SETUP_KEY_SESSION_KEY, None)
            _mark_verified(request, device)
            return render(request, "registration/mfa_backup_codes.html", {
                "title": _("Your backup codes"), "codes": codes, "next": _next_url(request),
            })
        locked = _wrong_code(request, form)
        if locked:
            return locked
    secret = b32encode(device.bin_key).decode("ascii")
    return render(request, "registration/mfa_setup.html", {
        "title": _("Set up two-factor authentication"), "form": form, "next": _next_url(request),
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308  (our own SVG; the label is escaped below)
        "secret": _group(secret),
    })
