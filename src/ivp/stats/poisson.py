"""Exact (Garwood) confidence intervals for a registered count and for a rate per ``per`` inhabitants.

Method (Garwood 1936, "Fiducial limits for the Poisson distribution", Biometrika 28:437-442). For an observed count
k and alpha = 1 - level, the interval for the Poisson mean is

    lower = chi2_ppf(alpha / 2, 2k) / 2 = gammaincinv(k, alpha / 2)          (0 when k = 0)
    upper = chi2_isf(alpha / 2, 2k + 2) / 2 = gammainccinv(k + 1, alpha / 2)

i.e. the gamma quantiles with shape k and k + 1 (scipy.special, vectorised over all areas at once). It inverts
two one-sided exact Poisson tests, so its coverage is at least ``level`` for every true mean. Why this one: crime
counts per buurt or wijk are small, and the normal approximation k +/- 1.96 sqrt(k) gives negative lower bounds
and too-narrow intervals below about 20 events; an interval that errs on the wide side is the honest choice for a
public dashboard. For k = 0 the 95% upper bound is 3.69 events, not 0: "no registered incidents" does not mean
"no risk".

Rounded source counts (``rounding=r``). Some CBS tables publish counts rounded to multiples of r (e.g. 5 in
83648NED). The true count then lies anywhere in [k - r//2, k + r//2] (and >= 0); an interval that is to cover
the true mean whatever the true count was is the union of the Garwood intervals over those counts: the lower
bound of max(0, k - r//2) and the upper bound of k + r//2 (both bounds increase with the count). Such intervals
are conservative, not exact, and ``Rate.exact`` says so. rounding 0 or 1 means "not rounded".

A rate is count / exposure * per, with the same interval divided by the exposure. The exposure is the population
(CBS head count, treated as known without error) or, for a multi-year period, population x years.
"""

import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special as _sp

from ivp.stats.validation import (
    check_count,
    check_counts,
    check_level,
    check_positive,
    check_positives,
    check_same_length,
)


@dataclass(frozen=True)
class Rate:
    """A count turned into a rate per ``per`` units of exposure, with its interval (same units as ``rate``).

    ``exact`` is False when the count was rounded at the source: the interval is then the conservative union
    described in the module docstring, not an exact one.
    """

    count: int
    population: float
    rate: float
    lower: float
    upper: float
    per: float
    level: float
    exact: bool = True


def check_rounding(rounding: object) -> int:
    """A whole number >= 0: the multiple the source rounded counts to (0 or 1: not rounded)."""
    if isinstance(rounding, bool) or not isinstance(rounding, numbers.Integral) or rounding < 0:
        raise ValueError(f"rounding must be a whole number of at least 0 (e.g. 5), got {rounding!r}")
    return int(rounding)


def garwood_arrays(counts: np.ndarray, level: float, rounding: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Garwood (lower, upper) for an int array of counts (checked by the caller), widened for ``rounding``."""
    half = rounding // 2
    tail = (1.0 - level) / 2.0
    low_count = np.maximum(counts - half, 0)
    # gammaincinv(0, .) is nan: the lower bound for a count of 0 is 0 by definition
    lower = np.where(low_count > 0, _sp.gammaincinv(np.maximum(low_count, 1).astype(float), tail), 0.0)
    upper = _sp.gammainccinv((counts + half + 1).astype(float), tail)
    return lower, upper


def exact_interval(count: int, level: float = 0.95, *, rounding: int = 0) -> tuple[float, float]:
    """Garwood exact interval (lower, upper) for the mean of a Poisson count (conservative union if rounded)."""
    count = check_count("count", count)
    lower, upper = garwood_arrays(np.array([count]), check_level(level), check_rounding(rounding))
    return float(lower[0]), float(upper[0])


def exact_intervals(counts: Sequence[int], level: float = 0.95, *, rounding: int = 0) -> list[tuple[float, float]]:
    """``exact_interval`` for many counts at once (one vectorised pass)."""
    lower, upper = garwood_arrays(check_counts("count", counts), check_level(level), check_rounding(rounding))
    return list(zip(lower.tolist(), upper.tolist(), strict=True))


def rate_interval(count: int, population: float, per: float = 1000, level: float = 0.95, *,
                  rounding: int = 0) -> Rate:
    """Rate per ``per`` inhabitants (e.g. per 1000) with its exact Garwood interval."""
    count = check_count("count", count)
    population = check_positive("population", population)
    return rate_intervals([count], [population], per=per, level=level, rounding=rounding)[0]


def rate_intervals(counts: Sequence[int], populations: Sequence[float], per: float = 1000, level: float = 0.95, *,
                   rounding: int = 0) -> list[Rate]:
    """``rate_interval`` for many areas at once (same ``per``, ``level`` and ``rounding``), vectorised."""
    count_array = check_counts("count", counts)
    population_array = check_positives("population", populations)
    check_same_length("counts", count_array, "populations", population_array)
    per = check_positive("per", per)
    level = check_level(level)
    rounding = check_rounding(rounding)
    lower, upper = garwood_arrays(count_array, level, rounding)
    scale = per / population_array
    exact = rounding <= 1
    return [
        Rate(count=c, population=n, rate=r, lower=lo, upper=up, per=per, level=level, exact=exact)
        for c, n, r, lo, up in zip(count_array.tolist(), population_array.tolist(), (count_array * scale).tolist(),
                                   (lower * scale).tolist(), (upper * scale).tolist(), strict=True)
    ]
