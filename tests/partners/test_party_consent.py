"""A municipality is named as a party to an agreement only by its own advisor or the coordinator: a Vught
advisor cannot add Heusden to (or remove it from) a Vught agreement. Refused with a clear message, audited."""

import datetime as dt

import pytest
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.core.models import Organisation
from ivp.partners.models import CooperationAgreement
from ivp.partners.services import PartyConsentRequired, agreement_create, agreement_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(plan):
    return Organisation.objects.get(code="politie")


def _values(vught, owner, parties, **extra):
    return {"title": "Afspraak Vught (test)", "kind": "boa_police", "municipality": vught, "parties": parties,
            "owner": owner, "start_date": dt.date(2025, 1, 1), "review_date": dt.date(2026, 1, 1),
            "status": "active", **extra}


def test_an_advisor_cannot_name_another_municipality(users, vught, heusden, police):
    with pytest.raises(PartyConsentRequired) as info:
        agreement_create(actor=users["advisor"], **_values(vught, users["advisor"], [heusden, police]))
    assert "Heusden" in str(info.value)
    assert not CooperationAgreement.objects.exists()
    event = AuditEvent.objects.get(action="agreement.create")
    assert event.result == "denied" and event.actor == users["advisor"] and "Heusden" in event.message


def test_an_advisor_names_their_own_municipality_and_partners(users, vught, police):
    agreement = agreement_create(actor=users["advisor"], **_values(vught, users["advisor"], [vught, police]))
    assert set(agreement.parties.all()) == {vught, police}


def test_the_coordinator_names_any_municipality_and_the_advisor_keeps_it(users, vught, heusden, police):
    agreement = agreement_create(actor=users["coordinator"], **_values(vught, users["advisor"], [heusden, police]))
    assert set(agreement.parties.all()) == {vught, heusden, police}
    # Vught's advisor may still edit the agreement, keeping Heusden as it is ...
    agreement_update(actor=users["advisor"], agreement=agreement,
                     **_values(vught, users["advisor"], [vught, heusden, police], title="Nieuwe titel (test)"))
    agreement.refresh_from_db()
    assert agreement.title == "Nieuwe titel (test)"
    # ... but not take Heusden off.
    with pytest.raises(PartyConsentRequired):
        agreement_update(actor=users["advisor"], agreement=agreement,
                         **_values(vught, users["advisor"], [vught, police], title="Nieuwe titel (test)"))
    assert heusden in agreement.parties.all()
    assert AuditEvent.objects.filter(action="agreement.update", result="denied", actor=users["advisor"]).exists()


def test_the_form_shows_the_refusal_on_the_parties(client, users, vught, heusden, police):
    client.force_login(users["advisor"])
    response = client.post(reverse("web:agreement_create"), {
        "title": "BIM Vught en Heusden (test)", "kind": "bim", "status": "active", "municipality": vught.pk,
        "owner": users["advisor"].pk, "start_date": "2025-02-01", "review_date": "2026-02-01",
        "party_municipalities": [heusden.pk], "party_partners": [police.pk],
    })
    assert response.status_code == 403
    html = response.content.decode()
    assert 'id="id_party_municipalities_error"' in html and "Heusden" in html
    assert "BIM Vught en Heusden (test)" in html  # the input stays in the form
    assert not CooperationAgreement.objects.exists()
    assert AuditEvent.objects.filter(action="agreement.create", result="denied").count() == 1
