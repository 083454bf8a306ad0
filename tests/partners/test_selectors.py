"""Overdue reviews and the partner register as read through the selectors."""

import datetime as dt

import pytest

from ivp.core.models import Organisation
from ivp.partners.models import CooperationAgreement
from ivp.partners.selectors import overdue_agreements_for_user, partner_register

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def review_dates(agreements):
    """Vught's review passed, Heusden's is today (not overdue yet), the BIM's passed but it has ended."""
    CooperationAgreement.objects.filter(pk=agreements["GM0865"].pk).update(review_date=dt.date(2026, 5, 31))
    CooperationAgreement.objects.filter(pk=agreements["GM0797"].pk).update(review_date=TODAY)
    CooperationAgreement.objects.filter(pk=agreements["base"].pk).update(review_date=dt.date(2025, 1, 1),
                                                                          status="ended")
    return agreements


def _titles(qs):
    return [a.title for a in qs]


def test_overdue_means_review_date_passed_and_not_ended(users, review_dates):
    assert _titles(overdue_agreements_for_user(users["coordinator"], today=TODAY)) == ["Testafspraak boa-politie Vught"]
    CooperationAgreement.objects.filter(pk=review_dates["base"].pk).update(status="concept")
    assert _titles(overdue_agreements_for_user(users["coordinator"], today=TODAY)) == [
        "Testafspraak BIM", "Testafspraak boa-politie Vught"]


def test_overdue_follows_what_the_user_may_read(users, review_dates, heusden):
    CooperationAgreement.objects.filter(pk=review_dates["GM0797"].pk).update(review_date=dt.date(2026, 1, 1))
    assert len(overdue_agreements_for_user(users["coordinator"], today=TODAY)) == 2
    assert _titles(overdue_agreements_for_user(users["advisor"], today=TODAY)) == ["Testafspraak boa-politie Vught"]
    assert _titles(overdue_agreements_for_user(users["partner"], today=TODAY)) == ["Testafspraak boa-politie Vught"]
    assert _titles(overdue_agreements_for_user(users["anonymous"], today=TODAY)) == []
    # Per municipality: its own agreements and those of the base team as a whole.
    assert _titles(overdue_agreements_for_user(users["coordinator"], municipality=heusden, today=TODAY)) == [
        "Testafspraak boa-politie Heusden"]


def test_is_overdue_property(review_dates):
    assert CooperationAgreement.objects.get(pk=review_dates["GM0865"].pk).is_overdue
    assert not CooperationAgreement.objects.get(pk=review_dates["base"].pk).is_overdue


def test_register_groups_partners_by_kind(users, partner_profile, vught, heusden):
    groups = partner_register(users["councillor"])
    kinds = [g.kind for g in groups]
    assert kinds[:2] == ["police", "prosecutor"]
    assert len(kinds) == len(set(kinds))
    assert sum(len(g.partners) for g in groups) == Organisation.objects.filter(kind="partner").count()
    housing = next(g for g in groups if g.kind == "housing")
    assert [p.name for p in housing.partners] == ["Woningcorporaties"]
    # Filtered by municipality: only partners registered as working there.
    assert [[p.name for p in g.partners] for g in partner_register(users["advisor"], municipality=vught)] == [
        ["Woningcorporaties"]]
    assert partner_register(users["advisor"], municipality=heusden) == []
    assert partner_register(users["anonymous"]) == []
