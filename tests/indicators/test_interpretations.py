"""Interpretations (duiding): who writes, police co-sign, optimistic locking, scoping."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ivp.areas.models import Area
from ivp.core.audit.models import AuditEvent
from ivp.indicators.models import Interpretation
from ivp.indicators.services.interpretations import StaleEdit, interpretation_cosign, interpretation_save

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
