"""Poisson and binomial probabilities and the exact binomial test, against scipy.stats, brute force and 60 digits."""

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ivp.stats.discrete import (
    binom_cdf,
    binom_pmf,
    binom_sf,
    binomtest_pvalue,
    binomtest_pvalues,
    poisson_cdf,
    poisson_pmf,
    poisson_quantile,
    poisson_sf,
    poisson_tails,
)

MEANS = [1e-6, 0.02, 0.2, 1.0, 3.7, 10.0, 42.5, 250.0, 1e4, 1e6]


def _counts_around(mu: float) -> list[int]:
    sd = math.sqrt(mu)
    return sorted({0, 1, 2, 5, *(max(0, int(mu + z * sd)) for z in (-8, -5, -3, -1, 0, 1, 3, 5, 8))})


def _decimal_poisson_pmf(k: int, mu: float) -> float:
    """exp(k ln mu - mu - ln k!) with 60 digits; ln k! from the Stirling series (k >= 1000)."""
    with localcontext() as ctx:
        ctx.prec = 60
        dk, dmu = Decimal(k), Decimal(mu)
        ln_fact = (dk + Decimal("0.5")) * dk.ln() - dk + (2 * Decimal("3.14159265358979323846264338327950288")).ln() / 2
        ln_fact += 1 / (12 * dk) - 1 / (360 * dk**3) + 1 / (1260 * dk**5)
        return float((dk * dmu.ln() - dmu - ln_fact).exp())


def test_poisson_pmf_cdf_sf_match_scipy():
    for mu in MEANS:
        for k in _counts_around(mu):
            if mu < 1e4:
                assert poisson_pmf(k, mu) == pytest.approx(stats.poisson.pmf(k, mu), rel=1e-12, abs=1e-300), (k, mu)
            elif k >= 1000:
                # against 60 digits: scipy's pmf (exp(k ln mu - mu - lgamma(k + 1))) loses ~1e-9 relative at 1e6
                assert poisson_pmf(k, mu) == pytest.approx(_decimal_poisson_pmf(k, mu), rel=1e-8, abs=1e-300), k
            if mu < 1e6:
                assert poisson_cdf(k, mu) == pytest.approx(stats.poisson.cdf(k, mu), rel=1e-11, abs=1e-300), (k, mu)
                assert poisson_sf(k, mu) == pytest.approx(stats.poisson.sf(k, mu), rel=1e-11, abs=1e-300), (k, mu)


def test_poisson_tails_at_mean_one_million_step_by_the_verified_pmf():
    # huge counts: consecutive cumulative values differ by the (60-digit verified) pmf, and the tails add up to 1
    # (scipy's incomplete gamma is ~1e-5 relative off further out than these points at this size)
    mu = 1e6
    for k in (995_000, 998_000, 1_000_000, 1_003_000, 1_005_000):
        pmf = _decimal_poisson_pmf(k, mu)
        if k < mu:
            assert poisson_cdf(k, mu) - poisson_cdf(k - 1, mu) == pytest.approx(pmf, rel=1e-6)
        else:
            assert poisson_sf(k - 1, mu) - poisson_sf(k, mu) == pytest.approx(pmf, rel=1e-6)
        assert poisson_cdf(k, mu) + poisson_sf(k, mu) == pytest.approx(1.0, rel=1e-15)


def test_poisson_tails_are_both_inclusive_tails():
    for mu in MEANS[:-1]:
        for k in _counts_around(mu):
            at_most, at_least = poisson_tails(k, mu)
            assert at_most == pytest.approx(poisson_cdf(k, mu), rel=1e-12, abs=1e-300)
            assert at_least == pytest.approx(poisson_sf(k - 1, mu), rel=1e-12, abs=1e-300)
            assert at_most + at_least == pytest.approx(1.0 + poisson_pmf(k, mu), rel=1e-12)


def test_poisson_with_zero_mean_is_degenerate_at_zero():
    assert poisson_pmf(0, 0.0) == 1.0 and poisson_pmf(3, 0.0) == 0.0
    assert poisson_cdf(0, 0.0) == 1.0 and poisson_sf(0, 0.0) == 0.0
    assert poisson_tails(0, 0.0) == (1.0, 1.0)
    assert poisson_tails(2, 0.0) == (1.0, 0.0)
    assert poisson_pmf(-1, 2.0) == 0.0 and poisson_cdf(-1, 2.0) == 0.0 and poisson_sf(-1, 2.0) == 1.0


def test_poisson_quantile_matches_scipy():
    for mu in [0.0, *MEANS, 7.000001]:
        for p in (1e-9, 0.001, 0.025, 0.3, 0.5, 0.975, 0.999, 1 - 1e-9):
            assert poisson_quantile(p, mu) == int(stats.poisson.ppf(p, mu)), (p, mu)


def test_poisson_errors():
    with pytest.raises(ValueError, match="mean must be a finite number >= 0"):
        poisson_pmf(1, -0.5)
    with pytest.raises(ValueError, match="mean must be a finite number >= 0"):
        poisson_cdf(1, math.inf)
    with pytest.raises(ValueError, match="infinite"):
        poisson_quantile(1.0, 3.0)


