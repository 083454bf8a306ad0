"""Readable labels for audit events on history pages: actions and changed fields.

Apps register their actions here (see each app's `audit_actions.py`), so the trail stores a stable
code (`local_priority.update`) and the page shows it in the user's language.
"""

import datetime as dt
import re

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ivp import notation
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


def _field(object_type: str, field: str):
    """The model field an event's change is about, or None. An object's events also record changes of its parts (an
    activity's status updates and milestones): a name the object's model lacks is looked up in the other models of
    its app."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None
    for candidate in (model, *(m for m in apps.get_app_config(model._meta.app_label).get_models() if m is not model)):
        try:
            return candidate._meta.get_field(field)
        except FieldDoesNotExist:
            continue
    return None


_CENTS_SUFFIX = re.compile(r"\s*\([^)]*\)$")


def field_label(object_type: str, field: str) -> str:
    """The model field's verbose name (a reverse relation: its model's plural name); an amount in cents without its
    "(cents)", as the page shows it in euros. An unknown field: its stored name in words."""
    found = _field(object_type, field)
    if found is None:
        return field.replace("_", " ")
    # A reverse relation (e.g. a report's kept files) has no verbose name of its own: its model's plural.
    label = str(getattr(found, "verbose_name", None) or found.related_model._meta.verbose_name_plural)
    return _CENTS_SUFFIX.sub("", label) if field.endswith("_cents") else label


def change_value(object_type: str, field: str, value):
    """A recorded old or new value as a reader says it: the choice's label instead of its code, money in euros,
    dates as 04-12-2026, yes/no, lists joined with commas (ivp.notation). None stays None (shown as "-")."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(change_value(object_type, field, item)) for item in value) or "-"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.endswith("_cents") and isinstance(value, int):
        return notation.euro(value)
    found = _field(object_type, field)
    choices = dict(getattr(found, "flatchoices", None) or ())
    if choices and value in choices:
        return str(choices[value])
    if isinstance(found, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return formats.date_format(timezone.localtime(moment) if timezone.is_aware(moment) else moment,
                                   "j F Y H:i")
    if isinstance(found, models.DateField) and isinstance(value, str):
        try:
            return notation.date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return value
