"""Garwood exact intervals for counts and rates."""

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ivp.stats.poisson import Rate, exact_interval, exact_intervals, rate_interval, rate_intervals


def _scipy_garwood(k: int, level: float) -> tuple[float, float]:
    tail = (1 - level) / 2
    lower = 0.0 if k == 0 else stats.chi2.ppf(tail, 2 * k) / 2
    return lower, stats.chi2.isf(tail, 2 * k + 2) / 2


def test_matches_chi_square_formula_for_every_count_up_to_2000():
    for k in range(2001):
        lower, upper = exact_interval(k)
        ref_lower, ref_upper = _scipy_garwood(k, 0.95)
        assert lower == pytest.approx(ref_lower, rel=1e-10, abs=0.0), k
        assert upper == pytest.approx(ref_upper, rel=1e-10), k


@pytest.mark.parametrize("k", [5_000, 12_345, 100_000, 1_000_000])
@pytest.mark.parametrize("level", [0.8, 0.95, 0.99])
def test_matches_chi_square_formula_for_large_counts(k, level):
    lower, upper = exact_interval(k, level)
    ref_lower, ref_upper = _scipy_garwood(k, level)
    assert lower == pytest.approx(ref_lower, rel=1e-10)
    assert upper == pytest.approx(ref_upper, rel=1e-10)


@pytest.mark.parametrize("level", [0.5, 0.9, 0.95, 0.99, 0.998, 0.9999])
def test_other_levels_match_scipy(level):
    for k in (0, 1, 2, 3, 7, 10, 33, 150):
        lower, upper = exact_interval(k, level)
        ref_lower, ref_upper = _scipy_garwood(k, level)
        assert lower == pytest.approx(ref_lower, rel=1e-10, abs=0.0)
        assert upper == pytest.approx(ref_upper, rel=1e-10)


def test_zero_count_has_zero_lower_bound_and_closed_form_upper_bound():
    assert exact_interval(0) == (0.0, pytest.approx(math.log(40.0), rel=1e-13))  # -ln(0.025)
    assert exact_interval(0, 0.9)[1] == pytest.approx(math.log(20.0), rel=1e-13)


def test_known_textbook_values():
    # the familiar tabulated 95% limits for an observed count of 10
    lower, upper = exact_interval(10)
    assert (round(lower, 3), round(upper, 3)) == (4.795, 18.390)


def test_intervals_are_nested_and_monotone():
    previous = (-1.0, -1.0)
    for k in range(300):
        lower, upper = exact_interval(k)
        assert lower <= k <= upper
        assert lower > previous[0] or k == 0
        assert upper > previous[1]
        previous = (lower, upper)
        wide = exact_interval(k, 0.99)
        assert wide[0] <= lower and wide[1] >= upper


@pytest.mark.parametrize("mu", [0.3, 1.0, 2.5, 4.0, 9.7, 25.0, 80.0])
def test_coverage_is_at_least_nominal(mu):
    # Garwood intervals are conservative: for any true mean the probability of covering it is >= 95%
    coverage = sum(stats.poisson.pmf(k, mu) for k in range(int(mu + 20 * math.sqrt(mu) + 30))
                   if exact_interval(k)[0] <= mu <= exact_interval(k)[1])
    assert 0.95 <= coverage < 1.0


def test_rate_interval_scales_the_count_interval():
    rate = rate_interval(3, 15_000)
    lower, upper = exact_interval(3)
    assert rate == Rate(count=3, population=15_000.0, rate=0.2, lower=lower / 15, upper=upper / 15, per=1000.0,
                        level=0.95)
    per_100k = rate_interval(3, 15_000, per=100_000)
    assert per_100k.rate == pytest.approx(20.0) and per_100k.upper == pytest.approx(100 * rate.upper)


def test_rate_of_zero_has_a_positive_upper_bound():
    rate = rate_interval(0, 2_000)
    assert rate.rate == 0.0 and rate.lower == 0.0
    assert rate.upper == pytest.approx(math.log(40.0) / 2, rel=1e-12)


def test_rate_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        rate_interval(1, 100).rate = 2.0  # type: ignore[misc]


