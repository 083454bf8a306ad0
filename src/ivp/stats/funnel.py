"""Funnel plots: is an area's rate out of line with a target rate (e.g. the base-team rate), given its size?

Set-up (Spiegelhalter 2005, "Funnel plots for comparing institutional performance", Stat Med 24:1185-1202). An
area with population n has expected count E = target_rate * n / per if it behaves like the target. Its count is
compared with the Poisson(E) distribution; plotting the control limits against n (as rates) gives the funnel.
Limits: 95% (tail probabilities 0.025 / 0.975, "2 sigma") and 99.8% (0.001 / 0.999, "3 sigma").

Which interpolation. A Poisson quantile is a step function of E, which draws as a staircase. Spiegelhalter's
appendix interpolates: with r_p the smallest r such that P(X <= r) >= p and
alpha = (P(X <= r_p) - p) / (P(X <= r_p) - P(X <= r_p - 1)), the limit is r_p - alpha, which is continuous in E.

* Lower limits use exactly that: lower(p) = max(0, r_p - alpha). A count y lies below it iff P(X <= y) < p.
* Upper limits use the same construction mirrored onto the upper tail: with s the largest r such that
  P(X >= r) >= q (q = 1 - p) and beta = (P(X >= s) - q) / P(X = s), upper(q) = s + beta (= r_p + 1 - alpha).
  A count y lies above it iff P(X >= y) < q.

So a flag is exactly an exact one-sided Poisson test at the nominal tail probability, and the chance that an area
that truly matches the target gets flagged is at most 2.5% (0.1%) per side. Why not r_p - alpha for the upper limit
as well: it sits one event lower, so the observed count y = r_p is "above" even though P(X >= y) > q. For rare
offences in small buurten that is badly anti-conservative: with E = 0.02 a count of 0 would lie above the 95% line
and with E = 0.2 a single incident (P(X >= 1) = 18%) would be flagged as a significant excess.

Flags are computed from the two tail probabilities (one incomplete-gamma evaluation), which is equivalent to
comparing the count with the plotted limits (the tests check that on a grid) and cheap enough to flag a national
table of 15,000 areas in one call.

Caveats for the caller. The limits assume pure Poisson variation around a fixed target. Crime counts are often
overdispersed, so more areas than 5% will fall outside the 95% limits; Spiegelhalter (2005) discusses inflating
the limits in that case, which is not done here: treat flags as "look at this", not as verdicts. If the target is the
base-team rate and the area is part of the base team, the area pulls the target towards itself, which makes flags
slightly conservative.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ivp.stats.discrete import poisson_cdf, poisson_pmf, poisson_quantile, poisson_tails
from ivp.stats.validation import check_count, check_non_negative, check_positive

TAIL_95 = 0.025
TAIL_998 = 0.001


class FunnelCode(StrEnum):
    ABOVE_998 = "above_998"
    ABOVE_95 = "above_95"
    WITHIN = "within"
    BELOW_95 = "below_95"
    BELOW_998 = "below_998"


@dataclass(frozen=True)
class FunnelPoint:
    """Control limits, as rates per ``per``, for an area of the given population."""

    population: float
    expected: float  # expected count at the target rate
    lower_998: float
    lower_95: float
    upper_95: float
    upper_998: float


@dataclass(frozen=True)
class FunnelFlag:
    """Where an area's count lies relative to the funnel around ``target_rate``."""

    code: FunnelCode
    count: int
    population: float
    expected: float
    rate: float  # per ``per``, like target_rate
    target_rate: float
    per: float
    p_at_most: float  # P(X <= count) if the area matched the target: small means "low"
    p_at_least: float  # P(X >= count): small means "high"


def lower_count_limit(expected: float, tail: float) -> float:
    """Interpolated lower control limit (as a count) with lower-tail probability ``tail``, e.g. 0.025."""
    r = poisson_quantile(tail, expected)
    pmf = poisson_pmf(r, expected)
    alpha = (poisson_cdf(r, expected) - tail) / pmf
    return max(0.0, r - alpha)


def upper_count_limit(expected: float, tail: float) -> float:
    """Interpolated upper control limit (as a count) with upper-tail probability ``tail``, e.g. 0.025."""
    s = poisson_quantile(1.0 - tail, expected)  # a start close to the answer; then fix it with the upper tail
    at_least = poisson_tails(s, expected)[1]
    while at_least < tail:  # walk down until P(X >= s) >= tail
        s -= 1
        at_least += poisson_pmf(s, expected)
    while True:  # walk up while P(X >= s + 1) is still >= tail
        nxt = at_least - poisson_pmf(s, expected)
        if nxt < tail:
            break
        s, at_least = s + 1, nxt
    return s + (at_least - tail) / poisson_pmf(s, expected)


def expected_count(target_rate: float, population: float, per: float = 1000) -> float:
    """Expected count for an area of ``population`` at ``target_rate`` per ``per``."""
    target_rate = check_non_negative("target_rate", target_rate)
    return target_rate * check_positive("population", population) / check_positive("per", per)


def funnel_limits(target_rate: float, populations: Sequence[float], per: float = 1000) -> list[FunnelPoint]:
    """95% and 99.8% control limits, as rates per ``per``, for each population (e.g. a grid for drawing)."""
    points = []
    for population in populations:
        e = expected_count(target_rate, population, per)
        scale = per / population
        points.append(FunnelPoint(
            population=float(population), expected=e,
            lower_998=lower_count_limit(e, TAIL_998) * scale, lower_95=lower_count_limit(e, TAIL_95) * scale,
            upper_95=upper_count_limit(e, TAIL_95) * scale, upper_998=upper_count_limit(e, TAIL_998) * scale,
        ))
    return points


def flag(count: int, population: float, target_rate: float, per: float = 1000) -> FunnelFlag:
    """Classify an area's count against the funnel around ``target_rate`` (see module docstring)."""
    count = check_count("count", count)
    e = expected_count(target_rate, population, per)
    at_most, at_least = poisson_tails(count, e)
    if at_least < TAIL_998:
        code = FunnelCode.ABOVE_998
    elif at_least < TAIL_95:
        code = FunnelCode.ABOVE_95
    elif at_most < TAIL_998:
        code = FunnelCode.BELOW_998
    elif at_most < TAIL_95:
        code = FunnelCode.BELOW_95
    else:
        code = FunnelCode.WITHIN
    return FunnelFlag(code=code, count=count, population=float(population), expected=e,
                      rate=count * per / population, target_rate=float(target_rate), per=float(per),
                      p_at_most=at_most, p_at_least=at_least)


def flags(counts: Sequence[int], populations: Sequence[float], target_rate: float,
          per: float = 1000) -> list[FunnelFlag]:
    """``flag`` for many areas against one target; the lists must be equally long."""
    if len(counts) != len(populations):
        raise ValueError(f"counts and populations differ in length ({len(counts)} vs {len(populations)})")
    return [flag(c, n, target_rate, per) for c, n in zip(counts, populations, strict=True)]


__all__ = [
    "TAIL_95",
    "TAIL_998",
    "FunnelCode",
    "FunnelFlag",
    "FunnelPoint",
    "expected_count",
    "flag",
    "flags",
    "funnel_limits",
    "lower_count_limit",
    "upper_count_limit",
]
