"""The private building blocks: Stirling error, deviance term, safeguarded root finder."""

import math
from decimal import Decimal, localcontext

import pytest

from ivp.stats._numerics import bd0, beta_front, gamma_front, solve_increasing, stirlerr


def _bd0_decimal(x: float, m: float) -> float:
    with localcontext() as ctx:
        ctx.prec = 60
        dx, dm = Decimal(x), Decimal(m)
        return float(dx * (dx / dm).ln() + dm - dx)


@pytest.mark.parametrize("a", [1, 2, 10, 14, 15, 16, 40, 1000, 20000])
def test_stirlerr_matches_exact_log_factorial(a):
    with localcontext() as ctx:
        ctx.prec = 50
        da = Decimal(a)
        ref = Decimal(math.factorial(a - 1)).ln() - (da - Decimal("0.5")) * da.ln() + da
        ref -= (2 * Decimal("3.14159265358979323846264338327950288")).ln() / 2
    assert stirlerr(float(a)) == pytest.approx(float(ref), rel=1e-13)


def test_stirlerr_at_half_integer_matches_lgamma():
    direct = math.lgamma(0.5) - 0.5 * math.log(2 * math.pi) + 0.5  # (a - 1/2) ln a vanishes at a = 1/2
    assert stirlerr(0.5) == pytest.approx(direct, rel=1e-14)


def test_stirlerr_series_is_continuous_at_the_switch():
    below, above = stirlerr(15.0 - 1e-12), stirlerr(15.0)
    assert abs(below - above) < 1e-14


@pytest.mark.parametrize(("x", "m"), [
    (10.0, 12.0), (1e6, 1e6 + 1.0), (1e6, 0.99e6), (3.0, 0.001), (0.001, 3.0), (5e5, 5e5 - 0.5), (7.0, 7.0),
])
def test_bd0_accurate_including_near_equal_arguments(x, m):
    assert bd0(x, m) == pytest.approx(_bd0_decimal(x, m), rel=1e-12, abs=1e-300)


def test_bd0_limits():
    assert bd0(0.0, 2.5) == 2.5
    assert bd0(2.0, 0.0) == math.inf
    assert bd0(4.0, 4.0) == 0.0


def test_gamma_front_for_large_shape_keeps_precision():
    # x^a e^-x / Gamma(a) at a = 1e6: the naive exp(a ln x - x - lgamma(a)) loses ~9 digits here.
    a, x = 1_000_000, 995_000.0
    with localcontext() as ctx:
        ctx.prec = 60
        da, dx = Decimal(a), Decimal(x)
        lgam = (da - Decimal("0.5")) * da.ln() - da + (2 * Decimal("3.14159265358979323846264338327950288")).ln() / 2
        lgam += 1 / (12 * da) - 1 / (360 * da**3)
        ref = float((da * dx.ln() - dx - lgam).exp())
    assert gamma_front(a, x) == pytest.approx(ref, rel=1e-13)


def test_beta_front_matches_direct_formula_for_moderate_parameters():
    a, b, x = 3.5, 7.25, 0.3
    direct = math.exp(a * math.log(x) + b * math.log1p(-x) + math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b))
    assert beta_front(a, b, x, 1 - x) == pytest.approx(direct, rel=1e-13)
    assert beta_front(a, b, 0.0, 1.0) == 0.0


def test_solve_increasing_with_open_bracket_and_bad_start():
    root = solve_increasing(lambda x: x**3 - 2.0, lambda x: 3 * x * x, 1e-6, 0.0, math.inf)
    assert root == pytest.approx(2 ** (1 / 3), rel=1e-15)


def test_solve_increasing_falls_back_to_bisection_when_newton_leaves_the_bracket():
    # A wrong (too small) slope makes every Newton step overshoot; bisection must still converge.
    root = solve_increasing(lambda x: x - 0.3, lambda x: 1e-9, 0.9, 0.0, 1.0)
    assert root == pytest.approx(0.3, rel=1e-14)
