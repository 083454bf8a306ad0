"""The admin (/beheer/): configuration for superusers. Every write there is audited (ivp.core.admin_audit),
also in the third-party admins that come with Django, django-otp and django-axes, which are registered again
here with the audit added:

- users: the user form, the roles granted or taken on the user page (membership rows), and the password page;
- groups (Django's own; IVP's roles are memberships, not groups);
- authenticator apps and backup-code devices (django-otp): adding, changing and deleting them, keys and codes
  recorded as changed, never their value;
- sign-in locks (django-axes): deleting an attempt lifts a lock and is recorded with the user name and
  address; the access and failure logs are read-only (removed only by `ivp purge_login_records`).
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .admin_audit import MASK, AuditedModelAdmin
from .audit.models import AuditEvent
from .audit.recorder import NothingChanged, audited
from .models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.action(description=gettext_lazy("Allow setting up an authenticator (7 days)"))
def permit_mfa_enrolment(modeladmin, request, queryset):
    """For a user without an authenticator (new phone, lost phone once the old device is removed): the password
    alone may then add one, for seven days (ivp.core.services.mfa_enrolment_permit_issue, audited)."""
    from .services import mfa_enrolment_permit_issue

    for user in queryset:
        mfa_enrolment_permit_issue(actor=request.user, user=user)


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    inlines = [MembershipInline]
    # The function (job title) beside the name: what councils and partners read (ivp.core.people).
    fieldsets = tuple(
        (title, {**options, "fields": (*options["fields"], "function")}) if options["fields"][:1] == ("first_name",)
        else (title, options)
        for title, options in BaseUserAdmin.fieldsets)
    actions = [permit_mfa_enrolment]

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        """The password page writes with form.save(), not save_model: audited here (admin.user.set_password)."""
        user = self.get_object(request, unquote(id)) if request.method == "POST" else None
        if user is None:
            return super().user_change_password(request, id, form_url)
        response = None
        with audited(actor=request.user, action="admin.user.set_password", target=user) as event:
            before, usable_before = user.password, user.has_usable_password()
            response = super().user_change_password(request, id, form_url)
            user.refresh_from_db(fields=["password"])
            if user.password == before:  # the form was refused: nothing written
                raise NothingChanged
            event.changes = {"password": [MASK if usable_before else None,
                                          MASK if user.has_usable_password() else None]}
        return response


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "cbs_code", "partner_kind", "parent"]
    list_filter = ["kind", "partner_kind"]
    search_fields = ["name", "code", "cbs_code"]


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: events can be searched and read, never added, changed or deleted."""

    list_display = ["occurred_at", "actor_label", "action", "object_repr", "municipality", "result", "origin_ip"]
    list_filter = ["result", "origin", "municipality"]
    search_fields = ["actor_label", "action", "object_repr", "message"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Third-party admins, registered again with the audit ------------------------------------------------


def _register_again(model, admin_class) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, admin_class)


class AuditedGroupAdmin(AuditedModelAdmin, BaseGroupAdmin):
    pass


class AuditedTOTPDeviceAdmin(AuditedModelAdmin, TOTPDeviceAdmin):
    pass


class AuditedStaticDeviceAdmin(AuditedModelAdmin, StaticDeviceAdmin):
    pass


class AuditedAccessAttemptAdmin(AuditedModelAdmin, AccessAttemptAdmin):
    """View and delete only: deleting an attempt lifts the lock of that user name + address (audited)."""

    actions = []  # axes' "clean up expired attempts": axes does that itself on every failure

    def has_change_permission(self, request, obj=None):
        return False


class _ViewOnly:
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAccessLogAdmin(_ViewOnly, AccessLogAdmin):
    pass


class ReadOnlyAccessFailureLogAdmin(_ViewOnly, AccessFailureLogAdmin):
    pass


_register_again(Group, AuditedGroupAdmin)
_register_again(TOTPDevice, AuditedTOTPDeviceAdmin)
_register_again(StaticDevice, AuditedStaticDeviceAdmin)
_register_again(AccessAttempt, AuditedAccessAttemptAdmin)
_register_again(AccessLog, ReadOnlyAccessLogAdmin)
_register_again(AccessFailureLog, ReadOnlyAccessFailureLogAdmin)
