"""Did the rate change between two periods? The exact conditional (binomial) test for two Poisson counts.

Setting: count_a events over exposure_a in the earlier (baseline) period, count_b over exposure_b in the later one;
exposure is population, or population x years when the periods differ in length.

Method. If both counts are Poisson with rates lambda_a and lambda_b, then given their total n = count_a + count_b,
count_b ~ Binomial(n, pi) with pi = exposure_b * lambda_b / (exposure_a * lambda_a + exposure_b * lambda_b).
Under "no change" (lambda_a = lambda_b) pi = p0 = exposure_b / (exposure_a + exposure_b). Conditioning removes the
unknown common rate, so the test is exact for any count, however small (the usual z-test on two rates is not).

* p-value: exact two-sided binomial test of pi = p0, "minlike" definition: the probability of all outcomes that are
  at most as likely as the one observed (as R's binom.test and scipy.stats.binomtest). See
  :func:`ivp.stats.discrete.binomtest_pvalue`.
* Rate ratio b / a = (count_b / exposure_b) / (count_a / exposure_a). Its exact interval maps the Clopper-Pearson
  interval (pi_L, pi_U) for pi through ratio = pi / (1 - pi) * exposure_a / exposure_b.
* Verdict: ``insufficient_data`` when n = 0 (no events in either period: nothing to test), else significant in the
  observed direction when p < 1 - level, else ``within_normal_variation``.

Caveat for callers: Clopper-Pearson inverts the *central* (doubled one-sided) test, the p-value is the minlike one.
They agree almost always, but near the threshold the interval can just include 1 while p < 1 - level (or vice
versa), because the minlike test is slightly more powerful. The verdict follows the p-value, as specified.

Infinite values: with count_a = 0 < count_b the ratio and the relative change are ``math.inf`` (the upper bound
too); the lower bound is finite and meaningful. With n = 0 every estimate is ``None``.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

from ivp.stats.discrete import binomtest_pvalue
from ivp.stats.special import beta_isf, beta_ppf
from ivp.stats.validation import check_count, check_level, check_positive
from ivp.stats.verdict import Verdict, verdict_for


@dataclass(frozen=True)
class Change:
    """Comparison of a later period (b) with a baseline period (a)."""

    count_a: int
    exposure_a: float
    count_b: int
    exposure_b: float
    level: float
    expected_share_b: float  # p0: the share of all events expected in period b if nothing changed
    rate_ratio: float | None  # rate b / rate a
    ratio_lower: float | None
    ratio_upper: float | None
    change_pct: float | None  # 100 * (rate_ratio - 1): "+25%" means the rate rose by a quarter
    change_lower_pct: float | None
    change_upper_pct: float | None
    p_value: float | None
    verdict: Verdict


def _odds(numerator: float, complement: float) -> float:
    return math.inf if complement == 0.0 else numerator / complement


# Pure functions of small integers: a table of all buurten repeats the same (k, n) pairs many times (nationally
# ~4,600 distinct pairs among ~13,600 buurten), and the interval is the costly part of a comparison.
@lru_cache(maxsize=65_536)
def _clopper_pearson_odds(k: int, n: int, level: float) -> tuple[float, float]:
    """Odds pi / (1 - pi) at the Clopper-Pearson bounds for k successes in n trials.

    The bounds are Beta quantiles: pi_L = Beta(k, n - k + 1).ppf(tail), pi_U = Beta(k + 1, n - k).isf(tail). To keep
    1 - pi precise when pi is close to 1, the bound and its complement (a quantile of the mirrored Beta) are taken
    from whichever side is the smaller number.
    """
    tail = (1.0 - level) / 2.0
    if k == 0:
        lower = 0.0
    elif 2 * k <= n:
        pl = beta_ppf(tail, k, n - k + 1)
        lower = _odds(pl, 1.0 - pl)
    else:
        cl = beta_isf(tail, n - k + 1, k)  # 1 - pi_L
        lower = _odds(1.0 - cl, cl)
    if k == n:
        upper = math.inf
    elif 2 * k < n:
        pu = beta_isf(tail, k + 1, n - k)
        upper = _odds(pu, 1.0 - pu)
    else:
        cu = beta_ppf(tail, n - k, k + 1)  # 1 - pi_U
        upper = _odds(1.0 - cu, cu)
    return lower, upper


_pvalue = lru_cache(maxsize=65_536)(binomtest_pvalue)


def _pct(ratio: float) -> float:
    return 100.0 * (ratio - 1.0)


def compare_periods(count_a: int, exposure_a: float, count_b: int, exposure_b: float, level: float = 0.95) -> Change:
    """Exact test for a change in rate from period a (baseline) to period b (later)."""
    count_a = check_count("count_a", count_a)
    count_b = check_count("count_b", count_b)
    exposure_a = check_positive("exposure_a", exposure_a)
    exposure_b = check_positive("exposure_b", exposure_b)
    level = check_level(level)
    p0 = exposure_b / (exposure_a + exposure_b)
    n = count_a + count_b
    if n == 0:
        return Change(count_a, exposure_a, count_b, exposure_b, level, p0, None, None, None, None, None, None, None,
                      Verdict.INSUFFICIENT_DATA)
    scale = exposure_a / exposure_b
    ratio = math.inf if count_a == 0 else (count_b / count_a) * scale
    odds_lower, odds_upper = _clopper_pearson_odds(count_b, n, level)
    lower, upper = odds_lower * scale, odds_upper * scale
    p_value = _pvalue(count_b, n, p0)
    verdict = verdict_for(p_value, increase=count_b > n * p0, level=level)
    return Change(count_a, exposure_a, count_b, exposure_b, level, p0, ratio, lower, upper, _pct(ratio), _pct(lower),
                  _pct(upper), p_value, verdict)
