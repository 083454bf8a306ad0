"""Numerical building blocks shared by :mod:`ivp.stats.special` and :mod:`ivp.stats.discrete` (private).

* ``stirlerr`` and ``bd0`` (Loader 2000, "Fast and accurate computation of binomial probabilities"): the two small
  pieces from which x^a e^-x / Gamma(a), Poisson and binomial probabilities are assembled without the catastrophic
  cancellation of exp(a ln x - x - lgamma(a)) for large a.
* ``solve_increasing``: root of an increasing function by Newton steps safeguarded with (geometric) bisection.
"""

import math
from collections.abc import Callable

EPS = 2.220446049250313e-16
_LN_SQRT_2PI = 0.9189385332046728


def stirlerr(a: float) -> float:
    """lgamma(a) - [(a - 1/2) ln a - a + ln sqrt(2 pi)], the error of Stirling's formula (series for a >= 15)."""
    if a < 15.0:
        return math.lgamma(a) - (a - 0.5) * math.log(a) + a - _LN_SQRT_2PI
    a2 = a * a
    return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / (1188 * a2)) / a2) / a2) / a2) / a


def bd0(x: float, m: float) -> float:
    """Deviance term x ln(x / m) + m - x >= 0, without cancellation when x is close to m (Loader 2000)."""
    if x == 0.0:
        return m
    if m == 0.0:
        return math.inf
    d = x - m
    if abs(d) < 0.1 * (x + m):
        v = d / (x + m)
        total = d * v
        ej = 2.0 * x * v
        v2 = v * v
        j = 3
        while True:
            ej *= v2
            nxt = total + ej / j
            if nxt == total:
                return total
            total, j = nxt, j + 2
    return x * (math.log(x) - math.log(m)) + m - x


def gamma_front(a: float, x: float) -> float:
    """x^a e^-x / Gamma(a), accurate for large a (see module docstring)."""
    if x == 0.0:
        return 0.0
    return math.sqrt(a / (2 * math.pi)) * math.exp(-stirlerr(a) - bd0(a, x))


def beta_front(a: float, b: float, x: float, y: float) -> float:
    """x^a y^b / B(a, b) with y = 1 - x, in the same saddle-point form."""
    if x == 0.0 or y == 0.0:
        return 0.0
    n = a + b
    log_f = stirlerr(n) - stirlerr(a) - stirlerr(b) - bd0(a, n * x) - bd0(b, n * y)
    return math.sqrt(a * b / (2 * math.pi * n)) * math.exp(log_f)


def not_converged(what: str) -> ArithmeticError:
    return ArithmeticError(f"{what} did not converge")


def check_positive(name: str, value: float) -> None:
    if not value > 0 or math.isinf(value):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def check_probability(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}")


def solve_increasing(
    resid: Callable[[float], float], slope: Callable[[float], float], x: float, lo: float, hi: float,
    curvature: Callable[[float], float] | None = None,
) -> float:
    """Root of an increasing function: Newton steps, replaced by bisection whenever they leave the bracket.

    ``[lo, hi]`` must bracket the root (``hi`` may be ``inf``). Newton converges quadratically, so once a Newton step
    is below 1e-9 relative, the point it lands on is accurate to ~1e-17 relative and is returned without another
    function evaluation; iterating further would only chase the rounding noise of ``resid``.

    With ``curvature`` (f'' / f', cheap where f' has a closed form) the steps are Halley's, which converge cubically:
    fewer evaluations of ``resid``, the costly part (bench/stats.py). The step falls back to Newton's where the
    correction would more than double it or flip its sign.
    """
    # Newton: error after a step ~ step^2, Halley: ~ step^3; both ~1e-18 relative at these step sizes.
    tolerance = 1e-9 if curvature is None else 1e-6
    for _ in range(2000):
        r = resid(x)
        if r == 0.0:
            return x
        if r < 0.0:
            lo = x
        else:
            hi = x
        s = slope(x)
        if s > 0.0 and math.isfinite(s):
            step = r / s
            if curvature is not None:
                factor = 1.0 - 0.5 * step * curvature(x)
                if 0.5 <= factor and math.isfinite(factor):
                    step /= factor
            nxt = x - step
        else:
            nxt = math.nan
        if lo <= nxt <= hi and abs(nxt - x) <= tolerance * abs(nxt):  # also false for nan
            # Converged; a step this small may land on a bracket end that rounding noise in resid moved there.
            return nxt
        if not lo < nxt < hi:  # outside the bracket (or nan): bisect instead
            if math.isinf(hi):
                nxt = 2.0 * x
            elif lo > 0.0 and hi > 4.0 * lo:
                nxt = math.sqrt(lo * hi)  # geometric bisection when the bracket spans decades
            else:
                nxt = 0.5 * (lo + hi)
        if abs(nxt - x) <= 4 * EPS * abs(nxt) or (math.isfinite(hi) and hi - lo <= 4 * EPS * hi):
            return nxt
        x = nxt
    raise not_converged("quantile search")
