"""`ivp information_summary`: detail for the restricted circle, gated and suppressed totals for everyone else, and
every run is a read event in the audit trail."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from ivp.core.audit.models import AuditEvent
from ivp.indicators.models import Interpretation
from ivp.information import services
from ivp.information.importer import signals_import
from ivp.information.summary import Period, gate_key, information_summary

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "signals.csv"


@pytest.fixture
def registers(users, vught, areas):
    signals_import(actor=None, municipality=vught, name="signals.csv", content=EXAMPLE.read_bytes())
    advisor = users["advisor"]
    services.control_create(actor=advisor, municipality=vught, date=dt.date(2024, 5, 14), premises_kind="shed",
                            premises_count=3, area=areas["helvoirt"], partners=["police", "tax"], findings=4,
                            closures=1)
    services.bibob_save(actor=advisor, municipality=vught, year=2024, quarter=2, kind="hospitality",
                        outcome="granted", count=6)
    services.bibob_save(actor=advisor, municipality=vught, year=2024, quarter=3, kind="hospitality",
                        outcome="refused", count=1)
    services.youth_group_create(actor=advisor, municipality=vught, code="VU-2024-01", group_type="nuisance",
                                size_band="11-20", phase="approach", first_seen=dt.date(2024, 2, 1))


def _summary(username, period="2024"):
    out = io.StringIO()
    call_command("information_summary", "--area", "GM0865", "--period", period, "--format", "json",
                 "--user", username, stdout=out)
    return json.loads(out.getvalue())


def test_the_advisor_sees_the_registers_in_detail_and_the_read_is_recorded(registers, users, vught):
    document = _summary("advisor-vught")
    assert document["audience"] == "restricted"
    signals = document["registers"]["signals"]
    assert signals["total"] == 74 and signals["by_category"]["drugs"] == 15
    assert signals["by_area"]["WK086500"] == 35  # inside the circle: per wijk
    assert document["registers"]["controls"]["closures"] == 1
    assert document["registers"]["bibob"]["by_outcome"] == {"granted": 6, "refused": 1}
    assert document["registers"]["youth_groups"]["by_type"] == {"nuisance": 1}
    event = AuditEvent.objects.get(action="information.summary")
    assert event.actor == users["advisor"] and event.municipality == vught and event.result == "success"
    assert event.changes["audience"] == [None, "restricted"] and event.changes["period"] == [None, "2024"]


def test_a_quarter(registers):
    assert _summary("police", "2024-Q1")["registers"]["signals"]["total"] == 29


def test_a_councillor_sees_nothing_before_a_duiding_is_published(registers):
    document = _summary("councillor-vught")
    assert document["audience"] == "public" and document["registers"] == {}
    assert set(document["withheld"]) >= {"signals", "controls", "bibob", "youth_groups"}
    assert AuditEvent.objects.get(action="information.summary").changes["audience"] == [None, "public"]


def test_a_councillor_sees_protected_municipal_totals_once_published(registers, users, vught, areas):
    for register in ("signals", "bibob"):
        Interpretation.objects.create(indicator=gate_key(register), area=areas["vught"], municipality=vught,
                                      period="2024", text="Duiding (testtekst).", published=True,
                                      author=users["advisor"])
    document = _summary("councillor-vught")
    signals = document["registers"]["signals"]
    assert set(signals) == {"total", "parts"}  # never by wijk, source or follow-up
    parts = signals["parts"]
    assert parts["drugs"] == 15 and parts["youth"] == 22
    assert parts["human_trafficking"] is None  # 1: never shown
    assert parts["money_laundering"] is None and parts["real_estate"] is None  # 2 each
    assert all(value is None or value >= 5 for value in parts.values())
    # The hidden cells cannot be recovered from the total: at least two are hidden.
    assert sum(value is None for value in parts.values()) >= 2
    bibob = document["registers"]["bibob"]
    assert bibob["parts"] == {"granted": None, "refused": None} and bibob["total"] == 7
    assert "controls" in document["withheld"] and "controls" not in document["registers"]
    assert "WK086500" not in json.dumps(document)


def test_a_heusden_advisor_gets_the_public_view_of_vught(registers, heusden):
    from ivp.core.roles import Role
    from tests.conftest import make_user

    make_user("advisor-heusden-sum", heusden, Role.ADVISOR)
    assert _summary("advisor-heusden-sum")["audience"] == "public"


def test_period_parsing():
    assert Period.parse("2024") == Period(2024) and Period.parse("2024-Q3") == Period(2024, 3)
    assert Period.parse("2024-Q4").end == dt.date(2025, 1, 1)
    from django.core.exceptions import ValidationError

    for bad in ("24", "2024-Q5", "maart"):
        with pytest.raises(ValidationError):
            Period.parse(bad)


def test_summary_function_does_not_leak_rows_of_other_municipalities(registers, users, heusden):
    document = information_summary(user=users["coordinator"], municipality=heusden, period=Period(2024))
    assert document["registers"]["signals"]["total"] == 0


def test_purge_command(registers, settings):
    from ivp.information.models import Signal

    settings.IVP_INFORMATION_RETENTION_YEARS = 5
    call_command("purge_information", stdout=io.StringIO())
    assert Signal.objects.count() == 24 and not AuditEvent.objects.filter(action="information.purge").exists()
    years = dt.date.today().year - 2025  # kept: from 1 January `years` years ago; 2024 lies before that
    call_command("purge_information", "--years", str(years), stdout=io.StringIO())
    assert not Signal.objects.exists()
    assert AuditEvent.objects.get(action="information.purge").changes["signals"] == [24, 0]