def test_binomial_pmf_cdf_sf_match_scipy():
    for n in (1, 2, 7, 30, 100, 1000, 25_000, 100_000):
        for p in (1e-4, 0.1, 0.3, 0.5, 0.512, 0.9):
            mean, sd = n * p, math.sqrt(n * p * (1 - p))
            ks = {0, 1, n - 1, n, *(int(mean + z * sd) for z in (-6, -3, -1, 0, 1, 3, 6))}
            for k in sorted(k for k in ks if 0 <= k <= n):
                assert binom_pmf(k, n, p) == pytest.approx(stats.binom.pmf(k, n, p), rel=1e-11, abs=1e-300)
                assert binom_cdf(k, n, p) == pytest.approx(stats.binom.cdf(k, n, p), rel=1e-10, abs=1e-300)
                assert binom_sf(k, n, p) == pytest.approx(stats.binom.sf(k, n, p), rel=1e-10, abs=1e-300)


def test_binomial_degenerate_and_out_of_range():
    assert binom_pmf(0, 5, 0.0) == 1.0 and binom_pmf(5, 5, 1.0) == 1.0 and binom_pmf(6, 5, 0.5) == 0.0
    assert binom_cdf(-1, 5, 0.5) == 0.0 and binom_cdf(5, 5, 0.5) == 1.0
    assert binom_sf(-1, 5, 0.5) == 1.0 and binom_sf(5, 5, 0.5) == 0.0
    assert binom_cdf(2, 5, 0.0) == 1.0 and binom_cdf(2, 5, 1.0) == 0.0
    with pytest.raises(ValueError, match="p must be a probability"):
        binom_pmf(1, 5, 1.5)


def _brute_force_pvalue(k: int, n: int, p: float) -> float:
    pmf = [math.comb(n, i) * Fraction(p) ** i * (1 - Fraction(p)) ** (n - i) for i in range(n + 1)]
    limit = pmf[k] * Fraction(1 + 1e-7)
    return min(1.0, float(sum(x for x in pmf if x <= limit)))


def test_binomtest_is_the_minlike_sum_of_outcomes_no_more_likely_than_observed():
    for n in (1, 2, 3, 8, 15, 40):
        for p in (0.5, 0.3, 0.512, 0.9):
            for k in range(n + 1):
                assert binomtest_pvalue(k, n, p) == pytest.approx(_brute_force_pvalue(k, n, p), rel=1e-11), (k, n, p)


def test_binomtest_matches_scipy():
    for n in (1, 2, 5, 19, 20, 57, 120):
        for p in (0.5, 0.25, 0.4878, 0.6):
            for k in range(n + 1):
                ref = stats.binomtest(k, n, p).pvalue
                assert binomtest_pvalue(k, n, p) == pytest.approx(ref, rel=1e-10, abs=1e-300), (k, n, p)
    for k, n, p in ((0, 1000, 0.512), (470, 1000, 0.512), (2450, 5000, 0.5122), (1700, 5000, 0.3), (9, 20_000, 1e-3)):
        assert binomtest_pvalue(k, n, p) == pytest.approx(stats.binomtest(k, n, p).pvalue, rel=1e-9, abs=1e-300)


def test_binomtest_edges_and_errors():
    assert binomtest_pvalue(5, 10, 0.5) == 1.0
    assert binomtest_pvalue(0, 0, 0.3) == 1.0
    assert binomtest_pvalue(0, 4, 0.0) == 1.0 and binomtest_pvalue(1, 4, 0.0) == 0.0
    with pytest.raises(ValueError, match=r"k \(7\) cannot exceed n \(5\)"):
        binomtest_pvalue(7, 5, 0.5)
    with pytest.raises(ValueError, match="n cannot be negative"):
        binomtest_pvalue(0, -1, 0.5)


def test_vectorised_p_values_equal_the_scalar_ones_and_scipy_in_one_call():
    rng = np.random.default_rng(7)
    n = rng.integers(1, 3_000, 2_000)
    k = rng.binomial(n, 0.45)
    p = rng.choice([0.5, 0.48, 0.3, 0.7], 2_000)
    values = binomtest_pvalues(k, n, p)
    for i in range(0, 2_000, 97):
        assert values[i] == binomtest_pvalue(int(k[i]), int(n[i]), float(p[i]))
        assert values[i] == pytest.approx(stats.binomtest(int(k[i]), int(n[i]), float(p[i])).pvalue, rel=1e-12)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 400), st.data(), st.floats(0.01, 0.99))
def test_p_value_is_scipys_minlike_p_value_for_any_input(n, data, p):
    k = data.draw(st.integers(0, n))
    assert binomtest_pvalue(k, n, p) == pytest.approx(stats.binomtest(k, n, p).pvalue, rel=1e-12, abs=1e-300)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 60), st.data())
def test_p_value_is_a_probability_and_one_at_the_mean(n, data):
    k = data.draw(st.integers(0, n))
    p = data.draw(st.sampled_from([0.5, 0.25, 0.4878]))
    value = binomtest_pvalue(k, n, p)
    assert 0.0 < value <= 1.0
    if k == n * p:
        assert value == 1.0
