"""Reads of the partner register and of cooperation agreements (agreements only through `for_user()`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from ivp.core.access import access_for
from ivp.core.models import Organisation
from ivp.core.roles import OrganisationKind, PartnerKind
from ivp.core.selectors import editors_of

from .models import CooperationAgreement, CooperationAgreementQuerySet


def partners_for_user(user) -> QuerySet[Organisation]:
    """Partner organisations with their register entry. The register is open to every signed-in user."""
    if not access_for(user).authenticated:
        return Organisation.objects.none()
    return (Organisation.objects.filter(kind=OrganisationKind.PARTNER)
            .select_related("partner_profile")
            .prefetch_related(Prefetch("partner_profile__municipalities",
                                       queryset=Organisation.objects.order_by("name")))
            .order_by("name"))


@dataclass(frozen=True)
class PartnerGroup:
    kind: str
    label: str
    partners: list[Organisation]


def partner_register(user, *, municipality: Organisation | None = None) -> list[PartnerGroup]:
    """Partners grouped by kind, in the order of the kinds; optionally only those working in a municipality."""
    qs = partners_for_user(user)
    if municipality is not None:
        qs = qs.filter(partner_profile__municipalities=municipality)
    by_kind: dict[str, list[Organisation]] = {}
    for partner in qs:
        by_kind.setdefault(partner.partner_kind or PartnerKind.OTHER, []).append(partner)
    return [PartnerGroup(kind=kind, label=str(label), partners=by_kind[kind])
            for kind, label in PartnerKind.choices if kind in by_kind]


def profile_of(organisation: Organisation):
    """The organisation's register entry, or None when nothing has been registered yet."""
    return getattr(organisation, "partner_profile", None)


def agreements_for_user(user) -> CooperationAgreementQuerySet:
    return (CooperationAgreement.objects.for_user(user)
            .select_related("municipality", "owner")
            .prefetch_related(Prefetch("parties", queryset=Organisation.objects.order_by("kind", "name"))))


def agreements_concerning(qs: QuerySet[CooperationAgreement], municipality: Organisation) -> QuerySet:
    """Agreements of this municipality and of the base team as a whole (which apply to every municipality)."""
    return qs.filter(Q(municipality=municipality) | Q(municipality__isnull=True))


def overdue_agreements_for_user(user, *, municipality: Organisation | None = None,
                                today: dt.date | None = None) -> QuerySet[CooperationAgreement]:
    """Agreements the user may read whose review date has passed while they are not ended."""
    qs = agreements_for_user(user).overdue(today)
    if municipality is not None:
        qs = agreements_concerning(qs, municipality)
    return qs.order_by("review_date", "title")


def agreements_with_party(user, organisation: Organisation) -> QuerySet[CooperationAgreement]:
    party_of = CooperationAgreement.objects.filter(parties=organisation).values("pk")
    return agreements_for_user(user).filter(pk__in=party_of).order_by("title")


def eligible_owners(municipality_ids=None):
    """Users who may own an agreement: who may edit it (ivp.core.selectors.editors_of; all municipalities when
    None). The owner keeps the agreement up to date."""
    return editors_of(municipality_ids)
