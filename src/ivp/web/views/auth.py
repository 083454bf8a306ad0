"""Signing in and out, and the lockout page.

The password step is Django's LoginView (its form calls `authenticate(request, ...)`, so django-axes
sees every attempt). An editor (see ivp.core.mfa) then continues at the two-factor pages in
ivp.web.views.mfa; the middleware keeps their session there until a code is entered.
"""

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from ivp.core.mfa import mfa_satisfied
from ivp.core.sessions import IDLE, MAX_AGE, SIGNED_OUT_REASON

from ..forms_people import PasswordResetForm, SetPasswordForm
from ..redirects import validated_next


def signed_out_message(reason: str | None) -> str:
    if reason == IDLE:
        return _("You have been signed out because you were inactive for %(minutes)d minutes. "
                 "Please sign in again.") % {"minutes": settings.IVP_SESSION_IDLE_SECONDS // 60}
    if reason == MAX_AGE:
        return _("You have been signed out because you were signed in for more than %(hours)d hours. "
                 "Please sign in again.") % {"hours": settings.IVP_SESSION_MAX_SECONDS // 3600}
    return ""


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    extra_context = {"title": gettext_lazy("Sign in")}
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signed_out_message"] = signed_out_message(self.request.session.pop(SIGNED_OUT_REASON, None))
        context["oidc_enabled"] = settings.IVP_OIDC_ENABLED
        context["oidc_provider_name"] = settings.IVP_OIDC_PROVIDER_NAME
        return context

    @method_decorator(sensitive_variables("form"))
    def form_valid(self, form):
        return super().form_valid(form)

    def get_redirect_url(self):
        # Only a path that resolves to one of our pages (ivp.web.redirects); else "" and Django's default.
        return validated_next(self.request, super().get_redirect_url()) or ""

    def get_success_url(self):
        url = super().get_success_url()
        if not mfa_satisfied(self.request):
            return reverse("web:mfa_verify") + "?" + urlencode({REDIRECT_FIELD_NAME: url})
        return url


class LogoutView(auth_views.LogoutView):
    """Logging out is a POST (no state change over GET)."""

    http_method_names = ["post", "options"]

    def get_redirect_url(self):
        return validated_next(self.request, super().get_redirect_url()) or ""


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): Dutch, status 429, says how long it lasts."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "registration/lockout.html",
                      {"title": _("Too many attempts"), "minutes": minutes}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


# --- "Forgot password" (Django's views, our Dutch templates and forms) -------------------------------------------

class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not the address has an account (no account enumeration)."""

    template_name = "registration/reset_password_form.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("web:password_reset_done")
    extra_context = {"title": gettext_lazy("Forgot your password?")}

    def form_valid(self, form):
        self.extra_email_context = {"base_url": settings.IVP_BASE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/reset_password_done.html"
    extra_context = {"title": gettext_lazy("Check your e-mail")}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/reset_password_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("web:password_reset_complete")
    extra_context = {"title": gettext_lazy("Choose a new password")}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/reset_password_complete.html"
    extra_context = {"title": gettext_lazy("Your password has been changed")}
