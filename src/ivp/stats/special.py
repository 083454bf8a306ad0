"""Special functions for exact count statistics, in pure Python (standard library only).

Contents
    * ``gammainc_lower`` / ``gammainc_upper``: regularized incomplete gamma P(a, x) and Q(a, x) = 1 - P(a, x).
      Series for x < a + 1, modified-Lentz continued fraction otherwise (Numerical Recipes, 3rd ed., 6.2).
    * ``gamma_ppf`` / ``gamma_isf`` / ``chi2_ppf`` / ``chi2_isf``: their inverses (unit-scale gamma and
      chi-square quantiles), by a bracketed, safeguarded Newton iteration.
    * ``betainc`` / ``betaincc`` and ``beta_ppf`` / ``beta_isf``: regularized incomplete beta I_x(a, b)
      (continued fraction, Numerical Recipes 6.4) and its inverse.
    * ``norm_cdf`` / ``norm_sf`` / ``norm_ppf``: re-exported from :mod:`ivp.stats.normal` (erfc; AS 241).

Why the care with the "front factor" x^a e^-x / Gamma(a): the textbook form exp(a ln x - x - lgamma(a)) subtracts
numbers of size ~1e7 when a = 1e6 and loses about nine digits. We use Loader's (2000, "Fast and accurate
computation of binomial probabilities") saddle-point form sqrt(a / 2 pi) exp(-stirlerr(a) - bd0(a, x)), where both
terms are small, so P and Q keep ~1e-13 relative accuracy up to a = 1e6 and the quantiles ~1e-12.

Why both tails: an upper quantile such as chi2_isf(0.001, df) is computed from Q directly, never as 1 - P, so
small tail probabilities keep their relative precision.
"""

import math

from ivp.stats._numerics import (
    EPS,
    beta_front,
    check_positive,
    check_probability,
    gamma_front,
    not_converged,
    solve_increasing,
)
from ivp.stats.normal import norm_cdf, norm_ppf, norm_sf

_FPMIN = 1e-300
_MAX_ITER = 200_000


def gamma_pq(a: float, x: float) -> tuple[float, float]:
    """(P(a, x), Q(a, x)); the smaller one is computed directly, the other as its complement."""
    check_positive("a", a)
    if not x >= 0:
        raise ValueError(f"x must be >= 0, got {x!r}")
    if x == 0.0:
        return 0.0, 1.0
    if math.isinf(x):
        return 1.0, 0.0
    front = gamma_front(a, x)
    if front == 0.0:  # deep in a tail: the other side is 1 to double precision
        return (0.0, 1.0) if x < a else (1.0, 0.0)
    if x < a + 1.0:  # series: P = front * sum_{n>=0} x^n / (a (a+1) ... (a+n))
        ap, term = a, 1.0 / a
        total = term
        for _ in range(_MAX_ITER):
            ap += 1.0
            term *= x / ap
            total += term
            if term < total * EPS:
                p = total * front
                return p, 1.0 - p
        raise not_converged("incomplete gamma series")
    b = x + 1.0 - a  # continued fraction for Q (modified Lentz)
    c, d = 1.0 / _FPMIN, 1.0 / b
    h = d
    for i in range(1, _MAX_ITER):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = d if abs(d) >= _FPMIN else _FPMIN
        c = b + an / c
        c = c if abs(c) >= _FPMIN else _FPMIN
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < EPS:
            q = front * h
            return 1.0 - q, q
    raise not_converged("incomplete gamma continued fraction")


def gammainc_lower(a: float, x: float) -> float:
    """Regularized lower incomplete gamma P(a, x) (scipy.special.gammainc)."""
    return gamma_pq(a, x)[0]


def gammainc_upper(a: float, x: float) -> float:
    """Regularized upper incomplete gamma Q(a, x) (scipy.special.gammaincc)."""
    return gamma_pq(a, x)[1]


def _betacf(a: float, b: float, x: float) -> float:
    # Lentz's continued fraction; the even and odd steps are written out (no tuple per step): this loop is
    # where a table of change tests spends its time (bench/stats.py).
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) >= _FPMIN else _FPMIN)
    h = d
    for m in range(1, _MAX_ITER):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) >= _FPMIN else _FPMIN)
        c = 1.0 + aa / c
        if abs(c) < _FPMIN:
            c = _FPMIN
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) >= _FPMIN else _FPMIN)
        c = 1.0 + aa / c
        if abs(c) < _FPMIN:
            c = _FPMIN
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < EPS:
            return h
    raise not_converged("incomplete beta continued fraction")


def beta_pq(a: float, b: float, x: float) -> tuple[float, float]:
    """(I_x(a, b), 1 - I_x(a, b)); the continued fraction runs on the side where it converges fast."""
    check_positive("a", a)
    check_positive("b", b)
    check_probability("x", x)
    if x == 0.0:
        return 0.0, 1.0
    if x == 1.0:
        return 1.0, 0.0
    y = 1.0 - x
    if x < (a + 1.0) / (a + b + 2.0):
        i = beta_front(a, b, x, y) * _betacf(a, b, x) / a
        return i, 1.0 - i
    j = beta_front(b, a, y, x) * _betacf(b, a, y) / b
    return 1.0 - j, j


def betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b) (scipy.special.betainc)."""
    return beta_pq(a, b, x)[0]


def betaincc(a: float, b: float, x: float) -> float:
    """Complement 1 - I_x(a, b) (scipy.special.betaincc)."""
    return beta_pq(a, b, x)[1]


def _gamma_inverse(a: float, p: float, q: float) -> float:
    if p == 0.0:
        return 0.0
    if q == 0.0:
        return math.inf
    lower = p <= q
    z = norm_ppf(p) if lower else -norm_ppf(q)
    wh = 1.0 - 1.0 / (9.0 * a) + z / (3.0 * math.sqrt(a))  # Wilson-Hilferty start
    x0 = a * wh**3 if wh > 0.0 else 0.0
    if lower and (x0 <= 0.0 or a < 1.0):
        # P(a, x) <= x^a / Gamma(a + 1), so solving that for x gives a lower bound, good in the far left tail
        x0 = max(x0, math.exp((math.log(p) + math.lgamma(a + 1.0)) / a))
    x0 = max(x0, 1e-300)

    def resid(x: float) -> float:
        pp, qq = gamma_pq(a, x)
        return pp - p if lower else q - qq

    return solve_increasing(resid, lambda x: gamma_front(a, x) / x, x0, 0.0, math.inf,
                            curvature=lambda x: (a - 1.0) / x - 1.0)


def gamma_ppf(p: float, a: float) -> float:
    """x with P(a, x) = p: quantile of the unit-scale gamma distribution (scipy.stats.gamma.ppf(p, a))."""
    check_positive("a", a)
    check_probability("p", p)
    return _gamma_inverse(a, p, 1.0 - p)


def gamma_isf(q: float, a: float) -> float:
    """x with Q(a, x) = q, i.e. upper-tail quantile (scipy.stats.gamma.isf(q, a)), precise for small q."""
    check_positive("a", a)
    check_probability("q", q)
    return _gamma_inverse(a, 1.0 - q, q)


def chi2_ppf(p: float, df: float) -> float:
    """Chi-square quantile: chi2(df) is 2 * Gamma(df / 2)."""
    check_positive("df", df)
    return 2.0 * gamma_ppf(p, df / 2.0)


def chi2_isf(q: float, df: float) -> float:
    """Chi-square upper-tail quantile (value exceeded with probability q)."""
    check_positive("df", df)
    return 2.0 * gamma_isf(q, df / 2.0)


def _beta_inverse(a: float, b: float, p: float, q: float, mirrored: bool = False) -> float:
    if p == 0.0:
        return 0.0
    if q == 0.0:
        return 1.0
    lower = p <= q
    if a >= 1.0 and b >= 1.0:  # Abramowitz & Stegun 26.5.22
        y = -norm_ppf(p) if lower else norm_ppf(q)
        lam = (y * y - 3.0) / 6.0
        h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0))
        w = y * math.sqrt(h + lam) / h - (1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) * (
            lam + 5.0 / 6.0 - 2.0 / (3.0 * h))
        x0 = a / (a + b * math.exp(min(2.0 * w, 700.0)))
    else:
        t = math.exp(a * math.log(a / (a + b))) / a
        u = math.exp(b * math.log(b / (a + b))) / b
        x0 = (a * (t + u) * p) ** (1.0 / a) if p < t / (t + u) else 1.0 - (b * (t + u) * q) ** (1.0 / b)
    x0 = x0 if 0.0 < x0 < 1.0 else 0.5
    if x0 > 0.5 and not mirrored:
        # Solve for y = 1 - x instead (I_x(a, b) = p  <=>  I_y(b, a) = q): near 1, x itself has too few digits left
        # to resolve the answer, 1 - x has all of them.
        return 1.0 - _beta_inverse(b, a, q, p, mirrored=True)

    def resid(x: float) -> float:
        i, ic = beta_pq(a, b, x)
        return i - p if lower else q - ic

    return solve_increasing(resid, lambda x: beta_front(a, b, x, 1.0 - x) / (x * (1.0 - x)), x0, 0.0, 1.0,
                            curvature=lambda x: (a - 1.0) / x - (b - 1.0) / (1.0 - x))


def beta_ppf(p: float, a: float, b: float) -> float:
    """x with I_x(a, b) = p (scipy.stats.beta.ppf)."""
    check_positive("a", a)
    check_positive("b", b)
    check_probability("p", p)
    return _beta_inverse(a, b, p, 1.0 - p)


def beta_isf(q: float, a: float, b: float) -> float:
    """x with 1 - I_x(a, b) = q (scipy.stats.beta.isf), precise for small q."""
    check_positive("a", a)
    check_positive("b", b)
    check_probability("q", q)
    return _beta_inverse(a, b, 1.0 - q, q)


__all__ = [
    "beta_isf",
    "beta_ppf",
    "beta_pq",
    "betainc",
    "betaincc",
    "chi2_isf",
    "chi2_ppf",
    "gamma_isf",
    "gamma_pq",
    "gamma_ppf",
    "gammainc_lower",
    "gammainc_upper",
    "norm_cdf",
    "norm_ppf",
    "norm_sf",
]
