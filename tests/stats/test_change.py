"""Exact conditional test for a change between two periods."""

import dataclasses
import math

import pytest
from scipy import stats

from ivp.stats.change import compare_periods
from ivp.stats.verdict import Verdict


def _scipy_ratio_interval(count_a, exposure_a, count_b, exposure_b, level):
    """Clopper-Pearson bounds for pi = share of events in period b, as Beta quantiles, mapped to the rate ratio."""
    n, tail = count_a + count_b, (1 - level) / 2
    pi_lower = 0.0 if count_b == 0 else stats.beta.ppf(tail, count_b, n - count_b + 1)
    pi_upper = 1.0 if count_b == n else stats.beta.isf(tail, count_b + 1, n - count_b)
    scale = exposure_a / exposure_b
    upper = math.inf if pi_upper == 1.0 else pi_upper / (1 - pi_upper) * scale
    return pi_lower / (1 - pi_lower) * scale, upper


EXPOSURES = [(1.0, 1.0), (20_000.0, 21_000.0), (3 * 25_000.0, 25_500.0), (31_000.0, 2 * 30_000.0)]


def test_p_value_and_interval_match_scipy_on_a_grid():
    for exposure_a, exposure_b in EXPOSURES:
        p0 = exposure_b / (exposure_a + exposure_b)
        for count_a in (0, 1, 2, 5, 13, 40, 151):
            for count_b in (0, 1, 3, 9, 25, 60, 200):
                if count_a + count_b == 0:
                    continue
                change = compare_periods(count_a, exposure_a, count_b, exposure_b)
                ref_p = stats.binomtest(count_b, count_a + count_b, p0).pvalue
                assert change.p_value == pytest.approx(ref_p, rel=1e-10), (count_a, count_b)
                lower, upper = _scipy_ratio_interval(count_a, exposure_a, count_b, exposure_b, 0.95)
                assert change.ratio_lower == pytest.approx(lower, rel=1e-10, abs=0.0)
                assert change.ratio_upper == pytest.approx(upper, rel=1e-10)
                assert change.ratio_lower <= change.rate_ratio <= change.ratio_upper


def test_rate_ratio_and_relative_change():
    change = compare_periods(40, 20_000, 25, 20_500)
    assert change.rate_ratio == pytest.approx((25 / 20_500) / (40 / 20_000))
    assert change.change_pct == pytest.approx(100 * (change.rate_ratio - 1))
    assert change.change_lower_pct == pytest.approx(100 * (change.ratio_lower - 1))
    assert change.change_upper_pct == pytest.approx(100 * (change.ratio_upper - 1))
    assert change.expected_share_b == pytest.approx(20_500 / 40_500)


def test_verdicts():
    assert compare_periods(100, 25_000, 55, 25_000).verdict == Verdict.SIGNIFICANT_DECREASE
    assert compare_periods(55, 25_000, 100, 25_000).verdict == Verdict.SIGNIFICANT_INCREASE
    assert compare_periods(20, 25_000, 26, 25_000).verdict == Verdict.WITHIN_NORMAL_VARIATION
    assert compare_periods(4, 25_000, 1, 25_000).verdict == Verdict.WITHIN_NORMAL_VARIATION  # -75%, but n = 5


def test_exposure_is_accounted_for():
    # twice as many events over twice the exposure (two years instead of one, or a doubled population): no change
    change = compare_periods(30, 10_000, 60, 20_000)
    assert change.rate_ratio == pytest.approx(1.0)
    assert change.p_value == 1.0
    assert change.verdict == Verdict.WITHIN_NORMAL_VARIATION
    # the same counts with equal exposure are a clear increase
    assert compare_periods(30, 10_000, 60, 10_000).verdict == Verdict.SIGNIFICANT_INCREASE


def test_level_changes_the_threshold():
    change = compare_periods(30, 1.0, 50, 1.0)
    assert 0.01 < change.p_value < 0.05
    assert change.verdict == Verdict.SIGNIFICANT_INCREASE
    strict = compare_periods(30, 1.0, 50, 1.0, level=0.99)
    assert strict.verdict == Verdict.WITHIN_NORMAL_VARIATION
    assert strict.p_value == change.p_value
    assert strict.ratio_lower < change.ratio_lower and strict.ratio_upper > change.ratio_upper


def test_swapping_the_periods_inverts_the_ratio_and_its_interval():
    forward = compare_periods(17, 21_000, 31, 22_500)
    backward = compare_periods(31, 22_500, 17, 21_000)
    assert backward.rate_ratio == pytest.approx(1 / forward.rate_ratio)
    assert backward.ratio_lower == pytest.approx(1 / forward.ratio_upper, rel=1e-10)
    assert backward.ratio_upper == pytest.approx(1 / forward.ratio_lower, rel=1e-10)
    assert backward.p_value == pytest.approx(forward.p_value, rel=1e-10)


def test_no_events_at_all_is_insufficient_data():
    change = compare_periods(0, 20_000, 0, 20_000)
    assert change.verdict == Verdict.INSUFFICIENT_DATA
    assert change.rate_ratio is None and change.p_value is None and change.ratio_upper is None
    assert change.change_pct is None


def test_zero_in_the_baseline_gives_an_unbounded_ratio_with_a_finite_lower_bound():
    change = compare_periods(0, 20_000, 7, 20_500)
    assert change.rate_ratio == math.inf and change.change_pct == math.inf and change.ratio_upper == math.inf
    assert 1.0 < change.ratio_lower < math.inf
    assert change.verdict == Verdict.SIGNIFICANT_INCREASE
    drop = compare_periods(7, 20_000, 0, 20_500)
    assert drop.rate_ratio == 0.0 and drop.ratio_lower == 0.0 and drop.change_pct == -100.0
    assert drop.ratio_upper < 1.0


def test_documented_edge_where_minlike_p_value_and_clopper_pearson_interval_disagree():
    # 5 -> 0 events with slightly unequal exposures: the minlike p-value is below 0.05 while the central
    # Clopper-Pearson interval still reaches just above 1. The verdict follows the p-value (see module docstring).
    change = compare_periods(5, 20_000, 0, 21_000)
    assert change.p_value < 0.05
    assert change.ratio_upper > 1.0
    assert change.verdict == Verdict.SIGNIFICANT_DECREASE


def test_change_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        compare_periods(1, 1, 2, 1).verdict = Verdict.INSUFFICIENT_DATA  # type: ignore[misc]


@pytest.mark.parametrize(("args", "message"), [
    ((-1, 100, 3, 100), "count_a cannot be negative"),
    ((1, 100, 3.5, 100), "count_b must be a whole number"),
    ((1, 0, 3, 100), "exposure_a must be a finite number greater than 0"),
    ((1, 100, 3, math.nan), "exposure_b must be a finite number greater than 0"),
])
def test_invalid_input(args, message):
    with pytest.raises(ValueError, match=message):
        compare_periods(*args)
