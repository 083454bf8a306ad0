"""The validated wrappers around scipy.special: wiring (argument order, which tail), closed forms, exact rational
values, round trips and edge cases.

The functions are scipy's since issue 12, so comparing them with scipy only checks the wiring; the closed forms and
the exact rational values are the independent references. Known limit of scipy kept out of these tests: its
incomplete gamma at shape ~1e6 far in the left tail is ~1e-5 relative off in the probability (a quantile error of
~1e-9 relative in x, see test_gamma_quantile_at_one_million_is_accurate_in_x), irrelevant for counts on a dashboard.
"""

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from scipy import special as sp
from scipy import stats

from ivp.stats.special import (
    beta_isf,
    beta_ppf,
    beta_pq,
    betainc,
    betaincc,
    chi2_isf,
    chi2_ppf,
    gamma_isf,
    gamma_ppf,
    gamma_pq,
    gammainc_lower,
    gammainc_upper,
    norm_cdf,
    norm_ppf,
    norm_sf,
)

SHAPES = [0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 17.5, 50.0, 100.0, 1000.0, 1e4, 1e5]
TAILS = [1e-12, 1e-6, 0.001, 0.025, 0.1, 0.5, 0.9, 0.975, 0.999, 1 - 1e-6]
_PI = "3.14159265358979323846264338327950288419716939937510"


def _decimal_gamma_p(a: float, x: float) -> Decimal:
    """P(a, x) to ~50 digits for large a: Stirling series for lgamma and the power series for P."""
    with localcontext() as ctx:
        ctx.prec = 70
        da, dx = Decimal(a), Decimal(x)
        lgam = (da - Decimal("0.5")) * da.ln() - da + (2 * Decimal(_PI)).ln() / 2
        lgam += 1 / (12 * da) - 1 / (360 * da**3) + 1 / (1260 * da**5)
        front = (da * dx.ln() - dx - lgam).exp()
        term = 1 / da
        total, k = term, da
        while term > total * Decimal("1e-55"):
            k += 1
            term *= dx / k
            total += term
        return front * total


def test_incomplete_gamma_matches_scipy_on_a_grid():
    for a in SHAPES:
        for factor in (1e-3, 0.01, 0.1, 0.5, 0.9, 0.99, 1.0, 1.01, 1.1, 1.5, 2.0, 5.0):
            for x in (a * factor, a * factor + 1.0, max(a * factor - 1.0, 1e-3)):
                p, q = gamma_pq(a, x)
                ref_p, ref_q = sp.gammainc(a, x), sp.gammaincc(a, x)
                assert p == pytest.approx(ref_p, rel=1e-11, abs=1e-300), (a, x)
                assert q == pytest.approx(ref_q, rel=1e-11, abs=1e-300), (a, x)
                assert gammainc_lower(a, x) == p and gammainc_upper(a, x) == q


@pytest.mark.parametrize("z", [-4.0, -2.0, -0.5, 0.0, 1.0, 3.0, 4.0])
def test_incomplete_gamma_shape_one_million_central_region_matches_scipy(z):
    a = 1e6
    x = a + z * 1000.0
    assert gammainc_lower(a, x) == pytest.approx(sp.gammainc(a, x), rel=1e-12)
    assert gammainc_upper(a, x) == pytest.approx(sp.gammaincc(a, x), rel=1e-12)


def test_incomplete_gamma_closed_forms():
    for x in (1e-8, 0.01, 0.5, 1.0, 2.0, 7.5, 30.0):
        assert gammainc_lower(1.0, x) == pytest.approx(-math.expm1(-x), rel=1e-14)
        assert gammainc_upper(1.0, x) == pytest.approx(math.exp(-x), rel=1e-14)
        assert gammainc_lower(0.5, x) == pytest.approx(math.erf(math.sqrt(x)), rel=1e-14)
        assert gammainc_upper(0.5, x) == pytest.approx(math.erfc(math.sqrt(x)), rel=1e-13)


def test_incomplete_gamma_edges_and_errors():
    assert gamma_pq(3.0, 0.0) == (0.0, 1.0)
    assert gamma_pq(3.0, math.inf) == (1.0, 0.0)
    assert gamma_pq(3.0, 1e-200) == (0.0, 1.0)  # underflow is clean, not nan
    with pytest.raises(ValueError, match="a must be a positive finite number"):
        gammainc_lower(0.0, 1.0)
    with pytest.raises(ValueError, match="a must be a positive finite number"):
        gammainc_lower(math.inf, 1.0)
    with pytest.raises(ValueError, match="x must be >= 0"):
        gammainc_lower(1.0, -1.0)
    with pytest.raises(ValueError, match="x must be >= 0"):
        gammainc_lower(1.0, math.nan)


def test_gamma_quantiles_match_scipy():
    for a in SHAPES:
        for p in TAILS:
            assert gamma_ppf(p, a) == pytest.approx(stats.gamma.ppf(p, a), rel=1e-10), (a, p)
            assert gamma_isf(p, a) == pytest.approx(stats.gamma.isf(p, a), rel=1e-10), (a, p)


