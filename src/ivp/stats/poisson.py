"""Exact (Garwood) confidence intervals for a registered count and for a rate per ``per`` inhabitants.

Method (Garwood 1936). For an observed count k and alpha = 1 - level, the interval for the Poisson mean is

    lower = chi2_ppf(alpha / 2, 2k) / 2        (0 when k = 0)
    upper = chi2_isf(alpha / 2, 2k + 2) / 2

i.e. the gamma quantiles with shape k and k + 1. It inverts two one-sided exact Poisson tests, so its coverage is
at least ``level`` for every true mean. Why this one: crime counts per buurt or wijk are small, and the normal
approximation k +/- 1.96 sqrt(k) gives negative lower bounds and too-narrow intervals below about 20 events; an
interval that errs on the wide side is the honest choice for a public dashboard. For k = 0 the 95% upper bound is
3.69 events, not 0: "no registered incidents" does not mean "no risk".

A rate is count / exposure * per, with the same interval divided by the exposure. The exposure is the population
(CBS head count, treated as known without error) or, for a multi-year period, population x years.

Results depend only on (count, level), so they are cached: a national table of 15,000 areas has far fewer
distinct counts, and each distinct count costs two quantile searches once.
"""

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from ivp.stats.special import gamma_isf, gamma_ppf
from ivp.stats.validation import check_count, check_level, check_positive


@dataclass(frozen=True)
class Rate:
    """A count turned into a rate per ``per`` units of exposure, with its exact interval (same units as ``rate``)."""

    count: int
    population: float
    rate: float
    lower: float
    upper: float
    per: float
    level: float


@functools.lru_cache(maxsize=65536)
def _garwood(count: int, level: float) -> tuple[float, float]:
    tail = (1.0 - level) / 2.0
    lower = 0.0 if count == 0 else gamma_ppf(tail, count)
    return lower, gamma_isf(tail, count + 1)


def exact_interval(count: int, level: float = 0.95) -> tuple[float, float]:
    """Garwood exact interval (lower, upper) for the mean of a Poisson count."""
    return _garwood(check_count("count", count), check_level(level))


def rate_interval(count: int, population: float, per: float = 1000, level: float = 0.95) -> Rate:
    """Rate per ``per`` inhabitants (e.g. per 1000) with its exact Garwood interval."""
    count = check_count("count", count)
    population = check_positive("population", population)
    per = check_positive("per", per)
    level = check_level(level)
    lower, upper = _garwood(count, level)
    scale = per / population
    return Rate(count=count, population=population, rate=count * scale, lower=lower * scale, upper=upper * scale,
                per=per, level=level)


def rate_intervals(counts: Sequence[int], populations: Sequence[float], per: float = 1000,
                   level: float = 0.95) -> list[Rate]:
    """``rate_interval`` for many areas at once (same ``per`` and ``level``); the lists must be equally long."""
    if len(counts) != len(populations):
        raise ValueError(f"counts and populations differ in length ({len(counts)} vs {len(populations)})")
    return [rate_interval(c, n, per=per, level=level) for c, n in zip(counts, populations, strict=True)]
