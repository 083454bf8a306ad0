"""Interpretations (duiding): who writes, police co-sign, optimistic locking, scoping."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ivp.areas.models import Area
from ivp.core.audit.models import AuditEvent
from ivp.core.locking import StaleEdit
from ivp.indicators.models import Interpretation
from ivp.indicators.services.interpretations import interpretation_cosign, interpretation_save

from ..concurrency import one_won, postgres_only, race

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(plan, vught, heusden):
    """Two municipal areas and a wijk (test fixture, linked to the plan's organisations)."""
    v = Area.objects.create(code="GM0865", level="gemeente", name="Vught", organisation=vught)
    h = Area.objects.create(code="GM0797", level="gemeente", name="Heusden", organisation=heusden)
    wijk = Area.objects.create(code="WK086501", level="wijk", name="Testwijk", parent=v)
    return {"vught": v, "heusden": h, "wijk": wijk}


def test_advisor_writes_for_own_municipality_including_its_wijken(users, areas):
    note = interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["wijk"], period="2024",
                               text="Daling door gerichte aanpak.", published=False)
    assert note.municipality.cbs_code == "GM0865" and note.version == 1
    with pytest.raises(PermissionDenied):
        interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["heusden"], period="2024",
                            text="Niet mijn gemeente.", published=False)
    assert AuditEvent.objects.filter(action="interpretation.create", result="denied").exists()


def test_base_team_level_is_for_the_coordinator(users):
    with pytest.raises(PermissionDenied):
        interpretation_save(actor=users["advisor"], indicator="crime_total", area=None, period="2024",
                            text="Basisteam.", published=True)
    note = interpretation_save(actor=users["coordinator"], indicator="crime_total", area=None, period="2024",
                               text="Basisteam.", published=True)
    assert note.municipality is None
    # Shared with every signed-in user, not with the anonymous public unless published.
    assert Interpretation.objects.for_user(users["councillor"]).filter(pk=note.pk).exists()


def test_second_save_on_a_stale_form_is_refused(users, areas):
    note = interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["vught"], period="2024",
                               text="Eerste versie.", published=False)
    interpretation_save(actor=users["coordinator"], indicator="crime_total", area=areas["vught"], period="2024",
                        text="Tweede versie.", published=False, expected_version=note.version)
    with pytest.raises(StaleEdit):
        interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["vught"], period="2024",
                            text="Derde versie op oud formulier.", published=False, expected_version=note.version)
    note.refresh_from_db()
    assert note.text == "Tweede versie." and note.version == 2
    assert AuditEvent.objects.filter(action="interpretation.update", result="error").count() == 1


def test_a_stale_save_keeps_the_co_signature(users, areas):
    """The refused save would have cleared the co-signature (a changed text): it changes nothing at all."""
    note = interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["vught"], period="2024",
                               text="Tekst.", published=True)
    interpretation_cosign(actor=users["police"], interpretation=note)
    interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["vught"], period="2024",
                        text="Tekst.", published=False, expected_version=1)  # the text stays: signature stays
    with pytest.raises(StaleEdit):
        interpretation_save(actor=users["coordinator"], indicator="crime_total", area=areas["vught"],
                            period="2024", text="Andere tekst.", published=True, expected_version=1)
    note.refresh_from_db()
    assert (note.text, note.published, note.version) == ("Tekst.", False, 2)
    assert note.cosigned_by == users["police"]