def test_gamma_quantiles_round_trip_for_shapes_up_to_one_million():
    for a in [*SHAPES, 3e5, 1e6]:
        for p in TAILS:
            lower = gamma_ppf(p, a)
            assert gammainc_lower(a, lower) == pytest.approx(p, rel=1e-12), (a, p)
            upper = gamma_isf(p, a)
            assert gammainc_upper(a, upper) == pytest.approx(p, rel=1e-12), (a, p)


@pytest.mark.parametrize("p", [1e-6, 0.001, 0.025, 0.975, 0.999])
def test_gamma_quantile_at_one_million_is_accurate_in_x(p):
    # a 60-digit P(a, x) at x and at x * (1 +/- 1e-8) brackets p: the quantile is right to 1e-8 relative in x, far
    # beyond what a count of a million on a dashboard needs (scipy's P itself is ~1e-5 relative off in the tail)
    a = 1e6
    x = gamma_ppf(p, a)
    assert float(_decimal_gamma_p(a, x * (1 - 1e-8))) < p < float(_decimal_gamma_p(a, x * (1 + 1e-8)))


def test_chi2_quantiles_match_scipy():
    for df in (1, 2, 3, 4, 7, 10, 30, 100, 1001, 2 * 10**4, 2 * 10**5):
        for p in (1e-10, 0.001, 0.025, 0.05, 0.5, 0.95, 0.975, 0.999):
            assert chi2_ppf(p, df) == pytest.approx(stats.chi2.ppf(p, df), rel=1e-10), (df, p)
            assert chi2_isf(p, df) == pytest.approx(stats.chi2.isf(p, df), rel=1e-10), (df, p)
    assert chi2_ppf(0.95, 1) == pytest.approx(1.959963984540054**2, rel=1e-12)


def test_gamma_quantile_edges_and_errors():
    assert gamma_ppf(0.0, 2.0) == 0.0
    assert gamma_ppf(1.0, 2.0) == math.inf
    assert gamma_isf(0.0, 2.0) == math.inf
    assert gamma_isf(1.0, 2.0) == 0.0
    with pytest.raises(ValueError, match="p must be a probability"):
        gamma_ppf(1.2, 2.0)
    with pytest.raises(ValueError, match="q must be a probability"):
        gamma_isf(-0.2, 2.0)
    with pytest.raises(ValueError, match="df must be a positive finite number"):
        chi2_ppf(0.5, 0)


def _exact_betainc(a: int, b: int, x: float) -> Fraction:
    """I_x(a, b) for integer a, b = P(Binomial(a + b - 1, x) >= a), in exact rational arithmetic."""
    n, fx = a + b - 1, Fraction(x)
    return sum(math.comb(n, k) * fx**k * (1 - fx) ** (n - k) for k in range(a, n + 1))


def test_incomplete_beta_matches_exact_rational_values():
    for a, b in ((1, 1), (1, 7), (3, 5), (12, 30), (40, 2), (60, 60)):
        for x in (1e-6, 0.01, 0.2, 0.37, 0.5, 0.8, 0.999):
            exact = _exact_betainc(a, b, x)
            i, ic = beta_pq(a, b, x)
            assert i == pytest.approx(float(exact), rel=1e-13, abs=1e-300), (a, b, x)
            assert ic == pytest.approx(float(1 - exact), rel=1e-13, abs=1e-300), (a, b, x)


def test_incomplete_beta_matches_scipy_on_a_grid():
    values = [0.5, 1.0, 2.0, 3.0, 7.5, 20.0, 100.0, 1000.0, 1e4, 1e5]
    for a in values:
        for b in values:
            for x in (1e-8, 1e-4, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, a / (a + b)):
                assert betainc(a, b, x) == pytest.approx(sp.betainc(a, b, x), rel=1e-10, abs=1e-300), (a, b, x)
                assert betaincc(a, b, x) == pytest.approx(sp.betaincc(a, b, x), rel=1e-10, abs=1e-300), (a, b, x)


def test_incomplete_beta_large_parameters_against_decimal_binomial_sum():
    # I_x(20, 1e5) = 1 - P(Binomial(100019, x) <= 19), summed with 60 digits; scipy is ~4e-12 relative off here
    a, b, x = 20, 100_000, 0.0002019596080783843
    with localcontext() as ctx:
        ctx.prec = 60
        dx = Decimal(x)
        below = sum(math.comb(a + b - 1, k) * dx**k * (1 - dx) ** (a + b - 1 - k) for k in range(a))
        assert betainc(a, b, x) == pytest.approx(float(1 - below), rel=1e-10)
        assert betaincc(a, b, x) == pytest.approx(float(below), rel=1e-10)


def test_incomplete_beta_symmetry_edges_and_errors():
    assert betainc(2.5, 4.0, 0.25) == pytest.approx(betaincc(4.0, 2.5, 0.75), rel=1e-14)
    assert beta_pq(2.0, 3.0, 0.0) == (0.0, 1.0)
    assert beta_pq(2.0, 3.0, 1.0) == (1.0, 0.0)
    with pytest.raises(ValueError, match="x must be a probability"):
        betainc(2.0, 3.0, 1.5)
    with pytest.raises(ValueError, match="b must be a positive finite number"):
        betainc(2.0, -3.0, 0.5)


