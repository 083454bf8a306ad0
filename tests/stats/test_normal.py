"""Standard normal distribution against scipy.stats.norm."""

import math

import pytest
from scipy import stats

from ivp.stats.normal import norm_cdf, norm_ppf, norm_sf

# covers AS 241's three regions: |p - 0.5| <= 0.425, sqrt(-ln p) <= 5 (p >~ 1.4e-11), and the far tails
PROBS = [1e-300, 1e-100, 1e-30, 1e-12, 1.3887e-11, 1.3889e-11, 1e-6, 0.001, 0.025, 0.0749, 0.075, 0.0751, 0.2, 0.5,
         0.6, 0.925, 0.9251, 0.975, 0.999, 1 - 1e-9, 1 - 2**-40]


@pytest.mark.parametrize("p", PROBS)
def test_ppf_matches_scipy(p):
    assert norm_ppf(p) == pytest.approx(stats.norm.ppf(p), rel=1e-14, abs=1e-15)


def test_ppf_is_antisymmetric_and_inverts_cdf():
    for p in (0.5**k for k in range(2, 54)):  # 1 - 2**-53 is the last double below 1
        assert norm_ppf(1 - p) == pytest.approx(-norm_ppf(p), rel=1e-13)
        assert norm_cdf(norm_ppf(p)) == pytest.approx(p, rel=1e-13)
    assert norm_ppf(0.5) == 0.0


def test_ppf_endpoints_and_errors():
    assert norm_ppf(0.0) == -math.inf
    assert norm_ppf(1.0) == math.inf
    for bad in (-0.1, 1.5, math.nan):
        with pytest.raises(ValueError, match="p must be a probability"):
            norm_ppf(bad)


@pytest.mark.parametrize("x", [-38.0, -8.0, -1.96, -0.3, 0.0, 0.7, 1.96, 5.0, 8.0, 38.0])
def test_cdf_and_sf_match_scipy_in_both_tails(x):
    # rounding x / sqrt(2) alone costs ~x^2 * 2.2e-16 relative in the tail, in both implementations
    rel = 1e-14 + x * x * 4.4e-16
    assert norm_cdf(x) == pytest.approx(stats.norm.cdf(x), rel=rel, abs=1e-300)
    assert norm_sf(x) == pytest.approx(stats.norm.sf(x), rel=rel, abs=1e-300)


def test_sf_keeps_relative_precision_where_one_minus_cdf_would_be_zero():
    assert 1.0 - norm_cdf(10.0) == 0.0
    assert norm_sf(10.0) == pytest.approx(7.619853024160527e-24, rel=1e-13)
