"""Readable labels for audit events on history pages: actions and changed fields.

Apps register their actions here (see each app's `audit_actions.py`), so the trail stores a stable
code (`local_priority.update`) and the page shows it in the user's language.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from ivp.registry import Registry

ACTION_LABELS: Registry[str] = Registry("audit action")


def register_actions(labels: dict[str, str]) -> None:
    """Readable labels of an app's actions (its audit_actions.py); an action labelled twice fails at start-up."""
    for action, label in labels.items():
        ACTION_LABELS.register(action, label)


register_actions({
    "auth.login": _("Signed in"),
    "auth.logout": _("Signed out"),
    "auth.login_failed": _("Failed sign-in attempt"),
    "auth.mfa_failed": _("Wrong two-factor code"),
    "auth.lockout": _("Sign-in locked after repeated failures"),
    "auth.session_expired": _("Session ended after its time limit"),
    "auth.mfa_device_added": _("Two-factor authentication set up"),
    "auth.mfa_verified": _("Two-factor code accepted"),
    "access.denied": _("Access refused"),
    "login_records.purge": _("Old sign-in records deleted"),
    "organisation.create": _("Organisation created"),
    "organisation.update": _("Organisation changed"),
    "membership.create": _("Membership granted"),
    "user.create": _("User created"),
    "user.set_password": _("Password set"),
    "comment.create": _("Comment added"),
    "auth.mfa_enrolment_permitted": _("Allowed to set up an authenticator"),
    "auth.mfa_setup_refused": _("Setting up an authenticator refused (no permission)"),
    "auth.password_reset_requested": _("Password reset e-mail sent"),
    "auth.password_reset": _("Password reset through the e-mail link"),
    "person.invite": _("Person invited"),
    "person.invitation_resend": _("Invitation sent again"),
    "person.invitation_accept": _("Invitation accepted"),
    "person.update": _("Name or function changed"),
    "person.deactivate": _("Account deactivated"),
    "person.reactivate": _("Account reactivated"),
    "person.mfa_reset": _("Two-factor authentication reset"),
    "membership.update": _("Role changed"),
    "admin.user.set_password": _("Password set in the admin"),
    "admin.membership.create": _("Role granted in the admin"),
    "admin.membership.delete": _("Role taken away in the admin"),
    "admin.totpdevice.create": _("Authenticator app added in the admin"),
    "admin.totpdevice.delete": _("Authenticator app removed in the admin"),
    "admin.staticdevice.delete": _("Backup codes removed in the admin"),
    "admin.accessattempt.delete": _("Sign-in lock lifted in the admin"),
})


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    if action.startswith("admin."):
        return _("Changed in the admin (%(action)s)") % {"action": action.removeprefix("admin.")}
    return action


def field_label(object_type: str, field: str) -> str:
    """The model field's verbose name (a reverse relation: its model's plural name), or the stored name when the model
    or field is unknown."""
    try:
        model = apps.get_model(object_type)
        found = model._meta.get_field(field)
    except (LookupError, ValueError, FieldDoesNotExist):
        return field
    # A reverse relation (e.g. a report's kept files) has no verbose name of its own: its model's plural.
    label = getattr(found, "verbose_name", None) or found.related_model._meta.verbose_name_plural
    return str(label)
