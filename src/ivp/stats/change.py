"""Did the rate change between two periods? Exact conditional test, or quasi-Poisson when counts are overdispersed.

Setting: count_a events over exposure_a in the earlier (baseline) period, count_b over exposure_b in the later one;
exposure is population, or population x years when the periods differ in length.

Exact conditional test (``method="exact_conditional"``; dispersion <= 1, counts not rounded). If both counts are
Poisson with rates lambda_a and lambda_b, then given their total n = count_a + count_b, count_b ~ Binomial(n, pi)
with pi = exposure_b * lambda_b / (exposure_a * lambda_a + exposure_b * lambda_b). Under "no change" pi = p0 =
exposure_b / (exposure_a + exposure_b). Conditioning removes the unknown common rate, so the test is exact for any
count, however small (Przyborowski & Wilenski 1940, Biometrika 31:313-323; Breslow & Day 1987, "Statistical Methods
in Cancer Research II", sec. 2.4).

* p-value: exact two-sided binomial test of pi = p0, "minlike" definition (as R's binom.test and
  scipy.stats.binomtest; :func:`ivp.stats.discrete.binomtest_pvalues`).
* Rate ratio b / a = (count_b / exposure_b) / (count_a / exposure_a). Its interval maps the Clopper-Pearson
  interval (pi_L, pi_U) for pi through ratio = pi / (1 - pi) * exposure_a / exposure_b.
* Caveat: Clopper-Pearson inverts the *central* (doubled one-sided) test, the p-value is the minlike one. Near the
  threshold the interval can just include 1 while p < 1 - level (or vice versa). The verdict follows the p-value.

The exact test assumes Poisson variation only. Year-to-year crime counts of the same area usually vary more than
that (overdispersion: clustered incidents, registration practice), so on real series it calls far too many changes
significant (issue 12). Hence:

Quasi-Poisson Wald test (``method="quasi_poisson"``; ``dispersion`` > 1). var(count) = phi * mean (McCullagh &
Nelder 1989, "Generalized Linear Models", sec. 9.2), so the log rate ratio has

    log RR = log(count_b / exposure_b) - log(count_a / exposure_a),   se = sqrt(phi * (1 / count_a + 1 / count_b)),

with 0.5 added to both counts when either is 0 (Haldane's correction, so that the statistic and the interval stay
finite). p = 2 * P(T > |log RR| / se) with T ~ t(dispersion_df) when phi was estimated on that many degrees of
freedom (normal when ``dispersion_df`` is None), and the interval is exp(log RR +/- t_q * se). phi comes from
``between_year_dispersion``: the pooled Pearson chi-square of many series (e.g. all buurten of a municipality)
around their own log-linear Poisson trend, over the pooled residual degrees of freedom (the quasi-likelihood
moment estimator, pooled; McCullagh & Nelder 1989, sec. 9.2.4). Pooling is what makes phi usable: one area's few
years give phi on one or two degrees of freedom.

Rounded counts (``rounding=r``, ``method="rounded_conservative"``). When the source rounded counts to multiples of r
(e.g. CBS 83648NED: 5), the true counts lie within +/- r//2 of the published ones (and are >= 0). The test is then
run for every combination of true counts consistent with the rounded ones; the reported p-value is the LARGEST of
them and the interval the union of theirs, so the verdict holds whatever the true counts were. This is
conservative, never exact. Combinations with no events at all count as p = 1 with the interval (0, inf).

Verdict: ``insufficient_data`` when n = 0 (no events in either period: nothing to test), else significant in the
observed direction when p < 1 - level, else ``within_normal_variation``. Infinite values: with count_a = 0 < count_b
the ratio and the relative change are ``math.inf``; with n = 0 every estimate is ``None``.

``compare_many`` runs either test on arrays (the exact one once per distinct (count_b, n, p0): a national table of
buurten repeats the same pairs many times).
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import numpy as np
from scipy import special as _sp

from ivp.stats.discrete import binomtest_pvalues
from ivp.stats.poisson import check_rounding
from ivp.stats.trend import check_points, fit_loglinear, insufficiency
from ivp.stats.validation import (
    check_count,
    check_counts,
    check_level,
    check_positive,
    check_positives,
    check_same_length,
)
from ivp.stats.verdict import Verdict, verdict_for


class ChangeMethod(StrEnum):
    EXACT_CONDITIONAL = "exact_conditional"
    QUASI_POISSON = "quasi_poisson"
    ROUNDED_CONSERVATIVE = "rounded_conservative"


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
    method: str = ChangeMethod.EXACT_CONDITIONAL  # a ChangeMethod (a str): which test produced p_value
    dispersion: float = 1.0  # the dispersion passed in; <= 1 means the Poisson (exact) test was used, not narrowed


def _check_dispersion(dispersion: object, dispersion_df: object) -> tuple[float, float | None]:
    dispersion = check_positive("dispersion", dispersion)
    if dispersion_df is not None:
        dispersion_df = check_positive("dispersion_df", dispersion_df)
    return dispersion, dispersion_df


def _odds(numerator: np.ndarray, complement: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.where(complement == 0.0, np.inf, numerator / np.where(complement == 0.0, 1.0, complement))


def clopper_pearson_odds(k: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Odds pi / (1 - pi) at the Clopper-Pearson bounds for k successes in n >= 1 trials (int arrays).

    pi_L = Beta(k, n - k + 1).ppf(tail), pi_U = Beta(k + 1, n - k).isf(tail) (scipy.special.betaincinv /
    betainccinv). To keep 1 - pi precise when pi is close to 1, the bound and its complement (a quantile of the
    mirrored Beta) are taken from whichever side is the smaller number; each element costs one inverse per bound.
    """
    tail = (1.0 - level) / 2.0
    kf, mf = k.astype(float), (n - k).astype(float)
    lower, upper = np.zeros(k.shape), np.full(k.shape, np.inf)
    small = (k > 0) & (2 * k <= n)  # pi_L <= 1/2: pi_L itself is the smaller number
    pl = _sp.betaincinv(kf[small], mf[small] + 1.0, tail)
    lower[small] = _odds(pl, 1.0 - pl)
    large = (k > 0) & (2 * k > n)  # pi_L > 1/2: take 1 - pi_L from the mirrored Beta
    cl = _sp.betainccinv(mf[large] + 1.0, kf[large], tail)
    lower[large] = _odds(1.0 - cl, cl)
    small = (k < n) & (2 * k < n)  # the same for pi_U; k = n has pi_U = 1, odds infinite
    pu = _sp.betainccinv(kf[small] + 1.0, mf[small], tail)
    upper[small] = _odds(pu, 1.0 - pu)
    large = (k < n) & (2 * k >= n)
    cu = _sp.betaincinv(mf[large], kf[large] + 1.0, tail)
    upper[large] = _odds(1.0 - cu, cu)
    return lower, upper


