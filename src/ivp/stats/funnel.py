"""Funnel plots: is an area's rate out of line with a target rate (e.g. the base-team rate), given its size?

Set-up (Spiegelhalter DJ 2005, "Funnel plots for comparing institutional performance", Stat Med 24:1185-1202). An
area with population n has expected count E = target_rate * n / per if it behaves like the target. Limits: 95%
(tail probabilities 0.025 / 0.975, "2 sigma") and 99.8% (0.001 / 0.999, "3 sigma"), plotted as rates against n.

Two methods (``FunnelMethod``):

1. ``poisson_exact``: pure Poisson variation around the target. The count is compared with the Poisson(E)
   distribution. A Poisson quantile is a step function of E, which draws as a staircase; Spiegelhalter's (2005)
   appendix interpolates: with r_p the smallest r such that P(X <= r) >= p and
   alpha = (P(X <= r_p) - p) / (P(X <= r_p) - P(X <= r_p - 1)), the limit r_p - alpha is continuous in E.

   * Lower limits use exactly that: lower(p) = max(0, r_p - alpha). A count y lies below it iff P(X <= y) < p.
   * Upper limits use the same construction mirrored onto the upper tail: with s the largest r such that
     P(X >= r) >= q (q = 1 - p) and beta = (P(X >= s) - q) / P(X = s), upper(q) = s + beta (= r_p + 1 - alpha).
     A count y lies above it iff P(X >= y) < q.

   So a flag is an exact one-sided Poisson test at the nominal tail probability: an area that truly matches the
   target is flagged with probability at most 2.5% (0.1%) per side. (Using r_p - alpha for the upper limit too
   would put it one event lower, so that with E = 0.2 a single incident, P(X >= 1) = 18%, would be "above".)

2. ``random_effects_sqrt``: overdispersion (Spiegelhalter DJ 2005, "Handling over-dispersion of performance
   indicators", Qual Saf Health Care 14:347-351; Spiegelhalter DJ, Sherlaw-Johnson C, Bardsley M, Blunt I, Wood C,
   Grigg O 2012, "Statistical methods for healthcare regulation: rating, screening and surveillance", JRSS A
   175:1-47). Crime counts of areas vary far more than Poisson around a common rate (in the Meierij 59% of the
   buurten fell outside the 95% Poisson limits; issue 12): areas really differ, for reasons no funnel can see.
   Then "outside the Poisson funnel" mostly says "a big area", and the flags stop meaning anything. The method:

   * standardised ratio Y_i = O_i / E_i on the square-root scale, where its variance is stable:
     z_i = (sqrt(Y_i) - 1) / s_i = 2 (sqrt(O_i) - sqrt(E_i)) with s_i = 1 / (2 sqrt(E_i));
   * the z-scores are Winsorised at the 10th and 90th percentiles (R's default quantile, type 7), so that the
     outlying areas the funnel is to find do not inflate the estimate of the background variation;
     phi = mean of the squared Winsorised z-scores (areas with E > 0);
   * additive random effects (DerSimonian & Laird 1986 style moment estimator), w_i = 1 / s_i^2:
     tau^2 = max(0, (I phi - (I - 1)) / (sum w - sum w^2 / sum w));
   * limits on the ratio scale (max(0, 1 - z_p sqrt(s_i^2 + tau^2)))^2 and (1 + z_p sqrt(s_i^2 + tau^2))^2 (times the
     target rate as rates), z_p the normal quantile; an area is flagged on its overdispersed z-score
     (sqrt(Y_i) - 1) / sqrt(s_i^2 + tau^2), which is the same as comparing it with those limits.

   Calibration (measured in tests/stats/test_funnel.py): Winsorising shrinks phi when the z-scores have no heavy
   tails (a Winsorised normal keeps ~0.68 of its second moment, less when the areas differ much in size), so on
   negative-binomial data without outliers tau^2 comes out at ~55% of the true value and ~12% of the areas fall
   outside the 95% limits instead of 5% (``winsor=0`` gives 5%). That is Spiegelhalter's trade-off: real data have
   hot spots, which without Winsorising inflate tau^2 and hide themselves (in the Meierij phi is ~87 raw and ~14
   Winsorised). Flags are therefore "look at this", not verdicts.

   When tau^2 = 0 (no overdispersion beyond Poisson) the exact Poisson method is used. The estimate needs enough
   areas: ``Overdispersion.reliable`` is False below ``MIN_AREAS_FOR_DISPERSION`` (10) areas, and callers then
   show no flags at all (neither method is trustworthy: Poisson ignores the overdispersion that is very likely
   there, and tau^2 from a handful of areas is noise).

Under random effects the flag's ``p_at_most`` / ``p_at_least`` are the normal tail probabilities of the
overdispersed z-score (``z``); under the Poisson method they are the exact Poisson tails and ``z`` is None.

Caveat for the caller: if the target is the base-team rate and the area is part of the base team, the area pulls
the target towards itself, which makes flags slightly conservative. Treat flags as "look at this", not verdicts.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy import special as _sp
from scipy import stats as _st

from ivp.stats.discrete import poisson_tail_arrays
from ivp.stats.validation import (
    check_count,
    check_counts,
    check_non_negative,
    check_non_negatives,
    check_positive,
    check_positives,
    check_same_length,
)

TAIL_95 = 0.025
TAIL_998 = 0.001
MIN_AREAS_FOR_DISPERSION = 10
DEFAULT_WINSOR = 0.1


class FunnelCode(StrEnum):
    ABOVE_998 = "above_998"
    ABOVE_95 = "above_95"
    WITHIN = "within"
    BELOW_95 = "below_95"
    BELOW_998 = "below_998"


class FunnelMethod(StrEnum):
    POISSON = "poisson_exact"
    RANDOM_EFFECTS = "random_effects_sqrt"


@dataclass(frozen=True)
class Overdispersion:
    """Overdispersion of a set of areas around a target (see module docstring); pass it to ``flags`` / limits."""

    method: FunnelMethod  # RANDOM_EFFECTS when tau2 > 0, else POISSON
    phi: float  # mean squared Winsorised z-score; ~1 under pure Poisson variation (nan without areas)
    tau2: float  # between-area variance on the square-root ratio scale; 0 = none beyond Poisson
    n_areas: int  # areas with an expected count > 0 that went into the estimate
    winsor: float  # the Winsorising fraction per side (0.1: at the 10th and 90th percentiles)
    reliable: bool  # False when n_areas < MIN_AREAS_FOR_DISPERSION: callers then give no flags


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
    z: float | None = None  # overdispersed z-score on the square-root scale (random effects only)
    method: FunnelMethod = FunnelMethod.POISSON


# --- Poisson limits -----------------------------------------------------------------------------------------------


def lower_count_limits(expected: np.ndarray, tail: float) -> np.ndarray:
    """Interpolated lower control limits (as counts) with lower-tail probability ``tail``, elementwise."""
    expected = np.asarray(expected, dtype=float)
    r = _st.poisson.ppf(tail, expected)
    alpha = (_sp.pdtr(r, expected) - tail) / _st.poisson.pmf(r, expected)
    return np.maximum(0.0, r - alpha)


def upper_count_limits(expected: np.ndarray, tail: float) -> np.ndarray:
    """Interpolated upper control limits (as counts) with upper-tail probability ``tail``, elementwise."""
    expected = np.asarray(expected, dtype=float)
    s = _st.poisson.ppf(1.0 - tail, expected).astype(np.int64)  # a start at or next to the answer

    def at_least(r: np.ndarray) -> np.ndarray:
        return poisson_tail_arrays(np.maximum(r, 0), expected)[1]

    # Fix the start with the upper tail itself (1 - tail loses digits): the largest s with P(X >= s) >= tail.
    for _ in range(64):
        low = at_least(s) < tail
        if not low.any():
            break
        s = np.where(low, s - 1, s)
    for _ in range(64):
        high = at_least(s + 1) >= tail
        if not high.any():
            break
        s = np.where(high, s + 1, s)
    return s + (at_least(s) - tail) / _st.poisson.pmf(s, expected)


def lower_count_limit(expected: float, tail: float) -> float:
    """Interpolated lower control limit (as a count) with lower-tail probability ``tail``, e.g. 0.025."""
    return float(lower_count_limits(np.array([check_non_negative("expected", expected)]), tail)[0])


def upper_count_limit(expected: float, tail: float) -> float:
    """Interpolated upper control limit (as a count) with upper-tail probability ``tail``, e.g. 0.025."""
    return float(upper_count_limits(np.array([check_non_negative("expected", expected)]), tail)[0])


def expected_count(target_rate: float, population: float, per: float = 1000) -> float:
    """Expected count for an area of ``population`` at ``target_rate`` per ``per``."""
    target_rate = check_non_negative("target_rate", target_rate)
    return target_rate * check_positive("population", population) / check_positive("per", per)


# --- overdispersion -----------------------------------------------------------------------------------------------


def _check_winsor(winsor: object) -> float:
    if isinstance(winsor, bool) or not isinstance(winsor, int | float) or not 0.0 <= winsor < 0.5:
        raise ValueError(f"winsor must be a fraction in [0, 0.5), e.g. 0.1, got {winsor!r}")
    return float(winsor)


def estimate_overdispersion(counts: Sequence[int], expected: Sequence[float], *,
                            winsor: float = DEFAULT_WINSOR) -> Overdispersion:
    """Spiegelhalter's (2005) Winsorised overdispersion and additive random-effects tau^2 (module docstring).

    ``expected`` are the areas' expected counts at the target (``expected_count``); areas with 0 expected are left
    out (no ratio). Usually every area of the comparison (e.g. all buurten of the base team), including the ones
    that will turn out to be flagged: the Winsorising is what keeps those from inflating the estimate.
    """
    observed = check_counts("count", counts)
    e = check_non_negatives("expected", expected)
    check_same_length("counts", observed, "expected", e)
    winsor = _check_winsor(winsor)
    used = e > 0.0
    o, e = observed[used], e[used]
    n_areas = int(used.sum())
    if n_areas == 0:
        return Overdispersion(FunnelMethod.POISSON, math.nan, 0.0, 0, winsor, False)
    z = 2.0 * (np.sqrt(o) - np.sqrt(e))
    low, high = np.quantile(z, [winsor, 1.0 - winsor])  # numpy's default "linear" = R's type 7
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    w = 4.0 * e  # 1 / s_i^2
    denominator = float(w.sum() - (w * w).sum() / w.sum())
    tau2 = max(0.0, (n_areas * phi - (n_areas - 1)) / denominator) if denominator > 0.0 else 0.0
    method = FunnelMethod.RANDOM_EFFECTS if tau2 > 0.0 else FunnelMethod.POISSON
    return Overdispersion(method, phi, tau2, n_areas, winsor, n_areas >= MIN_AREAS_FOR_DISPERSION)


def _random_effects(overdispersion: Overdispersion | None) -> float:
    """tau^2 to use, or 0.0 for the Poisson method."""
    if overdispersion is None or overdispersion.method != FunnelMethod.RANDOM_EFFECTS:
        return 0.0
    return overdispersion.tau2


# --- limits and flags ---------------------------------------------------------------------------------------------


def funnel_limits(target_rate: float, populations: Sequence[float], per: float = 1000, *,
                  overdispersion: Overdispersion | None = None) -> list[FunnelPoint]:
    """95% and 99.8% control limits, as rates per ``per``, for each population (e.g. a grid for drawing)."""
    target_rate = check_non_negative("target_rate", target_rate)
    pops = check_positives("population", populations)
    per = check_positive("per", per)
    e = target_rate * pops / per
    scale = per / pops
    tau2 = _random_effects(overdispersion)
    limits = {}
    for name, tail in (("lower_998", TAIL_998), ("lower_95", TAIL_95)):
        limits[name] = lower_count_limits(e, tail) * scale
    for name, tail in (("upper_95", TAIL_95), ("upper_998", TAIL_998)):
        limits[name] = upper_count_limits(e, tail) * scale
    if tau2 > 0.0:
        re = e > 0.0  # without an expected count there is no ratio: those keep the Poisson limits
        sd = np.sqrt(1.0 / (4.0 * e[re]) + tau2)
        for name, tail in (("lower_998", TAIL_998), ("lower_95", TAIL_95), ("upper_95", TAIL_95),
                           ("upper_998", TAIL_998)):
            z_p = float(_sp.ndtri(1.0 - tail))
            root = np.maximum(0.0, 1.0 - z_p * sd) if name.startswith("lower") else 1.0 + z_p * sd
            limits[name][re] = root**2 * target_rate
    return [FunnelPoint(population=n, expected=x, lower_998=l1, lower_95=l2, upper_95=u1, upper_998=u2)
            for n, x, l1, l2, u1, u2 in zip(pops.tolist(), e.tolist(), limits["lower_998"].tolist(),
                                            limits["lower_95"].tolist(), limits["upper_95"].tolist(),
                                            limits["upper_998"].tolist(), strict=True)]


_CODES = (FunnelCode.ABOVE_998, FunnelCode.ABOVE_95, FunnelCode.WITHIN, FunnelCode.BELOW_95, FunnelCode.BELOW_998)


def _codes(at_most: np.ndarray, at_least: np.ndarray) -> np.ndarray:
    """Index into _CODES; the high side is checked first (as the scalar rule always did)."""
    return np.select([at_least < TAIL_998, at_least < TAIL_95, at_most < TAIL_998, at_most < TAIL_95],
                     [0, 1, 4, 3], default=2)


def flags(counts: Sequence[int], populations: Sequence[float], target_rate: float, per: float = 1000, *,
          overdispersion: Overdispersion | None = None) -> list[FunnelFlag]:
    """Classify many areas against the funnel around ``target_rate`` in one vectorised pass.

    ``overdispersion`` None (or with tau^2 = 0): exact Poisson flags. Otherwise random-effects flags on the
    overdispersed z-score (module docstring); callers give no flags at all when ``overdispersion.reliable`` is False.
    """
    observed = check_counts("count", counts)
    pops = check_positives("population", populations)
    check_same_length("counts", observed, "populations", pops)
    target_rate = check_non_negative("target_rate", target_rate)
    per = check_positive("per", per)
    e = target_rate * pops / per
    at_most, at_least = poisson_tail_arrays(observed, e)
    z = np.full(len(e), np.nan)
    random = np.zeros(len(e), dtype=bool)
    tau2 = _random_effects(overdispersion)
    if tau2 > 0.0:
        random = e > 0.0  # without an expected count there is no ratio: those keep the exact Poisson flag
        er = e[random]
        z[random] = 2.0 * (np.sqrt(observed[random]) - np.sqrt(er)) / np.sqrt(1.0 + 4.0 * er * tau2)
        at_most[random], at_least[random] = _sp.ndtr(z[random]), _sp.ndtr(-z[random])
    codes = _codes(at_most, at_least)
    rates = observed * per / pops
    methods = (FunnelMethod.POISSON, FunnelMethod.RANDOM_EFFECTS)
    return [
        FunnelFlag(code=_CODES[c], count=k, population=n, expected=x, rate=r, target_rate=target_rate, per=per,
                   p_at_most=lo, p_at_least=hi, z=zz if re else None, method=methods[re])
        for c, k, n, x, r, lo, hi, zz, re in zip(
            codes.tolist(), observed.tolist(), pops.tolist(), e.tolist(), rates.tolist(), at_most.tolist(),
            at_least.tolist(), z.tolist(), random.tolist(), strict=True)
    ]


def flag(count: int, population: float, target_rate: float, per: float = 1000, *,
         overdispersion: Overdispersion | None = None) -> FunnelFlag:
    """Classify one area's count against the funnel around ``target_rate`` (see ``flags``)."""
    count = check_count("count", count)
    population = check_positive("population", population)
    check_non_negative("target_rate", target_rate)
    return flags([count], [population], target_rate, per, overdispersion=overdispersion)[0]


__all__ = [
    "DEFAULT_WINSOR",
    "MIN_AREAS_FOR_DISPERSION",
    "TAIL_95",
    "TAIL_998",
    "FunnelCode",
    "FunnelFlag",
    "FunnelMethod",
    "FunnelPoint",
    "Overdispersion",
    "estimate_overdispersion",
    "expected_count",
    "flag",
    "flags",
    "funnel_limits",
    "lower_count_limit",
    "lower_count_limits",
    "upper_count_limit",
    "upper_count_limits",
]
