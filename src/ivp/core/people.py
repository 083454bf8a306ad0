"""People management (issue 14, ADR 0014): invite a person, accept an invitation, change a name, function or role,
deactivate and reactivate, reset the second factor, reset a forgotten password. Every write is audited.

Who may do what comes from the one access policy (`ivp.core.roles.POLICY`: the capability `manage_people` and the
roles each role `manages`), asked through `Access.can_manage_role` and `ivp.core.access.may_manage_person`.
`actor=None` is the command line (`ivp invite`): whoever runs commands on the server.

An invitation creates the account at once (with its role, without a usable password), so the person is listed and
can be managed before they accept; the one-time link sets the password. Only the SHA-256 hash of the link's token
is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import access_for, require_manage_person
from .audit.models import AuditEvent, AuditResult
from .audit.recorder import NothingChanged, audited, field_changes, record_event
from .mail import send_templated_mail
from .mfa import role_requires_mfa
from .models import Invitation, Membership, MfaEnrolmentPermit, Organisation, User
from .roles import OrganisationKind, Role
from .services import MFA_ENROLMENT_VALIDITY, mfa_enrolment_permit_issue
from .signals import invitation_accepted

# How long an invitation link stays valid.
INVITATION_VALIDITY = dt.timedelta(days=7)
# "Forgot password": at most this many reset e-mails per account per hour (each one is an audit event).
PASSWORD_RESET_MAILS_PER_HOUR = 3


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def split_name(name: str) -> tuple[str, str]:
    """'Jan van der Berg' -> ('Jan', 'van der Berg'): the first word is the first name (Django's get_full_name()
    joins them again)."""
    words = " ".join((name or "").split())
    first, _sep, last = words.partition(" ")
    return first, last


def invitation_url(token: str) -> str:
    return settings.IVP_BASE_URL + reverse("web:invitation_accept", kwargs={"token": token})


def _municipality(organisation: Organisation | None) -> Organisation | None:
    return organisation if organisation is not None and organisation.kind == OrganisationKind.MUNICIPALITY else None


def _actor_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def _require_role(actor, role: str, organisation: Organisation) -> None:
    if actor is not None and not access_for(actor).can_manage_role(role, organisation.pk):
        raise PermissionDenied(_("You may not give the role %(role)s in %(organisation)s.")
                               % {"role": Role(role).label if role in Role.values else role,
                                  "organisation": organisation})


def _new_invitation(user: User, actor) -> tuple[Invitation, str]:
    """Revoke the person's open invitations and make a new one; returns it with its token (shown once)."""
    now = timezone.now()
    Invitation.objects.filter(user=user, accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(user=user, token_hash=token_hash(token), invited_by=_actor_or_none(actor),
                                           expires_at=now + INVITATION_VALIDITY)
    return invitation, token


def _permit_if_needed(actor, user: User) -> None:
    """An invitation to an editing role lets the person set up their authenticator with the password alone."""
    roles = user.memberships.values_list("role", flat=True)
    if user.is_superuser or any(role_requires_mfa(role) for role in roles):
        mfa_enrolment_permit_issue(actor=actor, user=user)


@dataclass(frozen=True)
class InvitationSent:
    user: User
    invitation: Invitation
    url: str  # the one-time link (printed by `ivp invite`; shown in the app only when the e-mail failed)
    mailed: bool


def _mail_invitation(user: User, invitation: Invitation, url: str, actor) -> bool:
    membership = user.memberships.select_related("organisation").first()
    return send_templated_mail(to=user.email, template="invitation", context={
        "user": user, "url": url, "expires_at": invitation.expires_at, "membership": membership,
        "invited_by": _actor_or_none(actor), "base_url": settings.IVP_BASE_URL,
    })


def person_invite(*, actor, email: str, name: str, organisation: Organisation, role: str,
                  function: str = "") -> InvitationSent:
    """Create the account of `email` with `role` in `organisation` and send them a one-time link to set their
    password (7 days). For an editing role the invitation also permits setting up an authenticator."""
    email = (email or "").strip().lower()
    first_name, last_name = split_name(name)
    with audited(actor=actor, action="person.invite", municipality=_municipality(organisation)) as event:
        _require_role(actor, role, organisation)
        errors = {}
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
        if not errors and (User.objects.filter(email__iexact=email).exists()
                           or User.objects.filter(username__iexact=email).exists()):
            errors["email"] = _("There is already an account with this e-mail address. Change that person's role "
                                "on their page instead.")
        if not first_name:
            errors["name"] = _("Enter the person's full name.")
        if role not in Role.values:
            errors["role"] = _("Choose a role.")
        if errors:
            raise ValidationError(errors)
        user = User(username=email, email=email, first_name=first_name, last_name=last_name,
                    function=(function or "").strip())
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        membership = Membership(user=user, organisation=organisation, role=role)
        membership.full_clean()
        membership.save()
        invitation, token = _new_invitation(user, actor)
        event.target = user
        event.changes = {"email": [None, email], "name": [None, user.get_full_name()],
                         "function": [None, user.function], "organisation": [None, str(organisation)],
                         "role": [None, role], "expires_at": [None, invitation.expires_at.isoformat()]}
        _permit_if_needed(actor, user)
    url = invitation_url(token)
    return InvitationSent(user, invitation, url, _mail_invitation(user, invitation, url, actor))


def invitation_resend(*, actor, user: User) -> InvitationSent:
    """A new link for someone who has not accepted yet (the old links stop working)."""
    with audited(actor=actor, action="person.invitation_resend", target=user,
                 municipality=_person_municipality(user)) as event:
        require_manage_person(actor, user)
        if user.has_usable_password():
            raise ValidationError(_("%(name)s has already set a password; no invitation is needed.")
                                  % {"name": user.display_name})
        if not user.is_active:
            raise ValidationError(_("Reactivate the account first."))
        invitation, token = _new_invitation(user, actor)
        event.changes = {"expires_at": [None, invitation.expires_at.isoformat()]}
        _permit_if_needed(actor, user)
    url = invitation_url(token)
    return InvitationSent(user, invitation, url, _mail_invitation(user, invitation, url, actor))


def open_invitation(token: str) -> Invitation | None:
    """The invitation of this link, when it can still be accepted."""
    if not token or len(token) > 100:
        return None
    invitation = Invitation.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    if invitation is None or not invitation.is_open() or not invitation.user.is_active:
        return None
    return invitation


def invitation_accept(*, token: str, password: str) -> User:
    """Set the invited person's password and use the link up. For an editing role the permit to set up an
    authenticator runs from now (the person is sent there next)."""
    invitation = open_invitation(token)
    if invitation is None:
        raise PermissionDenied(_("This invitation link is no longer valid."))
    user = invitation.user
    with audited(actor=user, action="person.invitation_accept", target=user,
                 municipality=_person_municipality(user)) as event:
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open():
            raise PermissionDenied(_("This invitation link is no longer valid."))
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"new_password1": exc.messages}) from None
        user.set_password(password)
        user.save(update_fields=["password"])
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        event.changes = {"password": [None, "***"], "invitation": ["open", "accepted"]}
        permit = MfaEnrolmentPermit.objects.filter(user=user).first()
        if permit is not None:
            permit.expires_at = timezone.now() + MFA_ENROLMENT_VALIDITY
            permit.save(update_fields=["expires_at"])
        invitation_accepted.send(sender=Invitation, invitation=locked, municipality=_person_municipality(user))
    return user


