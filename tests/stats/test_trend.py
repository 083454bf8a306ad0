"""Quasi-Poisson log-linear trend, checked against an independent fit (scipy.optimize + numpy) and an independent
t reference (the Student density integrated numerically; R's qt values in comments)."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, stats

from ivp.stats.trend import MIN_POINTS, poisson_trend
from ivp.stats.verdict import Verdict


def _reference_fit(points):
    """Maximise the Poisson log-likelihood with BFGS (t shifted by its first value), then numpy for se and phi."""
    t = np.array([p[0] for p in points], dtype=float)
    y = np.array([p[1] for p in points], dtype=float)
    log_e = np.log(np.array([p[2] for p in points], dtype=float))
    shift = t[0]
    x = np.column_stack([np.ones_like(t), t - shift])

    def negative_loglik(beta):
        eta = log_e + x @ beta
        return float(np.sum(np.exp(eta) - y * eta))

    def gradient(beta):
        return x.T @ (np.exp(log_e + x @ beta) - y)

    start = np.array([math.log(y.sum() / np.exp(log_e).sum()), 0.0])
    result = optimize.minimize(negative_loglik, start, jac=gradient, method="BFGS", options={"gtol": 1e-11})
    beta = result.x
    mu = np.exp(log_e + x @ beta)
    cov = np.linalg.inv(x.T @ (mu[:, None] * x))
    phi = float(np.sum((y - mu) ** 2 / mu) / (len(y) - 2))
    return beta[0] - beta[1] * shift, beta[1], math.sqrt(cov[1, 1]), phi


def _series(seed, n, base, slope, exposure=25_000.0, start=2012, overdispersion=0.0):
    rng = np.random.default_rng(seed)
    points = []
    for i in range(n):
        mean = base * math.exp(slope * i)
        if overdispersion:
            mean *= rng.gamma(1 / overdispersion, overdispersion)
        points.append((start + i, int(rng.poisson(mean)), exposure * (1 + 0.01 * i)))
    return points


DATASETS = [
    _series(1, 10, 120, 0.03),
    _series(2, 8, 15, -0.08),
    _series(3, 12, 2.5, 0.05),  # small counts with zeros
    _series(4, 24, 6, 0.0, start=0),  # monthly-style index
    _series(5, 10, 300, 0.02, overdispersion=0.05),
    [(2019, 0, 9_000.0), (2020, 3, 9_100.0), (2021, 0, 9_150.0), (2022, 5, 9_300.0), (2023, 1, 9_400.0)],
]


@pytest.mark.parametrize("points", DATASETS)
def test_coefficients_se_and_dispersion_match_independent_fit(points):
    trend = poisson_trend(points)
    intercept, slope, se, phi = _reference_fit(points)
    assert trend.slope == pytest.approx(slope, abs=1e-6)
    assert trend.intercept == pytest.approx(intercept, abs=1e-6 * max(1.0, abs(intercept)))
    assert trend.se_slope == pytest.approx(se, rel=1e-6)
    assert trend.dispersion == pytest.approx(phi, rel=1e-6)


def _t_density(x, df):
    constant = math.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * math.gamma(df / 2))
    return constant * (1 + x * x / df) ** (-(df + 1) / 2)


def _t_two_sided_p(statistic, df):
    """2 P(T > |statistic|), T ~ t(df), by integrating the Student density (independent of scipy.special)."""
    tail, _ = integrate.quad(_t_density, abs(statistic), math.inf, args=(df,), epsabs=1e-14, epsrel=1e-12)
    return 2 * tail


def _t_quantile(q, df):
    """The t(df) quantile by root-finding on the integrated density."""
    return optimize.brentq(lambda x: 0.5 - integrate.quad(_t_density, 0, x, args=(df,))[0] - (1 - q), 0, 100,
                           xtol=1e-13)


def test_the_independent_t_reference_reproduces_rs_qt():
    # R: qt(0.975, c(3, 4, 6, 8, 10, 22)); the reference below is what the trend is checked against
    for df, value in ((3, 3.182446305), (4, 2.776445105), (6, 2.446911851), (8, 2.306004135), (10, 2.228138852),
                      (22, 2.073873068)):
        assert _t_quantile(0.975, df) == pytest.approx(value, rel=1e-8)
        assert _t_two_sided_p(value, df) == pytest.approx(0.05, rel=1e-7)


@pytest.mark.parametrize("points", DATASETS)
def test_interval_and_p_value_use_the_widened_standard_error_and_t_of_n_minus_2(points):
    trend = poisson_trend(points)
    df = len(points) - 2
    assert trend.df == df
    assert trend.se_slope_adjusted == pytest.approx(trend.se_slope * math.sqrt(max(1.0, trend.dispersion)))
    t_q = _t_quantile(0.975, df)
    assert trend.change_pct == pytest.approx(100 * math.expm1(trend.slope))
    assert trend.change_lower_pct == pytest.approx(100 * math.expm1(trend.slope - t_q * trend.se_slope_adjusted))
    assert trend.change_upper_pct == pytest.approx(100 * math.expm1(trend.slope + t_q * trend.se_slope_adjusted))
    assert trend.p_value == pytest.approx(_t_two_sided_p(trend.slope / trend.se_slope_adjusted, df), rel=1e-8)
    # and the t reference is more cautious than the normal one it replaced
    assert trend.p_value > 2 * stats.norm.sf(abs(trend.slope) / trend.se_slope_adjusted)


def test_overdispersed_series_gets_wider_interval_and_underdispersed_does_not_get_narrower():
    noisy = [(2015 + i, c, 20_000.0) for i, c in enumerate([100, 160, 90, 170, 95, 180, 110, 175])]
    trend = poisson_trend(noisy)
    assert trend.dispersion > 5
    assert trend.se_slope_adjusted == pytest.approx(trend.se_slope * math.sqrt(trend.dispersion))
    smooth = [(2015 + i, round(100 * 1.02**i), 20_000.0) for i in range(8)]  # almost exactly on the curve
    calm = poisson_trend(smooth)
    assert calm.dispersion < 1
    assert calm.se_slope_adjusted == calm.se_slope


def test_overdispersion_can_turn_a_nominally_significant_trend_into_normal_variation():
    counts = [100, 150, 95, 160, 120, 175, 130, 190]
    trend = poisson_trend([(i, c, 1.0) for i, c in enumerate(counts)])
    naive_p = 2 * stats.norm.sf(abs(trend.slope) / trend.se_slope)
    assert naive_p < 0.05  # plain Poisson would call this significant
    assert trend.p_value > 0.05
    assert trend.verdict == Verdict.WITHIN_NORMAL_VARIATION


def test_verdicts_for_clear_rise_and_fall():
    rising = poisson_trend([(2016 + i, round(80 * 1.12**i), 30_000.0) for i in range(8)])
    assert rising.verdict == Verdict.SIGNIFICANT_INCREASE and rising.change_pct == pytest.approx(12.0, abs=0.5)
    falling = poisson_trend([(2016 + i, round(80 * 0.88**i), 30_000.0) for i in range(8)])
    assert falling.verdict == Verdict.SIGNIFICANT_DECREASE and falling.change_lower_pct < falling.change_pct < 0


def test_exposure_is_an_offset():
    points = DATASETS[1]
    doubled = [(t, c, 2 * e) for t, c, e in points]
    base, scaled = poisson_trend(points), poisson_trend(doubled)
    assert scaled.slope == pytest.approx(base.slope, abs=1e-12)
    assert scaled.intercept == pytest.approx(base.intercept - math.log(2), abs=1e-8)  # t ~ 2000 amplifies b
    # a population that grows as fast as the counts is no trend in the rate
    growing = [(i, 50 * 2**i, 1000.0 * 2**i) for i in range(5)]
    flat = poisson_trend(growing)
    assert flat.slope == pytest.approx(0.0, abs=1e-12) and flat.verdict == Verdict.WITHIN_NORMAL_VARIATION


def test_shifting_time_changes_only_the_intercept():
    base = poisson_trend(DATASETS[0])
    shifted = poisson_trend([(t - 2000, c, e) for t, c, e in DATASETS[0]])
    assert shifted.slope == pytest.approx(base.slope, abs=1e-12)
    assert shifted.intercept == pytest.approx(base.intercept + 2000 * base.slope, abs=1e-8)


def _years(counts, start=2019):
    return [(start + i, c, 1.0) for i, c in enumerate(counts)]


@pytest.mark.parametrize(("points", "reason"), [
    ([], "too_few_points"),
    ([(2020, 5, 1.0), (2021, 7, 1.0)], "too_few_points"),
    (_years([120, 150, 210]), "too_few_points"),  # three yearly points: phi on one degree of freedom
    (_years([120, 150, 210, 260]), "too_few_points"),
    (_years([0, 0, 0, 0, 0]), "no_events"),
    (_years([0, 0, 0, 0, 4]), "slope_undefined"),  # all events in the last year: slope would be +infinity
    (_years([3, 0, 0, 0, 0]), "slope_undefined"),  # all in the first year: -infinity
    ([(2020, c, 1.0) for c in (3, 1, 2, 5, 4)], "slope_undefined"),  # one time point only
])
def test_insufficient_data_says_why(points, reason):
    trend = poisson_trend(points)
    assert trend.verdict == Verdict.INSUFFICIENT_DATA
    assert trend.reason == reason
    assert trend.n_points == len(points) and trend.df == 0
    assert trend.slope is None and trend.p_value is None and trend.change_pct is None and trend.dispersion is None


def test_at_least_five_points_by_default_and_the_minimum_can_be_lowered_to_three():
    assert MIN_POINTS == 5
    three = _years([100, 160, 250])
    assert poisson_trend(three).reason == "too_few_points"
    fitted = poisson_trend(three, min_points=3)
    assert fitted.reason == "" and fitted.df == 1 and fitted.slope is not None
    # one residual degree of freedom: the t(1) quantile is 12.7, so even this steep rise is not significant
    assert fitted.verdict == Verdict.WITHIN_NORMAL_VARIATION
    assert poisson_trend(_years([100, 130, 160, 200, 250])).reason == ""
    for bad in (2, 0, 4.0, True):
        with pytest.raises(ValueError, match="min_points must be a whole number of at least 3"):
            poisson_trend(three, min_points=bad)


def test_three_points_no_longer_give_the_normal_reference_verdicts_of_issue_12():
    # a rise of 25% a year on ~100 events with little noise: under the old normal reference on 3 points this was
    # "significant"; with t(1) it cannot be, and with 3 points it is not even tested by default
    points = _years([100, 127, 155])
    trend = poisson_trend(points, min_points=3)
    assert 2 * stats.norm.sf(abs(trend.slope) / trend.se_slope_adjusted) < 0.05
    assert trend.p_value > 0.05 and trend.verdict == Verdict.WITHIN_NORMAL_VARIATION


def test_events_only_in_a_middle_year_still_fit():
    trend = poisson_trend(_years([0, 0, 6, 0, 0]))
    assert trend.slope == pytest.approx(0.0, abs=1e-12)
    assert trend.reason == "" and trend.verdict == Verdict.WITHIN_NORMAL_VARIATION


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=5, max_size=12), st.floats(100.0, 1e6))
def test_any_series_fits_or_says_why_and_the_fit_is_the_maximum(counts, exposure):
    points = [(2010 + i, c, exposure) for i, c in enumerate(counts)]
    trend = poisson_trend(points)
    if trend.verdict == Verdict.INSUFFICIENT_DATA:
        assert trend.reason in ("no_events", "slope_undefined")
        return
    assert trend.reason == "" and 0.0 < trend.p_value <= 1.0
    assert trend.change_lower_pct <= trend.change_pct <= trend.change_upper_pct
    # score equations: at the maximum the residuals sum to 0 and are orthogonal to t
    t = np.array([p[0] for p in points], dtype=float)
    y = np.array(counts, dtype=float)
    mu = exposure * np.exp(trend.intercept + trend.slope * t)
    assert abs(np.sum(y - mu)) <= 1e-6 * max(1.0, y.sum())
    assert abs(np.sum((t - t.mean()) * (y - mu))) <= 1e-6 * max(1.0, y.sum())


def test_level_and_frozen_result():
    points = DATASETS[0]
    wide, narrow = poisson_trend(points, level=0.99), poisson_trend(points, level=0.8)
    assert wide.change_lower_pct < narrow.change_lower_pct < narrow.change_upper_pct < wide.change_upper_pct
    with pytest.raises(dataclasses.FrozenInstanceError):
        wide.slope = 0.0  # type: ignore[misc]


@pytest.mark.parametrize(("points", "message"), [
    ([(2020, 1)], r"point 0 must be \(t, count, exposure\)"),
    ([(2020, 1, 1.0), (2021, -1, 1.0)], "point 1: count cannot be negative"),
    ([(2020, 1, 0.0)], "point 0: exposure must be a finite number greater than 0"),
    ([(math.nan, 1, 1.0)], "point 0: t must be a finite number"),
    ([(2020, 1.5, 1.0)], "point 0: count must be a whole number"),
])
def test_invalid_points(points, message):
    with pytest.raises(ValueError, match=message):
        poisson_trend(points)
