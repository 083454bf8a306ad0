"""Writes of organisations, users and memberships. Every write is audited."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import access_for, require_edit_shared_plan, require_manage_person
from .audit.recorder import audited, field_changes
from .models import Comment, Membership, MfaEnrolmentPermit, Organisation, User
from .roles import OrganisationKind

# How long a permit to set up a first authenticator with the password alone stays valid.
MFA_ENROLMENT_VALIDITY = dt.timedelta(days=7)


def organisation_ensure(
    *, actor, kind: str, code: str, name: str, cbs_code: str | None = None, partner_kind: str = "",
    parent: Organisation | None = None,
) -> tuple[Organisation, bool]:
    """Create the organisation with this code, or bring its name/kind up to date. Idempotent."""
    existing = Organisation.objects.filter(code=code).first()
    values = {"kind": kind, "name": name, "cbs_code": cbs_code, "partner_kind": partner_kind, "parent": parent}
    if existing is not None and not field_changes(existing, values, apply=False):
        return existing, False
    action = "organisation.update" if existing else "organisation.create"
    municipality = existing if existing and existing.kind == OrganisationKind.MUNICIPALITY else None
    with audited(actor=actor, action=action, target=existing, municipality=municipality) as event:
        if actor is not None:
            require_edit_shared_plan(actor)
        org = existing or Organisation(code=code)
        event.changes = field_changes(org, values)
        org.full_clean()
        org.save()
        event.target = org
        if org.kind == OrganisationKind.MUNICIPALITY:
            event.municipality = org
    return org, existing is None


def membership_create(*, actor, user: User, organisation: Organisation, role: str) -> Membership:
    """Give `user` a role in `organisation`: by whoever may give that role there (the policy's `manage_people`
    and `manages`); `actor=None` is the command line."""
    with audited(actor=actor, action="membership.create", municipality=_municipality(organisation)) as event:
        if actor is not None and not access_for(actor).can_manage_role(role, organisation.pk):
            raise PermissionDenied(_("You may not give this role in %(organisation)s.")
                                   % {"organisation": organisation})
        if actor is not None and user.pk == actor.pk:
            raise PermissionDenied(_("You cannot give yourself a role."))
        membership = Membership(user=user, organisation=organisation, role=role)
        membership.full_clean()
        membership.save()
        event.target = membership
        event.changes = {"user": [None, user.get_username()], "organisation": [None, str(organisation)],
                         "role": [None, role]}
    return membership


def user_create(*, actor, username: str, email: str = "", is_superuser: bool = False,
                password: str | None = None) -> tuple[User, str]:
    """Create a user. Returns the user and the password (generated when not given)."""
    password = password or secrets.token_urlsafe(18)
    with audited(actor=actor, action="user.create") as event:
        if actor is not None:
            require_edit_shared_plan(actor)
        user = User(username=username, email=email, is_superuser=is_superuser, is_staff=is_superuser)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        # A new account has no authenticator yet: its first sign-in may set one up (its creator vouches for it).
        MfaEnrolmentPermit.objects.create(user=user, issued_by=actor if getattr(actor, "pk", None) else None,
                                          expires_at=timezone.now() + MFA_ENROLMENT_VALIDITY)
        event.target = user
        event.changes = {"username": [None, username], "is_superuser": [None, is_superuser]}
    return user, password


def mfa_enrolment_permit_issue(*, actor, user: User) -> MfaEnrolmentPermit:
    """Allow `user` to set up an authenticator with the password alone, for MFA_ENROLMENT_VALIDITY (e.g. after a
    lost phone, once the old device is removed). Only those who may manage the person (ivp.core.access.
    may_manage_person: the coordinator role for everyone, administrators) may issue it; `actor=None` is the command
    line (`ivp bootstrap`)."""
    with audited(actor=actor, action="auth.mfa_enrolment_permitted", target=user) as event:
        require_manage_person(actor, user)
        permit, _created = MfaEnrolmentPermit.objects.update_or_create(
            user=user, defaults={"issued_by": actor if getattr(actor, "pk", None) else None,
                                 "expires_at": timezone.now() + MFA_ENROLMENT_VALIDITY})
        event.changes = {"expires_at": [None, permit.expires_at.isoformat()]}
    return permit


def mfa_enrolment_open(user: User) -> bool:
    return MfaEnrolmentPermit.objects.filter(user=user, expires_at__gt=timezone.now()).exists()


def user_set_password(*, actor, user: User, password: str | None = None) -> str:
    password = password or secrets.token_urlsafe(18)
    with audited(actor=actor, action="user.set_password", target=user) as event:
        user.set_password(password)
        user.save(update_fields=["password"])
        event.changes = {"password": ["***", "***"]}
    return password


def _municipality(org: Organisation) -> Organisation | None:
    return org if org.kind == OrganisationKind.MUNICIPALITY else None




def comment_create(*, actor, target, text: str) -> Comment:
    """Add a comment to an object the actor has already been allowed to read (via for_user())."""
    municipality = getattr(target, "municipality", None)
    with audited(actor=actor, action="comment.create", target=target, municipality=municipality) as event:
        if not access_for(actor).can_comment:
            raise PermissionDenied(_("Your role cannot add comments."))
        text = (text or "").strip()
        if not text:
            raise ValidationError({"text": _("Write a comment first.")})
        comment = Comment.objects.create(
            content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk),
            municipality=municipality, author=actor, text=text,
        )
        event.changes = {"comment": [None, text]}
    return comment


MFA_BACKUP_CODE_COUNT = 10


def mfa_device_confirm(*, actor: User, device) -> list[str]:
    """Confirm the actor's new TOTP device (its code was checked by the caller) and issue fresh backup codes,
    returned once for showing; earlier backup codes stop working."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    if device.user_id != actor.pk:
        raise PermissionDenied(_("This authenticator belongs to another account."))
    with audited(actor=actor, action="auth.mfa_device_added", target=actor):
        MfaEnrolmentPermit.objects.filter(user=actor).delete()  # used up
        device.confirmed = True
        device.save()
        backup, _created = StaticDevice.objects.get_or_create(user=actor, name="backup")
        backup.token_set.all().delete()
        codes = [StaticToken.random_token() for _i in range(MFA_BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
        backup.confirmed = True
        backup.save()
    return codes
