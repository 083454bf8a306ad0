"""Loading plan versions, and the audited writes of municipality-owned plan parts."""

import copy
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from ivp.core.audit.models import AuditEvent
from ivp.core.locking import StaleEdit
from ivp.plans.export import plan_document as export_document
from ivp.plans.models import Adoption, LocalPriority, Plan, Theme
from ivp.plans.services import (
    PlanLoadConflict,
    adoption_update,
    local_priority_create,
    local_priority_delete,
    local_priority_update,
    plan_load,
)

from ..concurrency import one_won, postgres_only, race

pytestmark = pytest.mark.django_db


def test_load_is_idempotent(plan, plan_document):
    events = AuditEvent.objects.count()
    result = plan_load(actor=None, document=plan_document)
    assert not result.created and result.plan == plan
    assert Plan.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_export_equals_the_loaded_document(plan, plan_document):
    assert export_document(plan) == plan_document


def test_changed_document_creates_a_new_version_and_keeps_the_old(plan, plan_document):
    changed = copy.deepcopy(plan_document)
    changed["themes"][1]["ambitions"].append("Een nieuwe ambitie (test)")
    result = plan_load(actor=None, document=changed)
    assert result.created and result.plan.version == 2
    assert Plan.objects.count() == 2
    assert export_document(Plan.objects.get(version=1)) == plan_document
    assert export_document(result.plan) == changed
    assert AuditEvent.objects.filter(action="plan.load", object_id=str(result.plan.pk)).exists()


def test_app_edits_are_not_buried_by_a_new_file(plan, plan_document, vught, users):
    local_priority_create(actor=users["advisor"], plan=plan, municipality=vught, title="Testprioriteit")
    changed = copy.deepcopy(plan_document)
    changed["plan"]["status"] = "vastgesteld"
    with pytest.raises(PlanLoadConflict):
        plan_load(actor=None, document=changed)
    assert Plan.objects.count() == 1
    result = plan_load(actor=None, document=changed, replace_app_edits=True)
    assert result.plan.version == 2
    # The edited version keeps its priority: nothing is lost.
    assert LocalPriority.objects.filter(plan=plan, title="Testprioriteit").exists()


def test_a_load_that_fails_writes_nothing(plan, plan_document):
    broken = copy.deepcopy(plan_document)
    # Two themes with one code: the database refuses the second one, halfway through the load.
    broken["themes"][3]["code"] = broken["themes"][0]["code"]
    counts = (Plan.objects.count(), Theme.objects.count())
    with pytest.raises(IntegrityError):
        plan_load(actor=None, document=broken)
    assert (Plan.objects.count(), Theme.objects.count()) == counts
    assert AuditEvent.objects.filter(action="plan.load", result="error").exists()


def test_advisor_edits_own_priority_with_audit(plan, vught, users):
    advisor = users["advisor"]
    priority = local_priority_create(actor=advisor, plan=plan, municipality=vught, title="Fietsveiligheid",
                                     domain="fysiek")
    local_priority_update(actor=advisor, priority=priority, title="Verkeersveiligheid", domain="fysiek",
                          description="Rond scholen")
    event = AuditEvent.objects.for_object(priority).filter(action="local_priority.update").get()
    assert event.changes["title"] == ["Fietsveiligheid", "Verkeersveiligheid"]
    assert event.actor == advisor and event.municipality == vught and event.result == "success"


def test_advisor_cannot_touch_other_municipality_and_the_attempt_is_recorded(plan, heusden, users):
    with pytest.raises(PermissionDenied):
        local_priority_create(actor=users["advisor"], plan=plan, municipality=heusden, title="Niet van mij")
    assert not LocalPriority.objects.filter(municipality=heusden).exists()
    event = AuditEvent.objects.get(action="local_priority.create", result="denied")
    assert event.municipality == heusden and event.actor == users["advisor"]


def test_invalid_input_is_refused_and_recorded(plan, vught, users):
    with pytest.raises(ValidationError) as info:
        local_priority_create(actor=users["advisor"], plan=plan, municipality=vught, title="  ")
    assert "title" in info.value.error_dict
    assert not LocalPriority.objects.exists()
    assert AuditEvent.objects.filter(action="local_priority.create", result="error").exists()