def test_a_form_opened_before_the_interpretation_existed(users, areas):
    """Two people write the first interpretation: the second one's form (version 0) is refused, not merged."""
    interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["vught"], period="2024",
                        text="Eerste.", published=False, expected_version=0)
    with pytest.raises(StaleEdit):
        interpretation_save(actor=users["coordinator"], indicator="crime_total", area=areas["vught"],
                            period="2024", text="Tweede.", published=False, expected_version=0)
    assert Interpretation.objects.get().text == "Eerste."


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment(users, areas):
    note = interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["vught"], period="2024",
                               text="Eerste versie.", published=False)

    def save(actor, text):
        return lambda: interpretation_save(actor=actor, indicator="crime_total", area=areas["vught"],
                                           period="2024", text=text, published=False, expected_version=1)

    winner = one_won(race(save(users["advisor"], "Van de adviseur."), save(users["coordinator"], "Van het basisteam."),
                          pause_before_writing=Interpretation))
    note.refresh_from_db()
    assert (note.text, note.version) == (winner.text, 2)
    assert AuditEvent.objects.filter(action="interpretation.update", result="error").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_first_interpretations_at_the_same_moment(users, areas):
    def save(actor, text):
        return lambda: interpretation_save(actor=actor, indicator="crime_total", area=areas["vught"],
                                           period="2024", text=text, published=False, expected_version=0)

    winner = one_won(race(save(users["advisor"], "Van de adviseur."), save(users["coordinator"], "Van het basisteam."),
                          pause_before_writing=Interpretation))
    assert Interpretation.objects.get().text == winner.text
    assert AuditEvent.objects.filter(action="interpretation.create", result="error").count() == 1


def test_police_cosign_and_a_changed_text_needs_a_new_signature(users, areas):
    note = interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["vught"], period="2024",
                               text="Tekst.", published=True)
    with pytest.raises(PermissionDenied):
        interpretation_cosign(actor=users["prosecutor"], interpretation=note)
    interpretation_cosign(actor=users["police"], interpretation=note)
    assert note.cosigned_by == users["police"]
    interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["vught"], period="2024",
                        text="Andere tekst.", published=True)
    note.refresh_from_db()
    assert note.cosigned_by is None


def test_empty_text_and_unknown_indicator_are_refused(users, areas):
    with pytest.raises(ValidationError) as info:
        interpretation_save(actor=users["advisor"], indicator="nope", area=areas["vught"], period="2024",
                            text=" ", published=False)
    assert set(info.value.error_dict) == {"indicator", "text"}
    assert not Interpretation.objects.exists()


def test_other_municipality_cannot_read_drafts(users, areas):
    interpretation_save(actor=users["coordinator"], indicator="crime_total", area=areas["heusden"], period="2024",
                        text="Heusden concept.", published=False)
    assert not Interpretation.objects.for_user(users["advisor"]).exists()
    assert not Interpretation.objects.for_user(None).exists()


@pytest.mark.parametrize("period", ["2099", "<b>2024</b>", "2O24", "24", "2024-13", "2024-2021", "1999", ""])
def test_a_period_that_is_not_a_year_range_or_month_is_refused(users, areas, period):
    with pytest.raises(ValidationError) as refused:
        interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["vught"], period=period,
                            text="Tekst.", published=True)
    assert "period" in refused.value.message_dict
    assert not Interpretation.objects.exists()
    assert AuditEvent.objects.filter(action="interpretation.create", result="error").exists()


@pytest.mark.parametrize("period", ["2024", " 2021-2024 ", "2024-03"])
def test_years_ranges_and_months_are_accepted_and_stored_normalised(users, areas, period):
    note = interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["vught"], period=period,
                               text="Tekst.", published=True)
    assert note.period == period.strip()


def test_a_table_interpretation_belongs_to_the_right_area(users, areas):
    with pytest.raises(ValidationError) as refused:
        interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["wijk"], period="2024",
                            text="Buurten.", published=True, scope="neighbourhoods")
    assert "scope" in refused.value.message_dict
    with pytest.raises(ValidationError):
        interpretation_save(actor=users["coordinator"], indicator="crime_total", area=areas["vught"], period="2024",
                            text="Vergelijking.", published=True, scope="comparison")
    table = interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["vught"], period="2024",
                                text="Buurten.", published=True, scope="neighbourhoods")
    own = interpretation_save(actor=users["advisor"], indicator="crime_total", area=areas["vught"], period="2024",
                              text="Gemeente.", published=True)
    assert table.pk != own.pk and {table.scope, own.scope} == {"neighbourhoods", "figure"}