def _person_municipality(user: User) -> Organisation | None:
    memberships = list(user.memberships.select_related("organisation"))
    municipalities = {m.organisation_id: m.organisation for m in memberships
                      if m.organisation.kind == OrganisationKind.MUNICIPALITY}
    return next(iter(municipalities.values())) if len(municipalities) == 1 else None


def person_update(*, actor, user: User, name: str, function: str) -> User:
    first_name, last_name = split_name(name)
    with audited(actor=actor, action="person.update", target=user, municipality=_person_municipality(user)) as event:
        require_manage_person(actor, user)
        if not first_name:
            raise ValidationError({"name": _("Enter the person's full name.")})
        event.changes = field_changes(user, {"first_name": first_name, "last_name": last_name,
                                             "function": (function or "").strip()})
        if not event.changes:
            raise NothingChanged
        user.full_clean(exclude=["password"])
        user.save(update_fields=["first_name", "last_name", "function"])
    return user


def person_deactivate(*, actor, user: User) -> User:
    """The person can no longer sign in (their sessions end at the next request); open invitations are revoked.
    Nothing they wrote is removed."""
    with audited(actor=actor, action="person.deactivate", target=user,
                 municipality=_person_municipality(user)) as event:
        require_manage_person(actor, user)
        if not user.is_active:
            raise NothingChanged
        user.is_active = False
        user.save(update_fields=["is_active"])
        Invitation.objects.filter(user=user, accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now())
        event.changes = {"is_active": [True, False]}
    return user


def person_reactivate(*, actor, user: User) -> User:
    with audited(actor=actor, action="person.reactivate", target=user,
                 municipality=_person_municipality(user)) as event:
        require_manage_person(actor, user)
        if user.is_active:
            raise NothingChanged
        user.is_active = True
        user.save(update_fields=["is_active"])
        event.changes = {"is_active": [False, True]}
    return user


def membership_change(*, actor, membership: Membership, organisation: Organisation, role: str) -> Membership:
    """Change a person's role (and the organisation it is held in). The actor must be allowed to give both the old
    and the new role there. A new editing role without an authenticator comes with a permit to set one up."""
    user = membership.user
    with audited(actor=actor, action="membership.update", target=membership,
                 municipality=_municipality(organisation) or _municipality(membership.organisation)) as event:
        require_manage_person(actor, user)
        _require_role(actor, membership.role, membership.organisation)
        _require_role(actor, role, organisation)
        event.changes = field_changes(membership, {"organisation": organisation, "role": role})
        if not event.changes:
            raise NothingChanged
        membership.full_clean()
        membership.save()
        user.__dict__.pop("_ivp_access", None)
        if role_requires_mfa(role) and not _has_authenticator(user):
            mfa_enrolment_permit_issue(actor=actor, user=user)
    return membership


