"""Funnel-plot limits and flags."""

import math

import numpy as np
import pytest
from scipy import stats

from ivp.stats.funnel import (
    FunnelCode,
    expected_count,
    flag,
    flags,
    funnel_limits,
    lower_count_limit,
    upper_count_limit,
)
from ivp.stats.poisson import rate_intervals

EXPECTED = [1e-4, 0.02, 0.2, 0.7, 1.0, 2.0, 3.69, 5.0, 9.99, 10.0, 37.3, 120.0, 999.0, 5000.0]


def _scipy_lower(e, tail):
    r = int(stats.poisson.ppf(tail, e))
    alpha = (stats.poisson.cdf(r, e) - tail) / stats.poisson.pmf(r, e)
    return max(0.0, r - alpha)


def _scipy_upper(e, tail):
    r = int(stats.poisson.ppf(1 - tail, e))
    alpha = (stats.poisson.cdf(r, e) - (1 - tail)) / stats.poisson.pmf(r, e)
    return r + 1 - alpha


@pytest.mark.parametrize("e", EXPECTED)
def test_limits_match_an_independent_scipy_computation(e):
    for tail in (0.001, 0.025):
        assert lower_count_limit(e, tail) == pytest.approx(_scipy_lower(e, tail), rel=1e-9, abs=1e-9)
        assert upper_count_limit(e, tail) == pytest.approx(_scipy_upper(e, tail), rel=1e-9, abs=1e-9)


def test_limits_are_continuous_in_the_expected_count():
    # the interpolation removes the staircase of discrete quantiles: no jumps on a fine grid
    grid = [1.0 + 0.002 * i for i in range(5000)]
    for limit in (lambda e: lower_count_limit(e, 0.025), lambda e: upper_count_limit(e, 0.001)):
        values = [limit(e) for e in grid]
        assert max(abs(b - a) for a, b in zip(values, values[1:], strict=False)) < 0.02
        assert all(b >= a - 1e-9 for a, b in zip(values, values[1:], strict=False))


@pytest.mark.parametrize("e", [0.02, 0.2, 1.0, 2.0, 4.5, 10.0, 30.0, 100.0, 1000.0])
def test_false_alarm_probability_is_at_most_nominal_on_each_side(e):
    counts = range(int(e + 12 * math.sqrt(e) + 20))
    codes = {k: flag(k, 1000.0, e).code for k in counts}  # population 1000, per 1000: expected count = e

    def probability(*wanted):
        return sum(stats.poisson.pmf(k, e) for k, code in codes.items() if code in wanted)

    above_95 = probability(FunnelCode.ABOVE_95, FunnelCode.ABOVE_998)
    above_998 = probability(FunnelCode.ABOVE_998)
    below_95 = probability(FunnelCode.BELOW_95, FunnelCode.BELOW_998)
    below_998 = probability(FunnelCode.BELOW_998)
    assert above_95 <= 0.025 and below_95 <= 0.025
    assert above_998 <= 0.001 and below_998 <= 0.001


def test_flags_agree_with_the_plotted_limits():
    target, per = 12.0, 1000.0
    populations = [60.0, 333.0, 1000.0, 2500.0, 9000.0, 24_000.0, 61_000.0]
    for point in funnel_limits(target, populations, per):
        e = point.expected
        for count in range(int(e + 8 * math.sqrt(e) + 10)):
            rate = count * per / point.population
            if rate > point.upper_998:
                expected_code = FunnelCode.ABOVE_998
            elif rate > point.upper_95:
                expected_code = FunnelCode.ABOVE_95
            elif rate < point.lower_998:
                expected_code = FunnelCode.BELOW_998
            elif rate < point.lower_95:
                expected_code = FunnelCode.BELOW_95
            else:
                expected_code = FunnelCode.WITHIN
            assert flag(count, point.population, target, per).code == expected_code, (point.population, count)


