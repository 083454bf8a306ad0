"""Change between two periods: exact conditional test, quasi-Poisson test, rounded counts, pooled dispersion."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

from ivp.stats.change import between_year_dispersion, compare_many, compare_periods
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


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"dispersion": 0.0}, "dispersion must be a finite number greater than 0"),
    ({"dispersion": math.nan}, "dispersion must be a finite number greater than 0"),
    ({"dispersion": 2.0, "dispersion_df": 0}, "dispersion_df must be a finite number greater than 0"),
    ({"rounding": -5}, "rounding must be a whole number of at least 0"),
])
def test_invalid_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        compare_periods(3, 100, 5, 100, **kwargs)
    if "rounding" not in kwargs:
        with pytest.raises(ValueError, match=message):
            compare_many([3], [100], [5], [100], **kwargs)


# --- which test, and what it reports ------------------------------------------------------------------------------


def test_default_is_the_exact_conditional_test_and_says_so():
    change = compare_periods(30, 1.0, 50, 1.0)
    assert change.method == "exact_conditional" and change.dispersion == 1.0
    # a dispersion of 1 or below is the same exact test: phi < 1 is never used to narrow
    for dispersion in (1.0, 0.6):
        other = compare_periods(30, 1.0, 50, 1.0, dispersion=dispersion)
        assert other.method == "exact_conditional" and other.dispersion == dispersion
        assert (other.p_value, other.ratio_lower, other.ratio_upper) == (
            change.p_value, change.ratio_lower, change.ratio_upper)


def _textbook_quasi_poisson(a, ea, b, eb, phi, df=None, level=0.95):
    """Wald test on the log rate ratio with var = phi (1/a + 1/b), written out independently."""
    if a == 0 or b == 0:
        a, b = a + 0.5, b + 0.5
    log_rr = math.log((b / eb) / (a / ea))
    se = math.sqrt(phi * (1 / a + 1 / b))
    if df is None:
        p = math.erfc(abs(log_rr) / se / math.sqrt(2))
        q = stats.norm.ppf(1 - (1 - level) / 2)
    else:
        p = 2 * stats.t.sf(abs(log_rr) / se, df)
        q = stats.t.ppf(1 - (1 - level) / 2, df)
    return p, math.exp(log_rr - q * se), math.exp(log_rr + q * se)


@pytest.mark.parametrize(("a", "ea", "b", "eb"), [
    (30, 1.0, 50, 1.0), (100, 25_000.0, 55, 25_000.0), (17, 21_000.0, 31, 22_500.0), (0, 20_000.0, 7, 20_500.0),
    (7, 20_000.0, 0, 20_500.0), (400, 3 * 25_000.0, 180, 25_500.0),
])
@pytest.mark.parametrize(("phi", "df"), [(1.0 + 1e-12, None), (2.5, None), (2.5, 40), (14.0, 6)])
def test_quasi_poisson_matches_the_textbook_formula(a, ea, b, eb, phi, df):
    change = compare_periods(a, ea, b, eb, dispersion=phi, dispersion_df=df)
    p, lower, upper = _textbook_quasi_poisson(a, ea, b, eb, phi, df)
    assert change.method == "quasi_poisson" and change.dispersion == phi
    assert change.p_value == pytest.approx(p, rel=1e-9)
    assert change.ratio_lower == pytest.approx(lower, rel=1e-9)
    assert change.ratio_upper == pytest.approx(upper, rel=1e-9)
    expected_ratio = math.inf if a == 0 else (b / eb) / (a / ea)
    assert change.rate_ratio == pytest.approx(expected_ratio)  # the estimate is not the corrected one


def test_quasi_poisson_with_dispersion_one_is_the_poisson_wald_test():
    # R: summary(glm(c(30, 50) ~ factor(1:2), family = poisson)): estimate log(5/3) = 0.5108, se 0.2309,
    # z = 2.212, p = 0.027
    change = compare_periods(30, 1.0, 50, 1.0, dispersion=1.0 + 1e-12)
    assert change.p_value == pytest.approx(0.02697, abs=5e-5)
    # with large counts the Wald test and the exact test agree closely
    wald, exact = compare_periods(300, 1.0, 360, 1.0, dispersion=1.0 + 1e-12), compare_periods(300, 1.0, 360, 1.0)
    assert wald.p_value == pytest.approx(exact.p_value, rel=0.15)  # 0.0197 vs 0.0216


def test_overdispersion_widens_and_can_turn_a_significant_change_into_normal_variation():
    exact = compare_periods(100, 25_000, 140, 25_000)
    assert exact.verdict == Verdict.SIGNIFICANT_INCREASE
    previous = exact.p_value
    for phi in (1.5, 3.0, 10.0):
        change = compare_periods(100, 25_000, 140, 25_000, dispersion=phi, dispersion_df=30)
        assert change.p_value > previous
        previous = change.p_value
    assert compare_periods(100, 25_000, 140, 25_000, dispersion=3.0).verdict == Verdict.WITHIN_NORMAL_VARIATION
    # fewer degrees of freedom behind phi: more cautious still
    assert (compare_periods(100, 1, 140, 1, dispersion=2.0, dispersion_df=5).p_value
            > compare_periods(100, 1, 140, 1, dispersion=2.0, dispersion_df=50).p_value
            > compare_periods(100, 1, 140, 1, dispersion=2.0).p_value)


def test_quasi_poisson_with_no_events_is_insufficient_data():
    change = compare_periods(0, 1.0, 0, 1.0, dispersion=3.0)
    assert change.verdict == Verdict.INSUFFICIENT_DATA and change.p_value is None
    assert change.method == "quasi_poisson"


# --- counts rounded at the source -----------------------------------------------------------------------------------


def test_rounded_counts_report_the_largest_p_value_and_the_union_of_intervals():
    change = compare_periods(30, 1.0, 50, 1.0, rounding=5)
    assert change.method == "rounded_conservative"
    # by hand: every true count pair within +/- 2 of the published ones
    combos = [compare_periods(a, 1.0, b, 1.0) for a in range(28, 33) for b in range(48, 53)]
    assert change.p_value == max(c.p_value for c in combos)
    assert change.ratio_lower == min(c.ratio_lower for c in combos)
    assert change.ratio_upper == max(c.ratio_upper for c in combos)
    assert change.rate_ratio == pytest.approx(50 / 30)
    # exact on the published counts this is significant; not once the rounding is admitted
    assert compare_periods(30, 1.0, 50, 1.0).verdict == Verdict.SIGNIFICANT_INCREASE
    assert change.verdict == Verdict.WITHIN_NORMAL_VARIATION


def test_rounded_counts_where_a_true_count_pair_may_be_empty():
    # published 0 and 0: nothing to test; published 0 and 5: true (0, 3..7) and (1..2, 3..7), all have events
    assert compare_periods(0, 1.0, 0, 1.0, rounding=5).verdict == Verdict.INSUFFICIENT_DATA
    change = compare_periods(0, 1.0, 5, 1.0, rounding=5)
    assert change.ratio_upper == math.inf and change.p_value == max(
        compare_periods(a, 1.0, b, 1.0).p_value for a in range(0, 3) for b in range(3, 8))
    # a published 1 (not a multiple, accepted) next to 0 can be a true (0, 0): compatible with anything
    odd = compare_periods(1, 1.0, 0, 1.0, rounding=5)
    assert odd.p_value == 1.0 and odd.ratio_lower == 0.0 and odd.ratio_upper == math.inf


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60), st.sampled_from([2, 5, 10]), st.sampled_from([1.0, 2.0]),
       st.floats(0.5, 2.0))
def test_rounding_never_gives_a_smaller_p_value_or_a_narrower_interval(a5, b5, r, phi, exposure_ratio):
    a, b = a5 * r, b5 * r
    if a + b == 0:
        return
    plain = compare_periods(a, 1.0, b, exposure_ratio, dispersion=phi)
    rounded = compare_periods(a, 1.0, b, exposure_ratio, dispersion=phi, rounding=r)
    assert rounded.method == "rounded_conservative"
    assert rounded.p_value >= plain.p_value
    assert rounded.ratio_lower <= plain.ratio_lower and rounded.ratio_upper >= plain.ratio_upper


# --- many areas at once ---------------------------------------------------------------------------------------------


def _same(x, y):
    if x is None or y is None:
        return x is y
    if isinstance(x, str) or (isinstance(x, float) and math.isinf(x)):
        return x == y
    return x == pytest.approx(y, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize(("phi", "df"), [(1.0, None), (2.3, None), (2.3, 17.0)])
def test_compare_many_equals_compare_periods(phi, df):
    rng = np.random.default_rng(11)
    size = 600
    pops_a = rng.uniform(100, 30_000, size)
    pops_b = pops_a * rng.choice([1.0, 1.0, 0.97, 2.0], size)
    counts_a = rng.poisson(pops_a * 0.02)
    counts_b = rng.poisson(pops_b * 0.02)
    counts_a[:20] = 0
    counts_b[10:30] = 0
    many = compare_many(counts_a, pops_a, counts_b, pops_b, dispersion=phi, dispersion_df=df)
    assert len(many) == size
    for i in range(size):
        one = compare_periods(int(counts_a[i]), float(pops_a[i]), int(counts_b[i]), float(pops_b[i]),
                              dispersion=phi, dispersion_df=df)
        for field in dataclasses.fields(one):
            assert _same(getattr(many[i], field.name), getattr(one, field.name)), (i, field.name)


def test_compare_many_p_values_are_scipys_binomtest():
    rng = np.random.default_rng(3)
    counts_a, counts_b = rng.integers(0, 400, 300), rng.integers(0, 400, 300)
    many = compare_many(counts_a, [1.0] * 300, counts_b, [1.3] * 300)
    for c in many:
        if c.count_a + c.count_b:
            ref = stats.binomtest(c.count_b, c.count_a + c.count_b, 1.3 / 2.3).pvalue
            assert c.p_value == pytest.approx(ref, rel=1e-12)


def test_compare_many_refuses_unequal_lengths():
    with pytest.raises(ValueError, match=r"counts_a and counts_b differ in length \(2 vs 1\)"):
        compare_many([1, 2], [1.0, 1.0], [3], [1.0, 1.0])
    assert compare_many([], [], [], []) == []


# --- pooled between-year dispersion --------------------------------------------------------------------------------


def _pearson_chi2(points):
    """Pearson chi2 of one series around its own log-linear Poisson fit (BFGS, independent of ivp.stats)."""
    t = np.array([p[0] for p in points], dtype=float) - points[0][0]
    y = np.array([p[1] for p in points], dtype=float)
    log_e = np.log(np.array([p[2] for p in points], dtype=float))
    x = np.column_stack([np.ones_like(t), t])

    def negative_loglik(beta):
        eta = log_e + x @ beta
        return float(np.sum(np.exp(eta) - y * eta))

    def gradient(beta):
        return x.T @ (np.exp(log_e + x @ beta) - y)

    start = np.array([math.log(y.sum() / np.exp(log_e).sum()), 0.0])
    beta = optimize.minimize(negative_loglik, start, jac=gradient, method="BFGS", options={"gtol": 1e-11}).x
    mu = np.exp(log_e + x @ beta)
    return float(np.sum((y - mu) ** 2 / mu))


def test_between_year_dispersion_pools_pearson_chi2_over_pooled_degrees_of_freedom():
    usable = [
        [(2019, 12, 900.0), (2020, 20, 905.0), (2021, 9, 910.0), (2022, 25, 915.0)],
        [(2016 + i, c, 5_000.0) for i, c in enumerate([140, 180, 120, 210, 150, 190])],
        [(2020, 3, 300.0), (2021, 0, 300.0), (2022, 5, 300.0)],
    ]
    skipped = [
        [(2021, 4, 100.0), (2022, 6, 100.0)],  # two points: no residual degree of freedom
        [(2020, 0, 100.0), (2021, 0, 100.0), (2022, 0, 100.0)],  # no events
        [(2020, 0, 100.0), (2021, 0, 100.0), (2022, 7, 100.0)],  # slope undefined
    ]
    phi, df = between_year_dispersion(usable + skipped)
    assert df == (4 - 2) + (6 - 2) + (3 - 2)
    assert phi == pytest.approx(sum(_pearson_chi2(s) for s in usable) / df, rel=1e-6)
    assert between_year_dispersion(skipped) == (1.0, 0)
    assert between_year_dispersion([]) == (1.0, 0)


def test_between_year_dispersion_recovers_simulated_overdispersion():
    rng = np.random.default_rng(2024)
    # Poisson series: phi ~ 1
    poisson = [[(2015 + i, int(c), 10_000.0) for i, c in enumerate(rng.poisson(40, 7))] for _ in range(300)]
    phi, df = between_year_dispersion(poisson)
    assert df == 300 * 5 and phi == pytest.approx(1.0, abs=0.12)
    # negative binomial with mean 50 and var 50 + 50^2 / 25: phi ~ 1 + 50 / 25 = 3
    nb = [[(2015 + i, int(c), 10_000.0) for i, c in enumerate(rng.negative_binomial(25, 25 / 75, 7))]
          for _ in range(300)]
    phi, _ = between_year_dispersion(nb)
    assert phi == pytest.approx(3.0, rel=0.15)


def test_between_year_dispersion_names_the_bad_series():
    with pytest.raises(ValueError, match="series 1: point 0: count cannot be negative"):
        between_year_dispersion([[(2020, 1, 1.0)] * 3, [(2020, -1, 1.0)]])


def test_distinct_rows_are_numpys():
    from ivp.stats.change import _unique_rows

    rng = np.random.default_rng(4)
    k, n = rng.integers(0, 5, 500), rng.integers(5, 9, 500)
    p = rng.choice([0.5, 0.25, 0.5000000001], 500)
    (uk, un, up), inverse = _unique_rows(k, n, p)
    ref, ref_inverse = np.unique(np.column_stack([k, n, p]), axis=0, return_inverse=True)
    assert np.array_equal(np.column_stack([uk, un, up]), ref)
    assert np.array_equal(inverse, ref_inverse.reshape(-1))
    (single,), inverse = _unique_rows(np.array([3]))
    assert single.tolist() == [3] and inverse.tolist() == [0]