@pytest.mark.parametrize(("call", "message"), [
    (lambda: exact_interval(-1), "count cannot be negative, got -1"),
    (lambda: exact_interval(2.5), "count must be a whole number, got 2.5"),
    (lambda: exact_interval(3, 95), "level must be strictly between 0 and 1"),
    (lambda: rate_interval(3, 0), "population must be a finite number greater than 0, got 0"),
    (lambda: rate_interval(3, -10), "population must be a finite number greater than 0"),
    (lambda: rate_interval(3, 100, per=0), "per must be a finite number greater than 0"),
    (lambda: rate_intervals([1, 2], [100.0]), r"counts and populations differ in length \(2 vs 1\)"),
    (lambda: rate_intervals([1, -2], [100.0, 50.0]), "count cannot be negative, got -2 at position 1"),
    (lambda: rate_intervals([1, 2], [100.0, 0.0]), "population must be a finite number greater than 0, got 0.0 at"),
    (lambda: exact_intervals([1, 2.5]), "count at position 0 must be a whole number, got 1.0"),
    (lambda: exact_interval(3, rounding=-5), "rounding must be a whole number of at least 0"),
    (lambda: exact_interval(3, rounding=2.5), "rounding must be a whole number of at least 0"),
])
def test_invalid_input_is_refused_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_rate_intervals_for_many_areas():
    rates = rate_intervals([0, 4, 40], [500, 20_000, 20_000], per=1000)
    assert [r.count for r in rates] == [0, 4, 40]
    assert rates[2].rate == pytest.approx(2.0)
    assert all(r.lower <= r.rate <= r.upper for r in rates)


def test_vectorised_intervals_equal_the_scalar_ones():
    counts = [0, 1, 2, 3, 10, 57, 400, 12_345]
    assert exact_intervals(counts) == [exact_interval(k) for k in counts]
    assert exact_intervals(counts, 0.9, rounding=5) == [exact_interval(k, 0.9, rounding=5) for k in counts]
    assert exact_intervals([]) == []
    rates = rate_intervals(counts, [1_000.0] * len(counts), per=100)
    assert rates == [rate_interval(k, 1_000.0, per=100) for k in counts]


# --- counts rounded at the source (e.g. CBS 83648NED: multiples of 5) --------------------------------------------


def test_rounded_count_gives_the_union_of_the_intervals_of_the_possible_true_counts():
    # a published 10 (rounded to 5) is a true count of 8, 9, 10, 11 or 12
    lower, upper = exact_interval(10, rounding=5)
    assert lower == exact_interval(8)[0] and upper == exact_interval(12)[1]
    for true in range(8, 13):
        assert lower <= exact_interval(true)[0] and exact_interval(true)[1] <= upper
    # a published 0 is a true 0, 1 or 2: the lower bound stays 0
    assert exact_interval(0, rounding=5) == (0.0, exact_interval(2)[1])
    # rounding to 1 (or 0) is no rounding
    assert exact_interval(10, rounding=1) == exact_interval(10) == exact_interval(10, rounding=0)


def test_rounded_rates_say_they_are_not_exact():
    rounded = rate_interval(10, 2_000, rounding=5)
    assert rounded.exact is False
    assert rounded.rate == pytest.approx(5.0)
    assert (rounded.lower, rounded.upper) == pytest.approx((exact_interval(8)[0] / 2, exact_interval(12)[1] / 2))
    assert rate_interval(10, 2_000).exact is True
    assert all(not r.exact for r in rate_intervals([5, 10], [100, 200], rounding=5))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 5_000), st.sampled_from([2, 3, 5, 10]), st.sampled_from([0.8, 0.95, 0.99]))
def test_rounded_interval_contains_the_interval_of_every_consistent_true_count(k, r, level):
    lower, upper = exact_interval(k, level, rounding=r)
    for true in range(max(0, k - r // 2), k + r // 2 + 1):
        true_lower, true_upper = exact_interval(true, level)
        assert lower <= true_lower and true_upper <= upper


@pytest.mark.parametrize("mu", [0.5, 2.0, 4.0, 9.7, 25.0, 80.0])
def test_rounded_intervals_cover_the_true_mean_at_least_nominally(mu):
    # the source rounds the true count to the nearest multiple of 5; the interval of the published count must
    # still cover the true mean with probability >= 95%
    def published(x):
        return 5 * math.floor(x / 5 + 0.5)

    coverage = 0.0
    for x in range(int(mu + 20 * math.sqrt(mu) + 30)):
        lower, upper = exact_interval(published(x), rounding=5)
        if lower <= mu <= upper:
            coverage += stats.poisson.pmf(x, mu)
    assert coverage >= 0.95


def test_huge_counts_are_near_the_normal_approximation():
    # independent check for large k: Garwood ~ k +/- 1.96 sqrt(k) (+ O(1)) when k is a million
    k = 1_000_000
    lower, upper = exact_interval(k)
    assert lower == pytest.approx(k - 1.959964 * math.sqrt(k), abs=2.0)
    assert upper == pytest.approx(k + 1.959964 * math.sqrt(k), abs=2.0)