def _has_authenticator(user: User) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def person_mfa_reset(*, actor, user: User) -> int:
    """A lost phone: remove the person's authenticator apps and backup codes and let them set up a new one with
    their password (an enrolment permit, 7 days). Returns how many devices were removed."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with audited(actor=actor, action="person.mfa_reset", target=user,
                 municipality=_person_municipality(user)) as event:
        require_manage_person(actor, user)
        totp = TOTPDevice.objects.filter(user=user)
        backup = StaticDevice.objects.filter(user=user)
        removed = totp.count() + backup.count()
        event.changes = {"authenticator_apps": [totp.count(), 0], "backup_codes": [backup.count(), 0]}
        totp.delete()
        backup.delete()
        mfa_enrolment_permit_issue(actor=actor, user=user)
    return removed


# --- "Forgot password" ---------------------------------------------------------------------------------------------

def password_reset_allowed(user: User) -> bool:
    """At most PASSWORD_RESET_MAILS_PER_HOUR reset mails per account per hour (a flood of mails to one inbox)."""
    since = timezone.now() - dt.timedelta(hours=1)
    sent = AuditEvent.objects.filter(action="auth.password_reset_requested", object_type="core.user",
                                     object_id=str(user.pk), occurred_at__gte=since).count()
    return sent < PASSWORD_RESET_MAILS_PER_HOUR


def password_reset_requested(*, user: User) -> None:
    """Recorded for an existing account only (an unknown address leaves no trace: anyone can type one)."""
    record_event(actor=None, action="auth.password_reset_requested", result=AuditResult.SUCCESS, target=user)


def password_reset_complete(*, user: User, password: str) -> User:
    """The person set a new password through the link in a reset e-mail (Django's token). Their second factor
    stays as it is."""
    with audited(actor=user, action="auth.password_reset", target=user) as event:
        user.set_password(password)
        user.save(update_fields=["password"])
        event.changes = {"password": ["***", "***"]}
    return user


# --- How people are named -----------------------------------------------------------------------------------
# Councils, partners and the public read a person by full name, with the function when there is one ("Anna de Vries
# (veiligheidsadviseur)"); a user name never reaches a report, a public page or a history page (councillors and
# partners read those too: `event_actor_label`). The recorded user name stays in the audit trail itself
# (AuditEvent.actor_label, the admin), so an event is always attributable.

def _organisation_of(user) -> str:
    membership = (user.memberships.select_related("organisation").order_by("organisation__name").first()
                  if getattr(user, "pk", None) else None)
    return membership.organisation.name if membership else ""


def person_label(user) -> str:
    """Full name (function); without a full name the function, else "a staff member of <organisation>", else ""."""
    if user is None or not getattr(user, "pk", None):
        return ""
    name = (user.get_full_name() or "").strip()
    function = (getattr(user, "function", "") or "").strip()
    if name:
        return f"{name} ({function})" if function else name
    if function:
        return function
    organisation = _organisation_of(user)
    return _("a staff member of %(organisation)s") % {"organisation": organisation} if organisation else ""


def event_actor_label(event) -> str:
    """Who did it, as a history page says it: the person's label (never the user name), "IVP (automatic)" for what
    the system did by itself, "IVP (technical management)" for a command run on the server without a person, and
    "an anonymous visitor" for an attempt from someone who was not signed in."""
    from .audit.models import AuditOrigin

    if event.actor_id:
        return _label_of(event.actor)
    if event.origin == AuditOrigin.SYSTEM:
        return _("IVP (automatic)")
    if event.origin == AuditOrigin.CLI:
        return _("IVP (technical management)")
    return _("an anonymous visitor")


def _label_of(user) -> str:
    return person_label(user) or _("a staff member")


def event_object_label(event) -> str:
    """What an event is about, as a history page says it. Events about a person or a membership recorded the user
    name in `object_repr` (User.__str__ and Membership.__str__ fall back to it): shown by the person's label."""
    if event.object_type == "core.user" and event.object_id:
        user = User.objects.filter(pk=event.object_id).first()
        return _label_of(user) if user is not None else _("a staff member")
    if event.object_type == "core.membership":
        username, separator, rest = event.object_repr.partition(" - ")
        user = User.objects.filter(username=username).first() if separator else None
        if user is not None:
            return f"{_label_of(user)} - {rest}"
    return event.object_repr


# Changes that name a person record the user name (a membership's user, a duiding's co-signer).
PERSON_CHANGE_FIELDS = frozenset({"user", "cosigned_by"})


def change_person_label(field: str, value):
    """A recorded change value shown on a history page: a user name in a person field becomes the person's label."""
    if field not in PERSON_CHANGE_FIELDS or not isinstance(value, str) or not value:
        return value
    user = User.objects.filter(username=value).first()
    return _label_of(user) if user is not None else value