def _unique_rows(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct rows of equally long columns and, per input row, the index of its distinct row (as
    np.unique(axis=0, return_inverse=True), by one lexsort instead of a sort of row views)."""
    order = np.lexsort(columns[::-1])
    ordered = [c[order] for c in columns]
    new = np.ones(len(order), dtype=bool)
    if len(order) > 1:
        new[1:] = np.any([c[1:] != c[:-1] for c in ordered], axis=0)
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return [c[new] for c in ordered], inverse


def _exact_arrays(a: np.ndarray, ea: np.ndarray, b: np.ndarray, eb: np.ndarray,
                  level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(p-value, ratio lower, ratio upper) of the exact conditional test; n = a + b >= 1 everywhere."""
    n = a + b
    p0 = eb / (ea + eb)
    (uk, un, up0), inverse = _unique_rows(b, n, p0)
    p_value = binomtest_pvalues(uk, un, up0)[inverse]
    odds_lower, odds_upper = clopper_pearson_odds(uk, un, level)
    scale = ea / eb
    return p_value, odds_lower[inverse] * scale, odds_upper[inverse] * scale


def _quasi_arrays(a: np.ndarray, ea: np.ndarray, b: np.ndarray, eb: np.ndarray, level: float, dispersion: float,
                  dispersion_df: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(p-value, ratio lower, ratio upper) of the quasi-Poisson Wald test; n = a + b >= 1 everywhere."""
    correction = np.where((a == 0) | (b == 0), 0.5, 0.0)
    ca, cb = a + correction, b + correction
    log_ratio = np.log(cb / eb) - np.log(ca / ea)
    se = np.sqrt(dispersion * (1.0 / ca + 1.0 / cb))
    statistic = np.abs(log_ratio) / se
    tail = (1.0 - level) / 2.0
    if dispersion_df is None:
        p_value = 2.0 * _sp.ndtr(-statistic)
        quantile = float(_sp.ndtri(1.0 - tail))
    else:
        p_value = 2.0 * _sp.stdtr(dispersion_df, -statistic)
        quantile = float(_sp.stdtrit(dispersion_df, 1.0 - tail))
    with np.errstate(over="ignore"):
        return np.minimum(1.0, p_value), np.exp(log_ratio - quantile * se), np.exp(log_ratio + quantile * se)


def _test_arrays(a, ea, b, eb, level, dispersion, dispersion_df):
    if dispersion <= 1.0:
        return _exact_arrays(a, ea, b, eb, level)
    return _quasi_arrays(a, ea, b, eb, level, dispersion, dispersion_df)


def _pct(ratio: float) -> float:
    return 100.0 * (ratio - 1.0)


def _raw_ratio(count_a: int, exposure_a: float, count_b: int, exposure_b: float) -> float:
    return math.inf if count_a == 0 else (count_b / count_a) * (exposure_a / exposure_b)


@lru_cache(maxsize=65_536)
def _single(count_a: int, exposure_a: float, count_b: int, exposure_b: float, level: float, dispersion: float,
            dispersion_df: float | None) -> tuple[float, float, float]:
    # A page of series repeats the same comparisons (and the exact test costs a search per call): memoised.
    p, lower, upper = _test_arrays(np.array([count_a]), np.array([exposure_a]), np.array([count_b]),
                                   np.array([exposure_b]), level, dispersion, dispersion_df)
    return float(p[0]), float(lower[0]), float(upper[0])


def _rounded(count_a: int, exposure_a: float, count_b: int, exposure_b: float, level: float, dispersion: float,
             dispersion_df: float | None, rounding: int) -> tuple[float, float, float]:
    """Largest p-value and union of intervals over the true counts consistent with the rounded ones."""
    half = rounding // 2
    a_values = np.arange(max(0, count_a - half), count_a + half + 1)
    b_values = np.arange(max(0, count_b - half), count_b + half + 1)
    a, b = (grid.ravel() for grid in np.meshgrid(a_values, b_values))
    tested = (a + b) > 0
    if not tested.all():  # a combination without events is compatible with anything
        return 1.0, 0.0, math.inf
    ea, eb = np.full(a.shape, exposure_a), np.full(a.shape, exposure_b)
    p, lower, upper = _test_arrays(a, ea, b, eb, level, dispersion, dispersion_df)
    return float(p.max()), float(lower.min()), float(upper.max())


def compare_periods(count_a: int, exposure_a: float, count_b: int, exposure_b: float, level: float = 0.95, *,
                    dispersion: float = 1.0, dispersion_df: float | None = None, rounding: int = 0) -> Change:
    """Test for a change in rate from period a (baseline) to period b (later); see the module docstring."""
    count_a = check_count("count_a", count_a)
    count_b = check_count("count_b", count_b)
    exposure_a = check_positive("exposure_a", exposure_a)
    exposure_b = check_positive("exposure_b", exposure_b)
    level = check_level(level)
    dispersion, dispersion_df = _check_dispersion(dispersion, dispersion_df)
    rounding = check_rounding(rounding)
    if rounding > 1:
        method = ChangeMethod.ROUNDED_CONSERVATIVE
    elif dispersion > 1.0:
        method = ChangeMethod.QUASI_POISSON
    else:
        method = ChangeMethod.EXACT_CONDITIONAL
    p0 = exposure_b / (exposure_a + exposure_b)
    n = count_a + count_b
    if n == 0:
        return Change(count_a, exposure_a, count_b, exposure_b, level, p0, None, None, None, None, None, None, None,
                      Verdict.INSUFFICIENT_DATA, method, dispersion)
    if method == ChangeMethod.ROUNDED_CONSERVATIVE:
        p_value, lower, upper = _rounded(count_a, exposure_a, count_b, exposure_b, level, dispersion, dispersion_df,
                                         rounding)
    else:
        p_value, lower, upper = _single(count_a, exposure_a, count_b, exposure_b, level, dispersion, dispersion_df)
    ratio = _raw_ratio(count_a, exposure_a, count_b, exposure_b)
    verdict = verdict_for(p_value, increase=count_b > n * p0, level=level)
    return Change(count_a, exposure_a, count_b, exposure_b, level, p0, ratio, lower, upper, _pct(ratio), _pct(lower),
                  _pct(upper), p_value, verdict, method, dispersion)


def compare_many(counts_a: Sequence[int], exposures_a: Sequence[float], counts_b: Sequence[int],
                 exposures_b: Sequence[float], level: float = 0.95, *, dispersion: float = 1.0,
                 dispersion_df: float | None = None) -> list[Change]:
    """``compare_periods`` for many areas at once (same level and dispersion), vectorised; equal-length inputs."""
    a = check_counts("count_a", counts_a)
    ea = check_positives("exposure_a", exposures_a)
    b = check_counts("count_b", counts_b)
    eb = check_positives("exposure_b", exposures_b)
    check_same_length("counts_a", a, "exposures_a", ea)
    check_same_length("counts_a", a, "counts_b", b)
    check_same_length("counts_a", a, "exposures_b", eb)
    level = check_level(level)
    dispersion, dispersion_df = _check_dispersion(dispersion, dispersion_df)
    method = ChangeMethod.QUASI_POISSON if dispersion > 1.0 else ChangeMethod.EXACT_CONDITIONAL
    n = a + b
    p0 = eb / (ea + eb)
    tested = n > 0
    size = len(a)
    p_value, lower, upper = np.full(size, np.nan), np.full(size, np.nan), np.full(size, np.nan)
    if tested.any():
        p_value[tested], lower[tested], upper[tested] = _test_arrays(a[tested], ea[tested], b[tested], eb[tested],
                                                                     level, dispersion, dispersion_df)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(a == 0, np.inf, (b / np.where(a == 0, 1, a)) * (ea / eb))
    threshold = round(1.0 - level, 12)  # as verdict_for
    significant = p_value < threshold
    verdict_index = np.where(~tested, 3, np.where(significant, np.where(b > n * p0, 2, 0), 1))
    verdicts = (Verdict.SIGNIFICANT_DECREASE, Verdict.WITHIN_NORMAL_VARIATION, Verdict.SIGNIFICANT_INCREASE,
                Verdict.INSUFFICIENT_DATA)
    changes = []
    for ca, xa, cb, xb, share, r, lo, up, p, v, ok in zip(
            a.tolist(), ea.tolist(), b.tolist(), eb.tolist(), p0.tolist(), ratio.tolist(), lower.tolist(),
            upper.tolist(), p_value.tolist(), verdict_index.tolist(), tested.tolist(), strict=True):
        if ok:
            changes.append(Change(ca, xa, cb, xb, level, share, r, lo, up, 100.0 * (r - 1.0), 100.0 * (lo - 1.0),
                                  100.0 * (up - 1.0), p, verdicts[v], method, dispersion))
        else:
            changes.append(Change(ca, xa, cb, xb, level, share, None, None, None, None, None, None, None,
                                  Verdict.INSUFFICIENT_DATA, method, dispersion))
    return changes


def between_year_dispersion(series: Iterable[Sequence[tuple[float, int, float]]]) -> tuple[float, int]:
    """Pooled quasi-Poisson dispersion of many series of (t, count, exposure): (phi, df).

    Each series with at least 3 points, events, and a finite maximum-likelihood slope gets its own log-linear
    Poisson fit (see :mod:`ivp.stats.trend`); phi = sum of their Pearson chi-squares / sum of (n_i - 2). Series
    without a finite slope (e.g. all events in the last year) are left out: their fit reproduces the counts exactly
    in the limit and would only add degrees of freedom without residual. Returns (1.0, 0) when nothing can be
    pooled. Pass phi and df to ``compare_periods`` / ``compare_many`` as ``dispersion`` and ``dispersion_df``.
    """
    usable = []
    for i, points in enumerate(series):
        try:
            data = check_points(points)
        except ValueError as error:
            raise ValueError(f"series {i}: {error}") from None
        if not insufficiency(data, 3):
            usable.append(data)
    if not usable:
        return 1.0, 0
    width = max(len(data) for data in usable)
    t = np.zeros((len(usable), width))
    y = np.zeros((len(usable), width))
    exposure = np.ones((len(usable), width))
    mask = np.zeros((len(usable), width), dtype=bool)
    for row, data in enumerate(usable):
        values = np.array(data, dtype=float)
        t[row, :len(data)], y[row, :len(data)], exposure[row, :len(data)] = values.T
        mask[row, :len(data)] = True
    fit = fit_loglinear(t, y, exposure, mask)
    df = int(mask.sum()) - 2 * len(usable)
    return float(fit["chi2"].sum()) / df, df


__all__ = [
    "Change",
    "ChangeMethod",
    "between_year_dispersion",
    "clopper_pearson_odds",
    "compare_many",
    "compare_periods",
]
