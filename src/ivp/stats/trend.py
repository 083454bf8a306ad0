"""Trend in a series of counts: log-linear Poisson regression, with a quasi-Poisson widening for overdispersion.

Model: count_i ~ Poisson(mu_i), mu_i = exposure_i * exp(a + b * t_i). ``exp(b) - 1`` is the relative change of the
rate per unit of t (per year for yearly points, per month for t in months). The exposure enters as an offset, so a
growing population does not show up as a rising crime rate.

Fit: Newton-Raphson (for the canonical log link identical to IRLS / Fisher scoring) on the Poisson log-likelihood,
with t centred for conditioning, an explicit 2x2 solve and step halving, so every step increases the likelihood.

Uncertainty. The Poisson model says var(count) = mean. Crime counts are usually *more* variable than that
(overdispersed): incidents cluster (one active offender or group, a series of burglaries, a festival weekend),
registration and police priorities vary from year to year. Ignoring that makes intervals too narrow and "significant
trends" too frequent. We therefore estimate the dispersion phi = Pearson chi2 / (n - 2) (quasi-Poisson) and multiply
the standard error of b by sqrt(max(1, phi)). We never *narrow* (phi < 1) because with a handful of points phi is
itself very uncertain, and underdispersion is rare in count data of this kind.

The p-value and interval are Wald (normal) ones on b with that widened standard error. Known limitation: with
estimated phi > 1 and few points a t(n - 2) reference would be more cautious still; we keep the normal reference so
the verdict does not jump when phi crosses 1, and report ``dispersion`` so callers can warn.

Verdict: ``insufficient_data`` when there are fewer than 3 points, no events at all, or the maximum-likelihood slope
does not exist: that happens exactly when the count-weighted mean of t lies at the smallest or largest t (e.g. all
events in the last year: the fitted slope runs off to +infinity). Otherwise significant in the direction of b when
p < 1 - level, else ``within_normal_variation``. Zero counts elsewhere in the series are fine.
"""

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ivp.stats.special import norm_ppf, norm_sf
from ivp.stats.validation import check_count, check_level, check_positive
from ivp.stats.verdict import Verdict, verdict_for

MIN_POINTS = 3
_MAX_ITER = 100


@dataclass(frozen=True)
class Trend:
    """Fitted trend; all estimates are ``None`` when the verdict is ``insufficient_data``."""

    n_points: int
    level: float
    verdict: Verdict
    intercept: float | None = None  # a: log of the rate per unit exposure at t = 0
    slope: float | None = None  # b: change in log rate per unit t
    se_slope: float | None = None  # Poisson (model-based) standard error of b
    dispersion: float | None = None  # phi = Pearson chi2 / (n - 2); > 1 means overdispersed
    se_slope_adjusted: float | None = None  # se_slope * sqrt(max(1, phi)): used for p-value and interval
    change_pct: float | None = None  # 100 * (exp(b) - 1): % change of the rate per unit t
    change_lower_pct: float | None = None
    change_upper_pct: float | None = None
    p_value: float | None = None
    iterations: int = 0


def _check_points(points: Iterable[Sequence[float]]) -> list[tuple[float, int, float]]:
    checked = []
    for i, point in enumerate(points):
        if len(point) != 3:
            raise ValueError(f"point {i} must be (t, count, exposure), got {point!r}")
        t, count, exposure = point
        if isinstance(t, bool) or not isinstance(t, numbers.Real) or not math.isfinite(t):
            raise ValueError(f"point {i}: t must be a finite number, got {t!r}")
        checked.append((float(t), check_count(f"point {i}: count", count), check_positive(f"point {i}: exposure",
                                                                                             exposure)))
    return checked


def _loglik(ys: list[int], log_e: list[float], ts: list[float], a: float, b: float) -> float:
    total = 0.0
    for y, le, t in zip(ys, log_e, ts, strict=True):
        eta = le + a + b * t
        if eta > 700.0:
            return -math.inf
        total += y * eta - math.exp(eta)
    return total


def poisson_trend(points: Iterable[Sequence[float]], level: float = 0.95) -> Trend:
    """Fit count ~ exposure * exp(a + b t) to ``points`` = [(t, count, exposure), ...] and judge the trend."""
    data = _check_points(points)
    level = check_level(level)
    n = len(data)
    total = sum(y for _, y, _ in data)
    if n < MIN_POINTS or total == 0:
        return Trend(n_points=n, level=level, verdict=Verdict.INSUFFICIENT_DATA)
    t_mean_events = sum(t * y for t, y, _ in data) / total
    t_min, t_max = min(t for t, _, _ in data), max(t for t, _, _ in data)
    if not t_min < t_mean_events < t_max:
        return Trend(n_points=n, level=level, verdict=Verdict.INSUFFICIENT_DATA)

    t_centre = sum(t for t, _, _ in data) / n
    ts = [t - t_centre for t, _, _ in data]
    ys = [y for _, y, _ in data]
    log_e = [math.log(e) for _, _, e in data]
    a, b = math.log(total / sum(e for _, _, e in data)), 0.0
    ll = _loglik(ys, log_e, ts, a, b)
    iterations = 0
    while True:
        iterations += 1
        if iterations > _MAX_ITER:
            raise ArithmeticError("Poisson trend fit did not converge")
        mus = [math.exp(le + a + b * t) for le, t in zip(log_e, ts, strict=True)]
        u0 = sum(y - m for y, m in zip(ys, mus, strict=True))
        u1 = sum(t * (y - m) for t, y, m in zip(ts, ys, mus, strict=True))
        i00, i01 = sum(mus), sum(t * m for t, m in zip(ts, mus, strict=True))
        i11 = sum(t * t * m for t, m in zip(ts, mus, strict=True))
        det = i00 * i11 - i01 * i01
        da, db = (i11 * u0 - i01 * u1) / det, (i00 * u1 - i01 * u0) / det
        step = 1.0
        while True:  # step halving: the log-likelihood is concave, so a short enough step always improves it
            new_ll = _loglik(ys, log_e, ts, a + step * da, b + step * db)
            if new_ll >= ll:
                break
            step /= 2.0
            if step < 1e-12:  # no improvement left at double precision: we are at the maximum
                step, new_ll = 0.0, ll
                break
        a, b, ll = a + step * da, b + step * db, new_ll
        if abs(step * da) <= 1e-13 * (1.0 + abs(a)) and abs(step * db) <= 1e-13 * (1.0 + abs(b)):
            break

    mus = [math.exp(le + a + b * t) for le, t in zip(log_e, ts, strict=True)]
    i00, i01 = sum(mus), sum(t * m for t, m in zip(ts, mus, strict=True))
    i11 = sum(t * t * m for t, m in zip(ts, mus, strict=True))
    se = math.sqrt(i00 / (i00 * i11 - i01 * i01))
    phi = sum((y - m) ** 2 / m for y, m in zip(ys, mus, strict=True)) / (n - 2)
    se_adj = se * math.sqrt(max(1.0, phi))
    z = norm_ppf(1.0 - (1.0 - level) / 2.0)
    p_value = min(1.0, 2.0 * norm_sf(abs(b) / se_adj))
    return Trend(
        n_points=n, level=level, verdict=verdict_for(p_value, increase=b > 0, level=level),
        intercept=a - b * t_centre, slope=b, se_slope=se, dispersion=phi, se_slope_adjusted=se_adj,
        change_pct=100.0 * math.expm1(b), change_lower_pct=100.0 * math.expm1(b - z * se_adj),
        change_upper_pct=100.0 * math.expm1(b + z * se_adj), p_value=p_value, iterations=iterations,
    )
