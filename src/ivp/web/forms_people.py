"""Forms of the people pages, the invitation and "forgot password". The choices offered are what the access policy
lets this user give; the services check it again."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from ivp.core.access import access_for
from ivp.core.mail import send_templated_mail
from ivp.core.people import password_reset_allowed, password_reset_complete, password_reset_requested
from ivp.core.roles import Role
from ivp.core.selectors import organisations_to_manage


def _organisation_label(organisation) -> str:
    return f"{organisation.name} ({organisation.get_kind_display()})"


class RoleChoiceMixin:
    """`organisation` and `role` limited to what the actor may give."""

    def _limit_choices(self, actor) -> None:
        organisations = organisations_to_manage(actor)
        field = self.fields["organisation"]
        field.queryset = organisations
        field.label_from_instance = _organisation_label
        if organisations.count() == 1:
            field.initial = organisations.first().pk
        roles = access_for(actor).manageable_roles()
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]


class InviteForm(RoleChoiceMixin, forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=300,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}),
                           help_text=_("First name and last name, e.g. Jan van der Berg."))
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}),
                             help_text=_("The invitation goes to this address; it is also the user name."))
    function = forms.CharField(label=_("Function"), max_length=200,
                               help_text=_("For example: policy advisor public order and safety."))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    role = forms.ChoiceField(label=_("Role"), help_text=_("What the person may do follows from the role."))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_choices(actor)


class MembershipForm(RoleChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_choices(actor)


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=300)
    function = forms.CharField(label=_("Function"), max_length=200)


class AcceptInvitationForm(auth_forms.SetPasswordForm):
    """Django's two password fields with its validators; the service sets the password (audited)."""

    def save(self, commit=True):  # pragma: no cover - the view calls the service instead
        raise NotImplementedError("use ivp.core.people.invitation_accept")


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's "forgot password" form: the same answer whether or not the address has an account (no account
    enumeration); at most a few mails per account per hour; our Dutch mail templates."""

    def get_users(self, email):
        for user in super().get_users(email):
            if password_reset_allowed(user):
                password_reset_requested(user=user)
                yield user

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        send_templated_mail(to=to_email, template="password_reset", context=context)


class SetPasswordForm(auth_forms.SetPasswordForm):
    """The new password of "forgot password", set through the audited service."""

    def save(self, commit=True):
        return password_reset_complete(user=self.user, password=self.cleaned_data["new_password1"])
