"""Writes of the information registers: who may, validation, the personal-data check, audit, type history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ivp.core.audit.models import AuditEvent
from ivp.core.models import Organisation
from ivp.information import services
from ivp.information.models import (
    AveCount,
    BibobCount,
    IntegralControl,
    LioMeeting,
    Register,
    Signal,
    YouthGroup,
)

pytestmark = pytest.mark.django_db

MARCH = dt.date(2024, 3, 1)


def _signal(actor, municipality, **overrides):
    values = {"month": MARCH, "category": "drugs", "source_kind": "mma", "count": 3, "follow_up": "lio",
              "description": "3 meldingen over hennepteelt in maart"}
    values.update(overrides)
    return services.signal_create(actor=actor, municipality=municipality, **values)


def test_the_advisor_records_a_signal_count_with_an_audit_event(users, vught, areas):
    signal = _signal(users["advisor"], vught, area=areas["vught_zuid"], month=dt.date(2024, 3, 17))
    assert signal.month == MARCH  # always the first of the month
    event = AuditEvent.objects.get(action="information.signal.create")
    assert event.result == "success" and event.municipality == vught
    assert event.changes["count"] == [None, 3]


@pytest.mark.parametrize("role", ["councillor", "police", "prosecutor", "partner"])
def test_only_editors_of_the_municipality_write(users, vught, role):
    with pytest.raises(PermissionDenied):
        _signal(users[role], vught)
    assert not Signal.objects.exists()


def test_an_advisor_does_not_write_in_another_municipality(users, heusden):
    with pytest.raises(PermissionDenied):
        _signal(users["advisor"], heusden)


@pytest.mark.parametrize("text", ["Jansen, J. meldt hennep", "BSN 111222333", "mail info@example.nl",
                                  "hennep op Kerkstraat 4", "kenteken AB-12-CD", "x" * 281])
def test_personal_data_or_long_text_is_refused_naming_the_field(users, vught, text):
    with pytest.raises(ValidationError) as refused:
        _signal(users["advisor"], vught, description=text)
    assert set(refused.value.message_dict) == {"description"}
    assert not Signal.objects.exists()
    event = AuditEvent.objects.get(action="information.signal.create")
    assert event.result == "error"
    # The refusal names the field and the kind, never the text it refused.
    assert "111222333" not in event.message and "Jansen" not in event.message and "@" not in event.message


def test_dutch_message_names_the_field(users, vught):
    from django.utils import translation

    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        _signal(users["advisor"], vught, description="dhr. Jansen")
    message = refused.value.message_dict["description"][0]
    assert "omschrijving" in message.lower() and "naam" in message.lower()


def test_an_area_of_another_municipality_is_refused(users, vught, areas):
    with pytest.raises(ValidationError) as refused:
        _signal(users["advisor"], vught, area=areas["heusden_wijk"])
    assert "area" in refused.value.message_dict
    assert _signal(users["advisor"], vught, area=areas["buurt"]).area == areas["buurt"]


def test_duplicate_signal_rows_are_refused_and_updates_are_versioned(users, vught):
    signal = _signal(users["advisor"], vught)
    with pytest.raises(ValidationError):
        _signal(users["advisor"], vught)
    services.signal_update(actor=users["coordinator"], signal=signal, month=MARCH, category="drugs",
                           source_kind="mma", count=5, follow_up="lio", description="", expected_version=1)
    signal.refresh_from_db()
    assert (signal.count, signal.version) == (5, 2)


def test_controls_bibob_ave_and_lio(users, vught, areas):
    advisor = users["advisor"]
    control = services.control_create(actor=advisor, municipality=vught, date=dt.date(2024, 5, 14),
                                      premises_kind="shed", premises_count=3, area=areas["helvoirt"],
                                      partners=["police", "tax", "environment"], findings=4, closures=1)
    assert control.partners == ["environment", "police", "tax"]
    with pytest.raises(ValidationError) as refused:
        services.control_create(actor=advisor, municipality=vught, date=dt.date(2024, 5, 14), premises_kind="shed",
                                partners=["somebody"], findings=-1)
    assert {"partners", "findings"} <= set(refused.value.message_dict)
    assert IntegralControl.objects.count() == 1

    services.bibob_save(actor=advisor, municipality=vught, year=2024, quarter=2, kind="hospitality",
                        outcome="granted", count=4)
    services.bibob_save(actor=advisor, municipality=vught, year=2024, quarter=2, kind="hospitality",
                        outcome="granted", count=6)
    assert BibobCount.objects.get().count == 6
    with pytest.raises(ValidationError):
        services.bibob_save(actor=advisor, municipality=vught, year=2024, quarter=5, kind="x", outcome="granted",
                            count=1)
    services.ave_save(actor=advisor, municipality=vught, year=2024, quarter=2, stage="analysis", count=2)
    assert AveCount.objects.get().count == 2
    meeting = services.lio_save(actor=advisor, municipality=vught, date=dt.date(2024, 6, 3),
                                cases_by_category={"drugs": 4, "youth": 2, "digital": 0}, actions_agreed=5)
    assert meeting.cases_by_category == {"drugs": 4, "youth": 2} and meeting.cases_discussed == 6
    assert LioMeeting.objects.count() == 1


def test_youth_groups_keep_their_type_history_and_never_a_name(users, vught):
    advisor = users["advisor"]
    group = services.youth_group_create(actor=advisor, municipality=vught, code="vu-2024-01", group_type="annoying",
                                        size_band="5-10", phase="shortlist", first_seen=dt.date(2024, 2, 1))
    assert group.code == "VU-2024-01"
    services.youth_group_update(actor=advisor, group=group, code="VU-2024-01", group_type="nuisance",
                                size_band="11-20", phase="approach", first_seen=dt.date(2024, 2, 1),
                                changed_on=dt.date(2024, 9, 1))
    history = list(group.type_changes.values_list("old_type", "new_type"))
    assert history == [("", "annoying"), ("annoying", "nuisance")]
    for code in ["Jansen", "DE-KOPPEN", "J. Jansen", ""]:
        with pytest.raises(ValidationError) as refused:
            services.youth_group_create(actor=advisor, municipality=vught, code=code, group_type="annoying",
                                        size_band="5-10", phase="shortlist", first_seen=dt.date(2024, 2, 1))
        assert "code" in refused.value.message_dict
    assert YouthGroup.objects.count() == 1


def test_reads_follow_read_information_not_read(users, vught, heusden, django_user_model):
    """The councillor reads Vught's plan, not its registers; a Heusden advisor reads none of Vught's rows; the
    partner (a housing corporation) only what Vught shares with it."""
    _signal(users["advisor"], vught)
    from ivp.core.roles import Role
    from tests.conftest import make_user

    heusden_advisor = make_user("advisor-heusden-info", heusden, Role.ADVISOR)
    visible = {role: Signal.objects.for_user(user).count() for role, user in users.items()}
    assert visible == {"anonymous": 0, "coordinator": 1, "advisor": 1, "councillor": 0, "police": 1,
                       "prosecutor": 1, "partner": 0}
    assert Signal.objects.for_user(heusden_advisor).count() == 0

    partner_org = users["partner"].memberships.get().organisation
    share = services.share_create(actor=users["advisor"], municipality=vught, organisation=partner_org,
                                  register=Register.SIGNALS)
    assert Signal.objects.for_user(users["partner"]).count() == 1
    assert services.can_read_information(users["partner"], vught.pk, Register.SIGNALS)
    assert not services.can_read_information(users["partner"], vught.pk, Register.YOUTH_GROUPS)
    assert YouthGroup.objects.for_user(users["partner"]).count() == 0
    with pytest.raises(ValidationError):  # only partner organisations
        services.share_create(actor=users["advisor"], municipality=vught, organisation=heusden,
                              register=Register.SIGNALS)
    services.share_delete(actor=users["advisor"], share=share)
    assert Signal.objects.for_user(users["partner"]).count() == 0
    assert AuditEvent.objects.filter(action__startswith="information.share.", result="success").count() == 2
    assert Organisation.objects.filter(pk=partner_org.pk).exists()


def test_purge_removes_expired_rows_with_one_event(users, vught, settings):
    _signal(users["advisor"], vught, month=dt.date(2018, 5, 1))
    _signal(users["advisor"], vught, month=dt.date(2024, 5, 1))
    services.bibob_save(actor=users["advisor"], municipality=vught, year=2018, quarter=1, kind="subsidy",
                        outcome="refused", count=1)
    settings.IVP_INFORMATION_RETENTION_YEARS = 5
    counts = services.purge_expired_information(today=dt.date(2024, 12, 4))
    assert counts["signals"] == 1 and counts["bibob"] == 1
    assert list(Signal.objects.values_list("month", flat=True)) == [dt.date(2024, 5, 1)]
    event = AuditEvent.objects.get(action="information.purge")
    assert event.changes["cutoff"] == [None, "2019-01-01"] and event.changes["signals"] == [1, 0]
    assert services.purge_expired_information(today=dt.date(2024, 12, 4)) == {
        "signals": 0, "controls": 0, "bibob": 0, "lio": 0, "ave": 0, "youth_groups": 0}
    assert AuditEvent.objects.filter(action="information.purge").count() == 1