def test_delete_keeps_the_text_in_the_trail(priorities, users):
    priority = priorities["GM0865"]
    local_priority_delete(actor=users["advisor"], priority=priority)
    event = AuditEvent.objects.get(action="local_priority.delete")
    assert event.changes["title"] == ["Testprioriteit Vught", None]


def test_adoption_needs_a_date_when_adopted(plan, vught, users):
    adoption = Adoption.objects.get(plan=plan, municipality=vught)
    with pytest.raises(ValidationError):
        adoption_update(actor=users["advisor"], adoption=adoption, status="vastgesteld", date=None,
                        decision_reference="")
    adoption.refresh_from_db()
    assert adoption.status == "in_behandeling"


def test_old_versions_are_read_only(plan, plan_document, vught, users):
    changed = copy.deepcopy(plan_document)
    changed["plan"]["document_date"] = "2022-09"
    plan_load(actor=None, document=changed)
    with pytest.raises(PermissionDenied):
        local_priority_create(actor=users["coordinator"], plan=plan, municipality=vught, title="Te laat")


# --- optimistic locking of local priorities and adoptions ------------------------------------------------------

def test_a_stale_local_priority_edit_is_refused(priorities, users):
    first, second = (LocalPriority.objects.get(pk=priorities["GM0865"].pk) for _ in range(2))
    local_priority_update(actor=users["advisor"], priority=first, title="Eerste titel", domain="sociaal",
                          description="", expected_version=1)
    with pytest.raises(StaleEdit):
        local_priority_update(actor=users["coordinator"], priority=second, title="Tweede titel", domain="sociaal",
                              description="Tekst", expected_version=1)
    stored = LocalPriority.objects.get(pk=first.pk)
    assert (stored.title, stored.description, stored.version) == ("Eerste titel", "", 2)
    assert AuditEvent.objects.filter(action="local_priority.update", result="error").count() == 1


def test_a_stale_adoption_edit_is_refused(plan, vught, users):
    first, second = (Adoption.objects.get(plan=plan, municipality=vught) for _ in range(2))
    adoption_update(actor=users["advisor"], adoption=first, status="vastgesteld", date=dt.date(2023, 3, 9),
                    decision_reference="Raadsbesluit 1", expected_version=1)
    with pytest.raises(StaleEdit):
        adoption_update(actor=users["coordinator"], adoption=second, status="in_behandeling", date=None,
                        decision_reference="", expected_version=1)
    stored = Adoption.objects.get(pk=first.pk)
    assert (stored.status, stored.decision_reference, stored.version) == ("vastgesteld", "Raadsbesluit 1", 2)
    assert AuditEvent.objects.filter(action="adoption.update", result="error").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_local_priority_saves_at_the_same_moment(priorities, users):
    pk = priorities["GM0865"].pk

    def save(actor, title):
        return lambda: local_priority_update(actor=actor, priority=LocalPriority.objects.get(pk=pk), title=title,
                                             domain="sociaal", description="", expected_version=1)

    winner = one_won(race(save(users["advisor"], "Adviseur"), save(users["coordinator"], "Basisteam"),
                          pause_before_writing=LocalPriority))
    stored = LocalPriority.objects.get(pk=pk)
    assert (stored.title, stored.version) == (winner.title, 2)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_adoption_saves_at_the_same_moment(plan, vught, users):
    pk = Adoption.objects.get(plan=plan, municipality=vught).pk

    def save(actor, reference):
        return lambda: adoption_update(actor=actor, adoption=Adoption.objects.get(pk=pk), status="vastgesteld",
                                       date=dt.date(2023, 3, 9), decision_reference=reference, expected_version=1)

    winner = one_won(race(save(users["advisor"], "Besluit A"), save(users["coordinator"], "Besluit B"),
                          pause_before_writing=Adoption))
    stored = Adoption.objects.get(pk=pk)
    assert (stored.decision_reference, stored.version) == (winner.decision_reference, 2)
