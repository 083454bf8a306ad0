"""Reads of organisations, scoped to the user."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

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


def base_team() -> Organisation | None:
    return Organisation.objects.filter(kind=OrganisationKind.BASE_TEAM).first()


def partners() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name")


def comments_for_user(user, target) -> QuerySet[Comment]:
    return Comment.objects.for_user(user).filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("author")
