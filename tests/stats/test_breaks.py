"""Structural breaks: the default list and which breaks affect which period and area."""

import dataclasses
from datetime import date

import pytest

from ivp.stats.breaks import DEFAULT_BREAKS, StructuralBreak, breaks_affecting, municipality_code


def _kinds(found):
    return sorted(((b.area_code, b.kind) for b in found), key=str)


def test_haaren_split_affects_vught_and_boxtel_across_2021():
    for code in ("GM0865", "GM0757"):
        found = breaks_affecting(DEFAULT_BREAKS, code, date(2020, 1, 1), date(2021, 12, 31))
        assert (code, "boundary_change") in _kinds(found)
        assert any(b.start == date(2021, 1, 1) for b in found)


def test_haaren_split_does_not_affect_a_period_entirely_after_it():
    found = breaks_affecting(DEFAULT_BREAKS, "GM0865", date(2023, 1, 1), date(2024, 12, 31))
    assert found == []


def test_meierijstad_merger():
    found = breaks_affecting(DEFAULT_BREAKS, "GM1948", date(2016, 1, 1), date(2018, 12, 31))
    assert _kinds(found) == [("GM1948", "boundary_change")]
    for old in ("GM0844", "GM0846", "GM0860"):
        assert breaks_affecting(DEFAULT_BREAKS, old, date(2016, 1, 1), date(2017, 1, 1))
        assert not breaks_affecting(DEFAULT_BREAKS, old, date(2015, 1, 1), date(2016, 12, 31))
    assert "Schijndel" in found[0].description and "Meierijstad" in found[0].description


def test_covid_applies_to_every_area_and_overlapping_periods_only():
    for code in ("GM0797", "WK079701", "BU07970101", "GM1948"):
        found = breaks_affecting(DEFAULT_BREAKS, code, date(2021, 1, 1), date(2021, 12, 31))
        assert ("covid" in {b.kind for b in found}), code
    assert breaks_affecting(DEFAULT_BREAKS, "GM0797", date(2022, 2, 25), date(2022, 3, 31))  # last day counts
    assert not breaks_affecting(DEFAULT_BREAKS, "GM0797", date(2022, 2, 26), date(2023, 12, 31))
    assert not breaks_affecting(DEFAULT_BREAKS, "GM0797", date(2018, 1, 1), date(2020, 3, 14))


def test_municipal_break_applies_to_its_wijken_and_buurten_only():
    found = breaks_affecting(DEFAULT_BREAKS, "BU08650301", date(2019, 1, 1), date(2022, 12, 31))
    assert {b.area_code for b in found} == {"GM0865", None}
    other = breaks_affecting(DEFAULT_BREAKS, "WK079701", date(2019, 1, 1), date(2019, 12, 31))
    assert other == []


def test_results_are_ordered_by_start():
    found = breaks_affecting(DEFAULT_BREAKS, "GM0757", date(2019, 1, 1), date(2023, 1, 1))
    assert [b.kind for b in found] == ["covid", "boundary_change"]


def test_municipality_code():
    assert municipality_code("GM0865") == "GM0865"
    assert municipality_code("WK086501") == "GM0865"
    assert municipality_code("BU08650101") == "GM0865"
    assert municipality_code("NL00") is None and municipality_code("PV30") is None and municipality_code("") is None


def test_default_breaks_are_well_formed():
    assert {b.kind for b in DEFAULT_BREAKS} <= {"boundary_change", "covid"}
    assert all(b.description.strip() for b in DEFAULT_BREAKS)
    covid = [b for b in DEFAULT_BREAKS if b.kind == "covid"]
    assert len(covid) == 1 and covid[0].area_code is None
    assert (covid[0].start, covid[0].end) == (date(2020, 3, 15), date(2022, 2, 25))


def test_validation():
    with pytest.raises(ValueError, match="kind must be one of"):
        StructuralBreak("GM0865", date(2021, 1, 1), None, "fusion", "x")
    with pytest.raises(ValueError, match=r"end \(2020-01-01\) lies before start \(2021-01-01\)"):
        StructuralBreak("GM0865", date(2021, 1, 1), date(2020, 1, 1), "other", "x")
    with pytest.raises(ValueError, match="period_end .* lies before period_start"):
        breaks_affecting(DEFAULT_BREAKS, "GM0865", date(2022, 1, 1), date(2021, 1, 1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_BREAKS[0].kind = "other"  # type: ignore[misc]


def test_custom_registration_change():
    brk = StructuralBreak(None, date(2023, 7, 1), None, "registration_change", "Nieuwe registratiewijze")
    assert breaks_affecting([brk], "GM0865", date(2023, 1, 1), date(2023, 12, 31)) == [brk]
    assert breaks_affecting([brk], "GM0865", date(2023, 7, 1), date(2023, 12, 31)) == []  # entirely after
