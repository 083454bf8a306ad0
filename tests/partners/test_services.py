"""Audited, role-checked writes of the partner register and of cooperation agreements."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ivp.core.audit.models import AuditEvent
from ivp.core.locking import StaleEdit
from ivp.core.models import Organisation
from ivp.core.services import membership_create
from ivp.partners.models import AgreementStatus, CooperationAgreement, PartnerProfile
from ivp.partners.services import (
    agreement_create,
    agreement_update,
    partner_profile_save,
)

from ..concurrency import one_won, postgres_only, race

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(plan):
    return Organisation.objects.get(code="politie")


@pytest.fixture
def housing(plan):
    return Organisation.objects.filter(partner_kind="housing").first()


def _values(**overrides):
    values = {"title": "Testafspraak", "kind": "boa_police", "start_date": dt.date(2025, 1, 1),
              "review_date": dt.date(2026, 1, 1), "status": "active", "task_division": "Boa: overlast; politie: "
              "strafrecht.", "backup": "Politie komt bij escalatie.", "information_sharing": "Wekelijks overleg."}
    values.update(overrides)
    return values


def _update_values(agreement, **overrides):
    values = {"title": agreement.title, "kind": agreement.kind, "municipality": agreement.municipality,
              "parties": list(agreement.parties.all()), "owner": agreement.owner, "start_date": agreement.start_date,
              "review_date": agreement.review_date, "status": agreement.status, "summary": agreement.summary,
              "task_division": agreement.task_division, "backup": agreement.backup,
              "information_sharing": agreement.information_sharing}
    values.update(overrides)
    return values


# --- Agreements: who may write -------------------------------------------------------------------

def test_advisor_creates_an_agreement_of_their_own_municipality(users, vught, police):
    advisor = users["advisor"]
    agreement = agreement_create(actor=advisor, municipality=vught, parties=[police], owner=advisor, **_values())
    # The owning municipality is always a party.
    assert set(agreement.parties.all()) == {vught, police}
    event = AuditEvent.objects.for_object(agreement).get(action="agreement.create")
    assert event.result == "success" and event.municipality == vught and event.actor == advisor
    assert event.changes["title"] == [None, "Testafspraak"]
    assert event.changes["parties"] == [None, "Politie, basisteam Meierij, Vught"]


@pytest.mark.parametrize("role", ["councillor", "police", "prosecutor", "partner"])
def test_read_only_roles_cannot_create(users, vught, police, role):
    with pytest.raises(PermissionDenied):
        agreement_create(actor=users[role], municipality=vught, parties=[police], owner=users["advisor"],
                         **_values())
    assert not CooperationAgreement.objects.exists()
    assert AuditEvent.objects.filter(action="agreement.create", result="denied", actor=users[role]).exists()


def test_advisor_cannot_write_for_another_municipality_or_the_base_team(users, vught, heusden, police):
    advisor = users["advisor"]
    with pytest.raises(PermissionDenied):
        agreement_create(actor=advisor, municipality=heusden, parties=[police], owner=advisor, **_values())
    with pytest.raises(PermissionDenied):
        agreement_create(actor=advisor, municipality=None, parties=[vught, police], owner=advisor, **_values())
    assert not CooperationAgreement.objects.exists()


def test_coordinator_writes_base_team_wide_agreements(users, vught, heusden, police):
    coordinator = users["coordinator"]
    agreement = agreement_create(actor=coordinator, municipality=None, parties=[vught, heusden, police],
                                 owner=coordinator, **_values(kind="bim", title="BIM"))
    assert agreement.municipality is None
    assert AuditEvent.objects.for_object(agreement).get().municipality is None


def test_advisor_may_not_move_an_agreement_out_of_their_municipality(users, agreements, heusden):
    advisor = users["advisor"]
    agreement = agreements["GM0865"]
    with pytest.raises(PermissionDenied):
        agreement_update(actor=advisor, agreement=agreement, **_update_values(agreement, municipality=heusden,
                                                                               owner=users["coordinator"]))
    agreement.refresh_from_db()
    assert agreement.municipality.cbs_code == "GM0865"


def test_advisor_cannot_change_base_team_agreement(users, agreements):
    agreement = agreements["base"]
    with pytest.raises(PermissionDenied):
        agreement_update(actor=users["advisor"], agreement=agreement, **_update_values(agreement, title="Changed"))
    agreement.refresh_from_db()
    assert agreement.title == "Testafspraak BIM"


# --- Agreements: validation ----------------------------------------------------------------------

def test_owner_must_be_able_to_edit_the_agreement(users, vught, heusden, police):
    with pytest.raises(ValidationError) as exc:
        agreement_create(actor=users["coordinator"], municipality=vught, parties=[police], owner=users["police"],
                         **_values())
    assert "owner" in exc.value.error_dict
    # An advisor of Vught cannot own Heusden's agreement, nor one of the base team as a whole.
    for municipality in (heusden, None):
        with pytest.raises(ValidationError) as exc:
            agreement_create(actor=users["coordinator"], municipality=municipality, parties=[vught, police],
                             owner=users["advisor"], **_values())
        assert "owner" in exc.value.error_dict
    assert not CooperationAgreement.objects.exists()
    assert AuditEvent.objects.filter(action="agreement.create", result="error").count() == 3


def test_required_fields_and_dates(users, vught, police):
    coordinator = users["coordinator"]
    with pytest.raises(ValidationError) as exc:
        agreement_create(actor=coordinator, municipality=vught, parties=[], owner=None,
                         **_values(title=" ", kind="x", status="y", start_date=None, review_date=None))
    assert set(exc.value.error_dict) == {"title", "kind", "status", "parties", "owner", "start_date", "review_date"}
    with pytest.raises(ValidationError) as exc:
        agreement_create(actor=coordinator, municipality=vught, parties=[police], owner=coordinator,
                         **_values(start_date=dt.date(2025, 6, 1), review_date=dt.date(2025, 1, 1)))
    assert set(exc.value.error_dict) == {"review_date"}
    # An ended agreement needs no next review.
    ended = agreement_create(actor=coordinator, municipality=vught, parties=[police], owner=coordinator,
                             **_values(status="ended", review_date=None))
    assert ended.review_date is None


def test_parties_are_municipalities_and_partners(users, plan, vught):
    base_team = Organisation.objects.get(kind="base_team")
    with pytest.raises(ValidationError) as exc:
        agreement_create(actor=users["coordinator"], municipality=vught, parties=[base_team],
                         owner=users["coordinator"], **_values())
    assert "parties" in exc.value.error_dict


# --- Agreements: updates ---------------------------------------------------------------------------

def test_update_records_old_and_new_values(users, agreements, housing):
    advisor = users["advisor"]
    agreement = agreements["GM0865"]
    parties = [p for p in agreement.parties.all() if p != housing]
    agreement_update(actor=advisor, agreement=agreement, expected_version=1,
                     **_update_values(agreement, review_date=dt.date(2027, 3, 1), status="under_review",
                                      parties=parties, backup="Nieuwe back-up"))
    agreement.refresh_from_db()
    assert agreement.version == 2 and agreement.status == "under_review"
    assert housing not in agreement.parties.all()
    event = AuditEvent.objects.for_object(agreement).get(action="agreement.update")
    assert event.changes["review_date"] == ["2099-01-01", "2027-03-01"]
    assert event.changes["status"] == ["active", "under_review"]
    assert event.changes["backup"] == ["", "Nieuwe back-up"]
    assert event.changes["parties"][0].startswith("Politie") and "Woningcorporaties" in event.changes["parties"][0]
    assert "Woningcorporaties" not in event.changes["parties"][1]


def test_an_unchanged_save_records_nothing(users, agreements):
    agreement = agreements["GM0865"]
    before = AuditEvent.objects.count()
    agreement_update(actor=users["advisor"], agreement=agreement, **_update_values(agreement))
    agreement.refresh_from_db()
    assert agreement.version == 1
    assert AuditEvent.objects.count() == before


def test_a_stale_edit_is_refused_and_the_first_save_kept(users, agreements):
    agreement = agreements["GM0865"]
    first = CooperationAgreement.objects.get(pk=agreement.pk)
    second = CooperationAgreement.objects.get(pk=agreement.pk)
    agreement_update(actor=users["advisor"], agreement=first, expected_version=1,
                     **_update_values(first, task_division="Eerste versie"))
    with pytest.raises(StaleEdit):
        agreement_update(actor=users["coordinator"], agreement=second, expected_version=1,
                         **_update_values(second, task_division="Tweede versie"))
    agreement.refresh_from_db()
    assert agreement.task_division == "Eerste versie" and agreement.version == 2
    assert AuditEvent.objects.filter(action="agreement.update", result="error").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_agreement_saves_at_the_same_moment(users, agreements, housing):
    pk = agreements["GM0865"].pk

    def save(actor, text, *, drop_housing: bool):
        def run():
            current = CooperationAgreement.objects.get(pk=pk)
            parties = [p for p in current.parties.all() if not (drop_housing and p == housing)]
            return agreement_update(actor=actor, agreement=current, expected_version=1,
                                    **_update_values(current, task_division=text, parties=parties))
        return run

    winner = one_won(race(save(users["advisor"], "Van de adviseur", drop_housing=True),
                          save(users["coordinator"], "Van het basisteam", drop_housing=False),
                          pause_before_writing=CooperationAgreement))
    stored = CooperationAgreement.objects.get(pk=pk)
    assert (stored.task_division, stored.version) == (winner.task_division, 2)
    # The loser's parties were not written either: they are the winner's.
    assert (housing in stored.parties.all()) == (winner.task_division == "Van het basisteam")


# --- Reading: for_user and shared_q ----------------------------------------------------------------

def test_for_user_scopes(users, agreements):
    visible = {role: set(CooperationAgreement.objects.for_user(user).values_list("title", flat=True))
               for role, user in users.items()}
    everything = {"Testafspraak boa-politie Vught", "Testafspraak boa-politie Heusden", "Testafspraak BIM"}
    assert visible["coordinator"] == visible["police"] == visible["prosecutor"] == everything
    # Municipal users: their own municipality, and the base team's agreements.
    assert visible["advisor"] == visible["councillor"] == {"Testafspraak boa-politie Vught", "Testafspraak BIM"}
    # A partner: only the agreements their organisation is a party to.
    assert visible["partner"] == {"Testafspraak boa-politie Vught"}
    assert visible["anonymous"] == set()


def test_shared_q_does_not_duplicate_rows(users, agreements, housing, police):
    # The partner's organisation is a party twice over (directly and via a second membership): one row each.
    membership_create(actor=None, user=users["partner"], organisation=police, role="partner")
    users["partner"].__dict__.pop("_ivp_access", None)
    titles = list(CooperationAgreement.objects.for_user(users["partner"]).values_list("title", flat=True))
    assert sorted(titles) == sorted(set(titles)) and len(titles) == 3


# --- Partner register --------------------------------------------------------------------------------

def test_coordinator_keeps_the_partner_register(users, housing, vught, heusden):
    coordinator = users["coordinator"]
    profile = partner_profile_save(actor=coordinator, organisation=housing, contact_role="Team leefbaarheid",
                                   contact_email="leefbaarheid@example.org", website="https://example.org",
                                   municipalities=[vught])
    assert AuditEvent.objects.for_object(profile).get(action="partner_profile.create").changes["contact_role"] == [
        None, "Team leefbaarheid"]
    profile = partner_profile_save(actor=coordinator, organisation=housing, contact_role="Team leefbaarheid",
                                   contact_email="leefbaarheid@example.org", website="https://example.org",
                                   municipalities=[vught, heusden], expected_version=1)
    assert profile.version == 2
    event = AuditEvent.objects.for_object(profile).get(action="partner_profile.update")
    assert event.changes == {"municipalities": ["Vught", "Heusden, Vught"]}


@pytest.mark.parametrize("role", ["advisor", "councillor", "police", "prosecutor", "partner"])
def test_only_the_coordinator_changes_the_register(users, housing, role):
    with pytest.raises(PermissionDenied):
        partner_profile_save(actor=users[role], organisation=housing, contact_role="Iets")
    assert not PartnerProfile.objects.exists()


def test_register_validation(users, housing, vught):
    with pytest.raises(ValidationError) as exc:
        partner_profile_save(actor=users["coordinator"], organisation=housing, contact_email="geen-adres",
                             website="javascript:alert(1)")
    assert set(exc.value.error_dict) == {"contact_email", "website"}
    with pytest.raises(ValidationError):
        partner_profile_save(actor=users["coordinator"], organisation=vught, contact_role="Geen partner")
    assert not PartnerProfile.objects.exists()


def test_a_stale_register_edit_is_refused(users, partner_profile, housing):
    partner_profile_save(actor=users["coordinator"], organisation=housing, contact_role="Nieuw", expected_version=1)
    with pytest.raises(StaleEdit):
        partner_profile_save(actor=users["coordinator"], organisation=housing, contact_role="Ouder",
                             expected_version=1)
    assert PartnerProfile.objects.get().contact_role == "Nieuw"
    assert AuditEvent.objects.filter(action="partner_profile.update", result="error").count() == 1


def test_a_register_entry_made_in_the_meantime(users, housing):
    partner_profile_save(actor=users["coordinator"], organisation=housing, contact_role="Eerst", expected_version=0)
    with pytest.raises(StaleEdit):
        partner_profile_save(actor=users["coordinator"], organisation=housing, contact_role="Daarna",
                             expected_version=0)
    assert PartnerProfile.objects.get().contact_role == "Eerst"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_register_saves_at_the_same_moment(users, partner_profile, housing, heusden):
    def save(role, municipalities):
        return lambda: partner_profile_save(actor=users["coordinator"], organisation=housing, contact_role=role,
                                            municipalities=municipalities, expected_version=1)

    winner = one_won(race(save("Eerste", [heusden]), save("Tweede", []), pause_before_writing=PartnerProfile))
    stored = PartnerProfile.objects.get()
    assert (stored.contact_role, stored.version) == (winner.contact_role, 2)
    assert list(stored.municipalities.all()) == ([heusden] if winner.contact_role == "Eerste" else [])


def test_status_choices_match_the_issue():
    assert AgreementStatus.values == ["concept", "active", "under_review", "ended"]
