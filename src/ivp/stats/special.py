"""Special functions for exact count statistics: thin, validated wrappers around ``scipy.special``.

Contents
    * ``gammainc_lower`` / ``gammainc_upper`` (``gamma_pq`` for both): regularized incomplete gamma P(a, x) and
      Q(a, x) = 1 - P(a, x), scipy.special.gammainc / gammaincc.
    * ``gamma_ppf`` / ``gamma_isf`` / ``chi2_ppf`` / ``chi2_isf``: their inverses (unit-scale gamma and chi-square
      quantiles), scipy.special.gammaincinv / gammainccinv.
    * ``betainc`` / ``betaincc`` (``beta_pq`` for both) and ``beta_ppf`` / ``beta_isf``: regularized incomplete beta
      I_x(a, b), its complement and their inverses, scipy.special.betainc / betaincc / betaincinv / betainccinv.
    * ``norm_cdf`` / ``norm_sf`` / ``norm_ppf``: standard normal, scipy.special.ndtr / ndtri.

Why scipy (issue 12): these functions used to be written out here (series, continued fractions, Newton/Halley
solvers) to keep ``ivp.stats`` free of compiled dependencies. scipy's implementations (Cephes and Boost.Math,
DiDonato & Morris 1986 and 1992 for the incomplete gamma/beta and their inverses) are maintained, tested by many
users and vectorised, so the statistics can run over all areas at once with numpy.

Why both tails: an upper quantile such as chi2_isf(0.001, df) is computed from Q directly (gammainccinv), never as
the lower quantile of 1 - q, so small tail probabilities keep their relative precision.

These are the scalar forms with input checks, for callers that need one value; the vectorised code in
:mod:`ivp.stats.poisson`, :mod:`ivp.stats.change` and :mod:`ivp.stats.funnel` calls scipy on whole arrays.
"""

import math

from scipy import special as _sp


def _check_shape(name: str, value: float) -> None:
    if not value > 0 or math.isinf(value):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def _check_probability(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}")


def norm_cdf(x: float) -> float:
    """Standard normal CDF (scipy.special.ndtr)."""
    return float(_sp.ndtr(x))


def norm_sf(x: float) -> float:
    """Standard normal upper tail 1 - CDF, without cancellation for large x."""
    return float(_sp.ndtr(-x))


def norm_ppf(p: float) -> float:
    """Standard normal quantile (scipy.special.ndtri); -inf at 0 and inf at 1."""
    _check_probability("p", p)
    return float(_sp.ndtri(p))


def gamma_pq(a: float, x: float) -> tuple[float, float]:
    """(P(a, x), Q(a, x)), each computed directly (neither as the complement of the other)."""
    _check_shape("a", a)
    if not x >= 0:
        raise ValueError(f"x must be >= 0, got {x!r}")
    return float(_sp.gammainc(a, x)), float(_sp.gammaincc(a, x))


def gammainc_lower(a: float, x: float) -> float:
    """Regularized lower incomplete gamma P(a, x) (scipy.special.gammainc)."""
    return gamma_pq(a, x)[0]


def gammainc_upper(a: float, x: float) -> float:
    """Regularized upper incomplete gamma Q(a, x) (scipy.special.gammaincc)."""
    return gamma_pq(a, x)[1]


def beta_pq(a: float, b: float, x: float) -> tuple[float, float]:
    """(I_x(a, b), 1 - I_x(a, b)), each computed directly."""
    _check_shape("a", a)
    _check_shape("b", b)
    _check_probability("x", x)
    return float(_sp.betainc(a, b, x)), float(_sp.betaincc(a, b, x))


def betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b) (scipy.special.betainc)."""
    return beta_pq(a, b, x)[0]


def betaincc(a: float, b: float, x: float) -> float:
    """Complement 1 - I_x(a, b) (scipy.special.betaincc)."""
    return beta_pq(a, b, x)[1]


def gamma_ppf(p: float, a: float) -> float:
    """x with P(a, x) = p: quantile of the unit-scale gamma distribution (scipy.stats.gamma.ppf(p, a))."""
    _check_shape("a", a)
    _check_probability("p", p)
    return float(_sp.gammaincinv(a, p))


def gamma_isf(q: float, a: float) -> float:
    """x with Q(a, x) = q, i.e. upper-tail quantile (scipy.stats.gamma.isf(q, a)), precise for small q."""
    _check_shape("a", a)
    _check_probability("q", q)
    return float(_sp.gammainccinv(a, q))


def chi2_ppf(p: float, df: float) -> float:
    """Chi-square quantile: chi2(df) is 2 * Gamma(df / 2)."""
    _check_shape("df", df)
    return 2.0 * gamma_ppf(p, df / 2.0)


def chi2_isf(q: float, df: float) -> float:
    """Chi-square upper-tail quantile (value exceeded with probability q)."""
    _check_shape("df", df)
    return 2.0 * gamma_isf(q, df / 2.0)


def beta_ppf(p: float, a: float, b: float) -> float:
    """x with I_x(a, b) = p (scipy.stats.beta.ppf)."""
    _check_shape("a", a)
    _check_shape("b", b)
    _check_probability("p", p)
    return float(_sp.betaincinv(a, b, p))


def beta_isf(q: float, a: float, b: float) -> float:
    """x with 1 - I_x(a, b) = q (scipy.stats.beta.isf), precise for small q."""
    _check_shape("a", a)
    _check_shape("b", b)
    _check_probability("q", q)
    return float(_sp.betainccinv(a, b, q))


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
