"""The registers as indicators of the cycle: values equal the register sums, the one gate hides them before a
duiding is published and suppresses 1-4 for a councillor, and no change or trend verdict is given."""

import datetime as dt
from pathlib import Path

import pytest

from ivp.indicators.definitions import INDICATORS
from ivp.indicators.models import Interpretation, Observation
from ivp.indicators.publication import FigureGate
from ivp.indicators.series import indicator_series
from ivp.information import codes, services
from ivp.information.figures import register_values, sync_register_figures
from ivp.information.importer import signals_import
from ivp.information.models import (
    AveStage,
    BibobOutcome,
    IntegralControl,
    Register,
    Signal,
    SignalCategory,
    YouthGroupType,
)

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "signals.csv"


@pytest.fixture
def registers(users, vught, areas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signals_import(actor=None, municipality=vught, name="signals.csv", content=EXAMPLE.read_bytes())
    advisor = users["advisor"]
    with django_capture_on_commit_callbacks(execute=True):
        for day, closures in ((14, 1), (20, 0)):
            services.control_create(actor=advisor, municipality=vught, date=dt.date(2024, 5, day),
                                    premises_kind="shed", premises_count=3, area=areas["helvoirt"],
                                    partners=["police"], findings=4, closures=closures)
    with django_capture_on_commit_callbacks(execute=True):
        services.bibob_save(actor=advisor, municipality=vught, year=2024, quarter=2, kind="hospitality",
                            outcome="granted", count=6)
        services.bibob_save(actor=advisor, municipality=vught, year=2024, quarter=3, kind="hospitality",
                            outcome="refused", count=1)
        services.youth_group_create(actor=advisor, municipality=vught, code="VU-2024-01", group_type="nuisance",
                                    size_band="11-20", phase="approach", first_seen=dt.date(2024, 2, 1))


def _value(indicator, area="GM0865", year=2024, gate=None):
    series = indicator_series(indicator, area)
    view = (gate or FigureGate(internal=True)).series(series)
    return series, view, next((p for p in view.points if p.year == year), None)


def test_the_codes_cover_every_choice_of_the_registers():
    assert tuple(codes.SIGNAL_CATEGORIES) == tuple(SignalCategory.values)
    assert tuple(codes.BIBOB_OUTCOMES) == tuple(BibobOutcome.values)
    assert tuple(codes.YOUTH_TYPES) == tuple(YouthGroupType.values)
    assert tuple(codes.AVE_STAGES) == tuple(AveStage.values)
    assert set(codes.GATE_KEYS) == set(Register.values) and set(codes.GATE_KEYS.values()) <= set(INDICATORS)
    for indicator in INDICATORS.values():
        if "register" in indicator.tags:
            assert all(source.levels == ("gemeente",) for source in indicator.sources)  # never below
            assert "intelligence" in indicator.goals


def test_indicator_values_equal_the_register_sums(registers, vught):
    total = sum(Signal.objects.filter(municipality=vught, month__year=2024).values_list("count", flat=True))
    undermining = sum(Signal.objects.filter(municipality=vught, month__year=2024, category__in=[
        "drugs", "human_trafficking", "money_laundering", "real_estate", "undermining_other"]).values_list(
        "count", flat=True))
    assert total == 74
    assert _value("info_signals")[2].count == total
    assert _value("info_signals_undermining")[2].count == undermining
    assert _value("info_controls")[2].count == 2
    assert _value("info_closures")[2].count == 1
    assert _value("info_bibob")[2].count == 7
    assert _value("info_bibob_refused")[2].count == 1
    assert _value("info_youth_groups")[2].count == 1
    assert _value("info_youth_groups_criminal")[2].count == 0
    # Only the municipality: no observation of the registers below it.
    assert set(Observation.objects.filter(table=codes.REGISTER_TABLE).values_list("area__level", flat=True)) == {
        "gemeente"}


def test_a_change_is_followed_and_a_rerun_changes_nothing(registers, users, vught, django_capture_on_commit_callbacks):
    control = IntegralControl.objects.filter(municipality=vught).first()
    with django_capture_on_commit_callbacks(execute=True):
        services.row_delete(actor=users["advisor"], row=control)
    assert _value("info_controls")[2].count == 1
    assert sync_register_figures(municipality=vught) == 0
    assert register_values(vught, 2024)[codes.CONTROLS] == 1


def test_no_verdict_or_trend_and_the_reason_in_words(registers):
    series, view, point = _value("info_signals")
    assert point.verdict is None and series.trend is None
    assert series.trend_note.startswith(("No verdict on change or trend", "Geen oordeel over verandering of trend"))


def test_the_gate_hides_before_publication_and_suppresses_small_counts_for_a_councillor(registers, users, vught,
                                                                                         areas):
    councillor = users["councillor"]
    _series, view, _point = _value("info_bibob_refused", gate=FigureGate(councillor))
    assert view.hidden_reason and not view.points  # no duiding yet
    for code in ("info_bibob_refused", "info_signals"):
        Interpretation.objects.create(indicator=code, area=areas["vught"], municipality=vught, period="2024",
                                      text="Duiding (testtekst).", published=True, author=users["advisor"])
    _series, view, point = _value("info_bibob_refused", gate=FigureGate(councillor))
    assert point.hidden and point.count is None
    _series, view, point = _value("info_signals", gate=FigureGate(councillor))
    assert point.count == 74
    # The internal audience sees the small count.
    assert _value("info_bibob_refused")[2].count == 1


def test_the_base_team_total_needs_every_municipality(registers):
    """Heusden keeps no registers here: the base-team total would be a guess, so there is none (and no crash)."""
    series = indicator_series("info_signals", "basisteam")
    assert all(point.count is None for point in series.points)
    assert series.trend is None