def test_known_cases():
    # expected count 10 (population 20,000 at 0.5 per 1000)
    assert flag(20, 20_000, 0.5).code == FunnelCode.ABOVE_95  # P(X >= 20) = 0.0035
    assert flag(25, 20_000, 0.5).code == FunnelCode.ABOVE_998  # P(X >= 25) = 0.0001
    assert flag(3, 20_000, 0.5).code == FunnelCode.BELOW_95  # P(X <= 3) = 0.0103
    assert flag(0, 20_000, 0.5).code == FunnelCode.BELOW_998  # P(X = 0) = 0.00005
    assert flag(12, 20_000, 0.5).code == FunnelCode.WITHIN
    result = flag(20, 20_000, 0.5)
    assert result.expected == pytest.approx(10.0) and result.rate == pytest.approx(1.0)
    assert result.p_at_least == pytest.approx(stats.poisson.sf(19, 10.0), rel=1e-12)
    assert result.p_at_most == pytest.approx(stats.poisson.cdf(20, 10.0), rel=1e-12)


def test_rare_events_in_small_areas_are_not_flagged_on_a_single_incident():
    # expected 0.02: zero incidents is normal, and one incident (P = 2%) is above the 95% line but not the 99.8% one
    assert flag(0, 50, 0.4).code == FunnelCode.WITHIN
    assert flag(1, 50, 0.4).code == FunnelCode.ABOVE_95
    # expected 0.2: one incident happens 18% of the time, so it is within
    assert flag(1, 500, 0.4).code == FunnelCode.WITHIN
    assert lower_count_limit(0.2, 0.025) == 0.0


def test_zero_target_rate():
    assert lower_count_limit(0.0, 0.025) == 0.0
    assert upper_count_limit(0.0, 0.025) == pytest.approx(0.975)
    assert upper_count_limit(0.0, 0.001) == pytest.approx(0.999)
    assert flag(0, 5_000, 0.0).code == FunnelCode.WITHIN
    assert flag(1, 5_000, 0.0).code == FunnelCode.ABOVE_998


def test_funnel_limits_in_rate_units_narrow_with_population():
    points = funnel_limits(8.0, [500.0, 5_000.0, 50_000.0], per=1000)
    for point in points:
        assert point.lower_998 <= point.lower_95 <= 8.0 <= point.upper_95 <= point.upper_998
    widths = [p.upper_95 - p.lower_95 for p in points]
    assert widths[0] > widths[1] > widths[2]
    assert points[1].expected == pytest.approx(40.0)
    assert points[1].upper_95 == pytest.approx(upper_count_limit(40.0, 0.025) / 5)


def test_fifteen_thousand_areas_in_one_pass():
    """Not a timing test: the batch calls must handle a national table; under the null about 2.5% per side flag."""
    rng = np.random.default_rng(20240601)
    populations = rng.uniform(150, 100_000, 15_000).tolist()
    target = 45.0  # per 1000
    counts = [int(c) for c in rng.poisson(np.array(populations) * target / 1000)]
    rates = rate_intervals(counts, populations)
    results = flags(counts, populations, target)
    assert len(rates) == len(results) == 15_000
    assert all(r.lower <= r.rate <= r.upper for r in rates)
    high = sum(f.code in (FunnelCode.ABOVE_95, FunnelCode.ABOVE_998) for f in results) / 15_000
    low = sum(f.code in (FunnelCode.BELOW_95, FunnelCode.BELOW_998) for f in results) / 15_000
    assert 0.01 < high < 0.025 + 4 * math.sqrt(0.025 * 0.975 / 15_000)
    assert 0.01 < low < 0.025 + 4 * math.sqrt(0.025 * 0.975 / 15_000)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: flag(-1, 100, 1.0), "count cannot be negative"),
    (lambda: flag(1, 0, 1.0), "population must be a finite number greater than 0"),
    (lambda: flag(1, 100, -1.0), "target_rate must be a finite number of at least 0"),
    (lambda: expected_count(1.0, 100, per=0), "per must be a finite number greater than 0"),
    (lambda: funnel_limits(1.0, [100, -5]), "population must be a finite number greater than 0"),
    (lambda: flags([1, 2], [100], 1.0), r"counts and populations differ in length \(2 vs 1\)"),
])
def test_invalid_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
