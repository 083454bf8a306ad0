"""Reads of organisations, scoped to the user."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .access import access_for
from .models import Comment, Organisation
from .roles import Capability, OrganisationKind, Scope, roles_with


def municipalities_for_user(user) -> QuerySet[Organisation]:
    """Municipalities whose pages the user may open.

    Municipal users (advisor, councillor) open only their own; everyone else, anonymous visitors
    and partners included, opens all, and sees on them what for_user() lets them see.
    """
    qs = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("name")
    access = access_for(user)
    if access.read_all or not access.readable_municipality_ids:
        return qs
    return qs.filter(pk__in=access.readable_municipality_ids)


def municipalities_in_full_for_user(user) -> QuerySet[Organisation]:
    """Municipalities whose every row the user may read (not just what is published)."""
    qs = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("name")
    access = access_for(user)
    return qs if access.read_all else qs.filter(pk__in=access.readable_municipality_ids)


def editors_of(municipality_ids=None) -> QuerySet:
    """Active users who may edit the given municipalities' rows (all municipalities when None): those who edit
    everywhere (the coordinator role, superusers) and those who edit one of these municipalities. Who may own an
    activity or an agreement: the owner keeps it up to date. Read from the access policy, not from role names."""
    user_model = get_user_model()
    scope = Q(memberships__role__in=roles_with(Capability.EDIT, Scope.ALL)) | Q(is_superuser=True)
    own = Q(memberships__role__in=roles_with(Capability.EDIT, Scope.OWN))
    if municipality_ids is not None:
        own &= Q(memberships__organisation_id__in=list(municipality_ids))
    ids = user_model.objects.filter(is_active=True).filter(scope | own).values("pk")
    return user_model.objects.filter(pk__in=ids).order_by("username")


def holders_of(capability: Capability, municipality_id: int | None) -> QuerySet:
    """Active users whose role holds `capability` for this municipality (None: for the base team as a whole): at
    scope ALL, or at scope OWN in that municipality. Read from the access policy, not from role names. Superusers
    are left out unless a role gives it to them (they hold everything; they are not everyone's addressee)."""
    user_model = get_user_model()
    scope = Q(memberships__role__in=roles_with(capability, Scope.ALL))
    if municipality_id is not None:
        scope |= Q(memberships__role__in=roles_with(capability, Scope.OWN),
                   memberships__organisation_id=municipality_id)
    ids = user_model.objects.filter(is_active=True).filter(scope).values("pk")
    return user_model.objects.filter(pk__in=ids).order_by("username")


def base_team() -> Organisation | None:
    return Organisation.objects.filter(kind=OrganisationKind.BASE_TEAM).first()


def partners() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name")


def comments_for_user(user, target) -> QuerySet[Comment]:
    return Comment.objects.for_user(user).filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("author")


# --- People (issue 14) ---------------------------------------------------------------------------------------------

def people_for_user(user) -> QuerySet:
    """The accounts this user may see on the people pages: everyone for those who manage people everywhere; for an
    advisor the people with a role in their own municipality (managing them is a further check,
    `ivp.core.access.may_manage_person`); nobody for the others."""
    from django.db.models import Exists, OuterRef
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import Invitation, Membership

    user_model = get_user_model()
    access = access_for(user)
    qs = user_model.objects.all()
    if not access.can(Capability.MANAGE_PEOPLE, None):
        own = access.grant(Capability.MANAGE_PEOPLE).own_ids
        if not own:
            return user_model.objects.none()
        qs = qs.filter(pk__in=Membership.objects.filter(organisation_id__in=own).values("user_id"))
    return (qs.annotate(
        mfa_set_up=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        invitation_open=Exists(Invitation.objects.filter(user=OuterRef("pk"), accepted_at__isnull=True,
                                                         revoked_at__isnull=True, expires_at__gt=timezone.now())),
    ).prefetch_related("memberships__organisation").order_by("last_name", "first_name", "username"))


def organisations_to_manage(user) -> QuerySet[Organisation]:
    """Organisations in which the user may give at least one role (invite someone to)."""
    access = access_for(user)
    if access.can(Capability.MANAGE_PEOPLE, None):
        return Organisation.objects.order_by("kind", "name")
    return Organisation.objects.filter(pk__in=access.grant(Capability.MANAGE_PEOPLE).own_ids).order_by("name")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    INVITED = "invited", _("invited")
    INVITATION_EXPIRED = "invitation_expired", _("invitation expired")
    DEACTIVATED = "deactivated", _("deactivated")


def person_status(person) -> str:
    """Active, invited (the link still works), invitation expired (never signed in, no working link) or
    deactivated. Uses the `invitation_open` annotation of people_for_user() when present."""
    if not person.is_active:
        return PersonStatus.DEACTIVATED
    if person.has_usable_password() or person.last_login is not None:
        return PersonStatus.ACTIVE
    invitation_open = getattr(person, "invitation_open", None)
    if invitation_open is None:
        invitation_open = any(i.is_open() for i in person.invitations.all())
    return PersonStatus.INVITED if invitation_open else PersonStatus.INVITATION_EXPIRED


# What the people page shows of a person's audit trail: the management of their account, not their sign-ins (those
# are personal records with their own retention, read in the admin).
PERSON_HISTORY_ACTIONS = ("person.", "membership.", "user.", "admin.user.", "admin.membership.",
                          "auth.mfa_enrolment_permitted", "auth.mfa_device_added", "auth.password_reset")


def person_history(person) -> QuerySet:
    from .audit.models import AuditEvent
    from .models import Membership

    memberships = [str(pk) for pk in Membership.objects.filter(user=person).values_list("pk", flat=True)]
    about = Q(object_type="core.user", object_id=str(person.pk)) | Q(object_type="core.membership",
                                                                     object_id__in=memberships)
    kinds = Q()
    for action in PERSON_HISTORY_ACTIONS:
        kinds |= Q(action__startswith=action)
    return AuditEvent.objects.filter(about & kinds)
