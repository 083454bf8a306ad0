"""Remarks on a duiding: who may remark (the access policy's COMMENT), the thread, handling, audit, tenancy."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ivp.areas.models import Area
from ivp.core.audit.models import AuditEvent
from ivp.indicators.models import InterpretationRemark
from ivp.indicators.services.interpretations import (
    interpretation_remark_add,
    interpretation_remark_handle,
    interpretation_save,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(users, vught):
    area = Area.objects.create(code="GM0865", level="gemeente", name="Vught", organisation=vught)
    return interpretation_save(actor=users["advisor"], indicator="crime_total", area=area, period="2024",
                               text="Daling door gerichte aanpak (testfixture).", published=False)


def test_police_and_om_remark_and_suggest(users, note):
    disagree = interpretation_remark_add(actor=users["police"], interpretation=note, kind="disagree",
                                         text="Niet eens: de daling is te klein.")
    suggestion = interpretation_remark_add(actor=users["prosecutor"], interpretation=note, kind="suggestion",
                                           text="Noem de registratiewijziging.",
                                           suggested_text="Daling, deels door een registratiewijziging.")
    assert disagree.interpretation_version == note.version and disagree.suggested_text == ""
    assert suggestion.suggested_text.startswith("Daling, deels")
    assert suggestion.municipality == note.municipality
    events = AuditEvent.objects.for_object(note).filter(action="interpretation.remark", result="success")
    assert events.count() == 2, "the thread is part of the duiding's history"
    assert any("Daling, deels door een registratiewijziging." in e.changes["remarks"][1] for e in events)


@pytest.mark.parametrize("role", ["councillor", "partner"])
def test_who_may_not_comment_is_refused_and_the_refusal_audited(users, note, role):
    with pytest.raises(PermissionDenied):
        interpretation_remark_add(actor=users[role], interpretation=note, kind="disagree", text="Mag niet.")
    assert AuditEvent.objects.filter(action="interpretation.remark", result="denied",
                                     actor=users[role]).exists()
    assert not InterpretationRemark.objects.exists()


def test_the_author_does_not_remark_on_their_own_duiding(users, note):
    with pytest.raises(PermissionDenied):
        interpretation_remark_add(actor=users["advisor"], interpretation=note, kind="disagree", text="Zelf.")


def test_input_is_checked(users, note):
    with pytest.raises(ValidationError) as exc:
        interpretation_remark_add(actor=users["police"], interpretation=note, kind="suggestion", text="")
    assert set(exc.value.message_dict) == {"text", "suggested_text"}
    with pytest.raises(ValidationError):
        interpretation_remark_add(actor=users["police"], interpretation=note, kind="applause", text="Mooi.")


def test_the_author_marks_a_remark_handled_once(users, note):
    remark = interpretation_remark_add(actor=users["police"], interpretation=note, kind="disagree", text="Nee.")
    with pytest.raises(PermissionDenied):
        interpretation_remark_handle(actor=users["police"], remark=remark)
    assert AuditEvent.objects.filter(action="interpretation.remark_handled", result="denied").exists()
    interpretation_remark_handle(actor=users["advisor"], remark=remark)
    remark.refresh_from_db()
    assert remark.handled_by == users["advisor"] and not remark.is_open
    with pytest.raises(ValidationError):
        interpretation_remark_handle(actor=users["advisor"], remark=remark)


def test_remarks_are_read_through_for_user(users, note, heusden):
    interpretation_remark_add(actor=users["police"], interpretation=note, kind="disagree", text="Nee.")
    assert InterpretationRemark.objects.for_user(users["advisor"]).count() == 1
    assert InterpretationRemark.objects.for_user(users["councillor"]).count() == 1  # reads Vught in full
    assert InterpretationRemark.objects.for_user(users["partner"]).count() == 0
    assert InterpretationRemark.objects.for_user(None).count() == 0
    from ivp.core.services import membership_create, user_create

    other, _ = user_create(actor=None, username="advisor-heusden")
    membership_create(actor=None, user=other, organisation=heusden, role="advisor")
    assert InterpretationRemark.objects.for_user(other).count() == 0