def test_beta_quantiles_match_scipy_for_clopper_pearson_parameters():
    for n in (1, 2, 5, 17, 100, 999, 2000):
        for k in sorted({0, 1, 2, n // 3, n // 2, n - 1, n} & set(range(n + 1))):
            for tail in (0.0005, 0.005, 0.025, 0.05):
                if k > 0:
                    assert beta_ppf(tail, k, n - k + 1) == pytest.approx(stats.beta.ppf(tail, k, n - k + 1), rel=1e-10)
                if k < n:
                    assert beta_isf(tail, k + 1, n - k) == pytest.approx(stats.beta.isf(tail, k + 1, n - k), rel=1e-10)


def test_beta_quantile_closed_forms():
    for b in (1.0, 3.0, 250.0, 2e4):
        for p in (1e-9, 0.025, 0.5, 0.975):
            assert beta_ppf(p, 1.0, b) == pytest.approx(-math.expm1(math.log1p(-p) / b), rel=1e-12)
            assert beta_ppf(p, b, 1.0) == pytest.approx(p ** (1.0 / b), rel=1e-12)


def test_beta_quantiles_round_trip_including_small_shapes():
    # scipy's beta.ppf fails for a < 1 far in the tail (e.g. a = 0.5, b = 2, p = 1e-10); check the inverse instead
    for a in (0.5, 0.8, 1.0, 4.0, 300.0):
        for b in (0.5, 2.0, 9.0, 5000.0):
            for p in (1e-10, 1e-4, 0.025, 0.5, 0.9):
                assert betainc(a, b, beta_ppf(p, a, b)) == pytest.approx(p, rel=1e-11), (a, b, p)
            for q in (1e-4, 0.025, 0.5):
                # the upper quantile is the mirrored lower one; checked this way because for b < 1 it lies so close
                # to 1 that the double next to it cannot reproduce q to 1e-11
                assert 1.0 - beta_isf(q, a, b) == pytest.approx(beta_ppf(q, b, a), rel=1e-9, abs=1e-15), (a, b, q)
                if b >= 1.0:
                    assert betaincc(a, b, beta_isf(q, a, b)) == pytest.approx(q, rel=1e-11), (a, b, q)
    assert beta_ppf(1e-10, 0.5, 2.0) == pytest.approx((1e-10 / 1.5) ** 2, rel=1e-6)  # I_x ~ 1.5 sqrt(x) near 0


def test_beta_quantile_edges():
    assert beta_ppf(0.0, 2.0, 3.0) == 0.0
    assert beta_ppf(1.0, 2.0, 3.0) == 1.0
    assert beta_isf(0.0, 2.0, 3.0) == 1.0
    assert beta_isf(1.0, 2.0, 3.0) == 0.0


# --- standard normal ------------------------------------------------------------------------------------------------


def test_norm_ppf_is_antisymmetric_inverts_the_cdf_and_has_textbook_values():
    for p in (0.5**k for k in range(2, 54)):  # 1 - 2**-53 is the last double below 1
        assert norm_ppf(1 - p) == pytest.approx(-norm_ppf(p), rel=1e-13)
        assert norm_cdf(norm_ppf(p)) == pytest.approx(p, rel=1e-13)
    assert norm_ppf(0.5) == 0.0
    assert norm_ppf(0.975) == pytest.approx(1.959963984540054, rel=1e-15)  # R: qnorm(0.975)
    assert norm_ppf(0.999) == pytest.approx(3.090232306167813, rel=1e-15)  # R: qnorm(0.999)


def test_norm_ppf_endpoints_and_errors():
    assert norm_ppf(0.0) == -math.inf
    assert norm_ppf(1.0) == math.inf
    for bad in (-0.1, 1.5, math.nan):
        with pytest.raises(ValueError, match="p must be a probability"):
            norm_ppf(bad)


@pytest.mark.parametrize("x", [-38.0, -8.0, -1.96, -0.3, 0.0, 0.7, 1.96, 5.0, 8.0, 38.0])
def test_norm_cdf_and_sf_against_erfc(x):
    # the closed form through math.erfc, independent of scipy
    rel = 1e-14 + x * x * 4.4e-16  # rounding x / sqrt(2) alone costs ~x^2 * 2.2e-16 relative in the tail
    assert norm_cdf(x) == pytest.approx(0.5 * math.erfc(-x / math.sqrt(2)), rel=rel, abs=1e-300)
    assert norm_sf(x) == pytest.approx(0.5 * math.erfc(x / math.sqrt(2)), rel=rel, abs=1e-300)


def test_norm_sf_keeps_relative_precision_where_one_minus_cdf_would_be_zero():
    assert 1.0 - norm_cdf(10.0) == 0.0
    assert norm_sf(10.0) == pytest.approx(7.619853024160527e-24, rel=1e-13)
