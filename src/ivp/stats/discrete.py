"""Poisson and binomial probabilities and the exact binomial test, on ``scipy.special`` / ``scipy.stats``.

Identities used (X ~ Poisson(mu), Y ~ Binomial(n, p)):
    P(X <= k) = Q(k + 1, mu) = pdtr(k, mu)        P(X >= k) = P(k, mu) = pdtrc(k - 1, mu)   (k >= 1)

Both tails are computed directly (never as 1 minus the other), so small tail probabilities, the ones that decide
significance, keep their relative precision.

``binomtest_pvalues`` is the two-sided exact binomial test, "minlike" definition, vectorised: the same algorithm
as scipy.stats.binomtest (the same pmf, the same relative tolerance 1e-7 and the same search for the cut-off on
the other side of the mode), run on whole arrays, because scipy's function takes one (k, n, p) per call and a
national table of change tests has thousands. ``binomtest_pvalue`` is its scalar form.
"""

import math

import numpy as np
from scipy import special as _sp
from scipy import stats as _st

from ivp.stats.validation import check_count

_RERR = 1.0 + 1e-7  # scipy.stats.binomtest (and R's binom.test): outcomes this close to equally likely count as equal


def _check_mean(mu: float) -> None:
    if not 0.0 <= mu < math.inf:
        raise ValueError(f"mean must be a finite number >= 0, got {mu!r}")


def _check_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be a probability in [0, 1], got {p!r}")


def poisson_pmf(k: int, mu: float) -> float:
    """P(X = k) for X ~ Poisson(mu)."""
    _check_mean(mu)
    return float(_st.poisson.pmf(k, mu))


def poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k)."""
    _check_mean(mu)
    return 0.0 if k < 0 else float(_sp.pdtr(k, mu))


def poisson_sf(k: int, mu: float) -> float:
    """P(X > k) (scipy's convention for ``sf``)."""
    _check_mean(mu)
    return 1.0 if k < 0 else float(_sp.pdtrc(k, mu))


def poisson_tail_arrays(k: np.ndarray, mu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(P(X <= k), P(X >= k)) elementwise, for integer k >= 0 and mu >= 0 (not checked)."""
    at_most = _sp.pdtr(k, mu)
    # P(X >= 0) = 1; pdtrc(-1, mu) is nan in scipy, so the k = 0 case is set explicitly
    at_least = np.where(k > 0, _sp.pdtrc(np.maximum(k - 1, 0), mu), 1.0)
    return at_most, at_least


def poisson_tails(k: int, mu: float) -> tuple[float, float]:
    """(P(X <= k), P(X >= k)): both one-sided exact tail probabilities of an observed count k."""
    _check_mean(mu)
    at_most, at_least = poisson_tail_arrays(np.asarray(k), np.asarray(float(mu)))
    return float(at_most), float(at_least)


def poisson_quantile(p: float, mu: float) -> int:
    """Smallest integer r with P(X <= r) >= p (the usual discrete quantile, scipy.stats.poisson.ppf)."""
    _check_mean(mu)
    _check_p(p)
    if p == 0.0 or mu == 0.0:
        return 0
    if p == 1.0:
        raise ValueError("the Poisson quantile for p = 1 is infinite")
    return int(_st.poisson.ppf(p, mu))


def binom_pmf(k: int, n: int, p: float) -> float:
    """P(Y = k) for Y ~ Binomial(n, p)."""
    _check_p(p)
    return float(_st.binom.pmf(k, n, p))


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(Y <= k)."""
    _check_p(p)
    return float(_st.binom.cdf(k, n, p))


def binom_sf(k: int, n: int, p: float) -> float:
    """P(Y > k) (scipy's convention for ``sf``)."""
    _check_p(p)
    return float(_st.binom.sf(k, n, p))


def _search(sign: np.ndarray, limit: np.ndarray, n: np.ndarray, p: np.ndarray, lo: np.ndarray,
            hi: np.ndarray) -> np.ndarray:
    """scipy.stats._binomtest._binary_search_for_binom_tst on arrays: with a(i) = sign * pmf(i) ascending on
    [lo, hi], the i in [lo, hi] with a(i) <= limit < a(i + 1) (lo - 1 if a(lo) > limit already)."""
    lo, hi = lo.copy(), hi.copy()
    found = np.full(lo.shape, -2, dtype=np.int64)  # -2: not found by equality (the answers are >= -1)
    active = lo < hi
    while active.any():
        idx = np.flatnonzero(active)
        mid = lo[idx] + (hi[idx] - lo[idx]) // 2
        value = sign[idx] * _st.binom.pmf(mid, n[idx], p[idx])
        below, above = value < limit[idx], value > limit[idx]
        lo[idx] = np.where(below, mid + 1, lo[idx])
        hi[idx] = np.where(above, mid - 1, hi[idx])
        equal = ~below & ~above
        found[idx[equal]] = mid[equal]
        active[idx] = (lo[idx] < hi[idx]) & ~equal
    at_lo = sign * _st.binom.pmf(lo, n, p) <= limit
    return np.where(found != -2, found, np.where(at_lo, lo, lo - 1))


def _last_at_most(sign: np.ndarray, limit: np.ndarray, n: np.ndarray, p: np.ndarray, lo: np.ndarray,
                  hi: np.ndarray, guess: np.ndarray) -> np.ndarray:
    """``_search`` started from a narrow bracket around ``guess`` where that bracket provably holds the answer.

    The cut-off on the other side of the mode lies close to the mirror image of k (exactly there for p = 1/2, a few
    steps off otherwise), so a bracket of +/- 8 around it usually holds it: a(L - 1) <= limit (or L = lo) and
    a(H + 1) > limit (or H = hi), a itself being monotone on [lo, hi]. Searching [L, H] then gives the same answer
    as searching [lo, hi], in 4 steps instead of log2(n); where the bracket misses, the full range is searched.
    """
    low = np.clip(guess - 8, lo, hi)
    high = np.clip(guess + 8, lo, hi)
    left_ok = (low == lo) | (sign * _st.binom.pmf(low - 1, n, p) <= limit)
    right_ok = (high == hi) | (sign * _st.binom.pmf(high + 1, n, p) > limit)
    narrow = left_ok & right_ok
    return _search(sign, limit, n, p, np.where(narrow, low, lo), np.where(narrow, high, hi))


def binomtest_pvalues(k, n, p) -> np.ndarray:
    """Two-sided exact binomial test p-values ("minlike", as scipy.stats.binomtest), elementwise.

    p-value = sum of P(Y = i) over all i with P(Y = i) <= P(Y = k) * (1 + 1e-7): every outcome at most as likely
    as the one observed counts as "at least as extreme" (R's binom.test, scipy.stats.binomtest). Arguments are
    broadcast; k and n whole numbers with 0 <= k <= n, p in [0, 1] (checked by the scalar form, not here).
    n = 0 gives 1. p = 0 or 1: 1 for the only possible outcome, 0 for the impossible ones.
    """
    k, n, p = np.broadcast_arrays(np.asarray(k, dtype=np.int64), np.asarray(n, dtype=np.int64),
                                  np.asarray(p, dtype=float))
    k, n, p = k.ravel(), n.ravel(), p.ravel()
    result = np.ones(k.shape)
    degenerate = (n == 0) | (p == 0.0) | (p == 1.0)
    result[degenerate] = np.where(_st.binom.pmf(k[degenerate], n[degenerate], p[degenerate]) > 0.0, 1.0, 0.0)
    mean = n * p
    low = ~degenerate & (k < mean)
    high = ~degenerate & (k > mean)  # k == mean exactly: p-value 1 (scipy's shortcut)
    limit = _st.binom.pmf(k, n, p) * _RERR
    if low.any():  # the cut-off lies above the mode, where the pmf decreases: search on -pmf
        kk, nn, pp, dd = k[low], n[low], p[low], limit[low]
        mirror = np.rint(2.0 * nn * pp - kk).astype(np.int64)
        ix = _last_at_most(np.full(kk.shape, -1.0), -dd, nn, pp, np.ceil(nn * pp).astype(np.int64), nn, mirror)
        y = nn - ix + (dd == _st.binom.pmf(ix, nn, pp))
        result[low] = _st.binom.cdf(kk, nn, pp) + _st.binom.sf(nn - y, nn, pp)
    if high.any():  # the cut-off lies below the mode, where the pmf increases
        kk, nn, pp, dd = k[high], n[high], p[high], limit[high]
        mirror = np.rint(2.0 * nn * pp - kk).astype(np.int64)
        ix = _last_at_most(np.ones(kk.shape), dd, nn, pp, np.zeros(kk.shape, dtype=np.int64),
                           np.floor(nn * pp).astype(np.int64), mirror)
        result[high] = _st.binom.cdf(ix, nn, pp) + _st.binom.sf(kk - 1, nn, pp)
    return np.minimum(1.0, result)


def binomtest_pvalue(k: int, n: int, p: float) -> float:
    """Exact two-sided binomial test p-value, the "minlike" definition (see ``binomtest_pvalues``)."""
    check_count("k", k)
    check_count("n", n)
    _check_p(p)
    if k > n:
        raise ValueError(f"k ({k}) cannot exceed n ({n})")
    return float(binomtest_pvalues(k, n, p)[0])


__all__ = [
    "binom_cdf",
    "binom_pmf",
    "binom_sf",
    "binomtest_pvalue",
    "binomtest_pvalues",
    "poisson_cdf",
    "poisson_pmf",
    "poisson_quantile",
    "poisson_sf",
    "poisson_tail_arrays",
    "poisson_tails",
]
