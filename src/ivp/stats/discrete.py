"""Poisson and binomial probabilities, built on :mod:`ivp.stats.special`.

The probability mass functions use Loader's (2000) saddle-point form, exp(-stirlerr - bd0) / sqrt(2 pi k), instead of
exp(k ln mu - mu - lgamma(k + 1)): it keeps full relative precision for large counts. Cumulative probabilities go
through the incomplete gamma / beta functions, which compute the smaller tail directly (the other one as its
complement), so small tail probabilities, the ones that decide significance, stay accurate.

Identities used (X ~ Poisson(mu), Y ~ Binomial(n, p)):
    P(X <= k) = Q(k + 1, mu)            P(X >= k) = P(k, mu)            (regularized incomplete gamma)
    P(Y <= k) = 1 - I_p(k + 1, n - k)   P(Y >= k) = I_p(k, n - k + 1)   (regularized incomplete beta)
"""

import math

from ivp.stats._numerics import bd0, gamma_front, stirlerr
from ivp.stats.special import beta_pq, gamma_pq, norm_ppf
from ivp.stats.validation import check_count


def _check_mean(mu: float) -> None:
    if not 0.0 <= mu < math.inf:
        raise ValueError(f"mean must be a finite number >= 0, got {mu!r}")


def _check_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be a probability in [0, 1], got {p!r}")


def poisson_pmf(k: int, mu: float) -> float:
    """P(X = k) for X ~ Poisson(mu)."""
    _check_mean(mu)
    if k < 0:
        return 0.0
    if mu == 0.0:
        return 1.0 if k == 0 else 0.0
    if k == 0:
        return math.exp(-mu)
    return gamma_front(k, mu) / k


def poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k)."""
    _check_mean(mu)
    if k < 0:
        return 0.0
    return 1.0 if mu == 0.0 else gamma_pq(k + 1, mu)[1]


def poisson_sf(k: int, mu: float) -> float:
    """P(X > k) (scipy's convention for ``sf``)."""
    _check_mean(mu)
    if k < 0:
        return 1.0
    return 0.0 if mu == 0.0 else gamma_pq(k + 1, mu)[0]


def poisson_tails(k: int, mu: float) -> tuple[float, float]:
    """(P(X <= k), P(X >= k)): both one-sided exact tail probabilities of an observed count k, from one evaluation."""
    _check_mean(mu)
    if mu == 0.0:
        return 1.0, (1.0 if k == 0 else 0.0)
    if k == 0:
        return math.exp(-mu), 1.0
    p_ge, p_lt = gamma_pq(k, mu)  # P(k, mu) = P(X >= k), Q(k, mu) = P(X <= k - 1)
    return p_lt + poisson_pmf(k, mu), p_ge


def poisson_quantile(p: float, mu: float) -> int:
    """Smallest integer r with P(X <= r) >= p (the usual discrete quantile, as scipy.stats.poisson.ppf)."""
    _check_mean(mu)
    _check_p(p)
    if p == 0.0 or mu == 0.0:
        return 0
    if p == 1.0:
        raise ValueError("the Poisson quantile for p = 1 is infinite")
    z = norm_ppf(p)
    r = max(0, math.floor(mu + z * math.sqrt(mu) + (z * z - 1.0) / 6.0))  # Cornish-Fisher start
    cdf = poisson_cdf(r, mu)
    pmf = poisson_pmf(r, mu)
    while r > 0 and cdf - pmf >= p:  # walk down: F(r - 1) = F(r) - f(r)
        cdf -= pmf
        pmf = pmf * r / mu
        r -= 1
    while cdf < p:  # walk up: F(r + 1) = F(r) + f(r + 1)
        r += 1
        pmf = pmf * mu / r if pmf > 0.0 else poisson_pmf(r, mu)
        cdf += pmf
    return r


def binom_pmf(k: int, n: int, p: float) -> float:
    """P(Y = k) for Y ~ Binomial(n, p) (Loader's algorithm, as in R's dbinom)."""
    _check_p(p)
    if k < 0 or k > n:
        return 0.0
    if p == 0.0:
        return 1.0 if k == 0 else 0.0
    if p == 1.0:
        return 1.0 if k == n else 0.0
    if k == 0:
        return math.exp(n * math.log1p(-p))
    if k == n:
        return math.exp(n * math.log(p))
    q = 1.0 - p
    log_f = stirlerr(n) - stirlerr(k) - stirlerr(n - k) - bd0(k, n * p) - bd0(n - k, n * q)
    return math.exp(log_f) * math.sqrt(n / (2 * math.pi * k * (n - k)))


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(Y <= k)."""
    _check_p(p)
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if p in (0.0, 1.0):
        return 1.0 if p == 0.0 else 0.0
    return beta_pq(k + 1, n - k, p)[1]


def binom_sf(k: int, n: int, p: float) -> float:
    """P(Y > k) (scipy's convention for ``sf``)."""
    _check_p(p)
    if k < 0:
        return 1.0
    if k >= n:
        return 0.0
    if p in (0.0, 1.0):
        return 0.0 if p == 0.0 else 1.0
    return beta_pq(k + 1, n - k, p)[0]


def binomtest_pvalue(k: int, n: int, p: float) -> float:
    """Exact two-sided binomial test p-value, the "minlike" definition.

    p-value = sum of P(Y = i) over all i with P(Y = i) <= P(Y = k), i.e. every outcome at most as likely as the one
    observed counts as "at least as extreme". This is the definition of R's binom.test and scipy.stats.binomtest,
    including their relative tolerance of 1e-7 on the comparison (so that equal probabilities that differ only by
    rounding are treated as equal). On each side of the mode the pmf is monotone, so the cut-off on the other side
    is found by bisection and both tails are added as incomplete-beta values: O(log n) work, no summation over n.
    """
    check_count("k", k)
    check_count("n", n)
    _check_p(p)
    if k > n:
        raise ValueError(f"k ({k}) cannot exceed n ({n})")
    if n == 0 or p in (0.0, 1.0):
        return 1.0 if binom_pmf(k, n, p) > 0.0 else 0.0
    limit = binom_pmf(k, n, p) * (1.0 + 1e-7)
    mean = n * p
    if k == mean:
        return 1.0
    # The other side's cut-off is searched from the mirror image of k around the mean (exact for p = 1/2, a few
    # steps off otherwise): a handful of pmf evaluations instead of a bisection over the whole side.
    mirror = round(2 * mean - k)
    if k < mean:  # first i >= ceil(mean) with pmf(i) <= limit (pmf decreasing there); n + 1 if none
        first = _first_true(lambda i: binom_pmf(i, n, p) <= limit, math.ceil(mean), n + 1, mirror)
        return min(1.0, binom_cdf(k, n, p) + binom_sf(first - 1, n, p))
    # last i <= floor(mean) with pmf(i) <= limit (pmf increasing there); -1 if none
    top = math.floor(mean)
    last = top - _first_true(lambda j: binom_pmf(top - j, n, p) <= limit, 0, top + 1, top - mirror)
    return min(1.0, binom_cdf(last, n, p) + binom_sf(k - 1, n, p))


def _first_true(pred, lo: int, hi: int, guess: int) -> int:
    """The first i in [lo, hi] with pred(i), for pred False ... False True ... True on [lo, hi) and taken as True at
    hi (not evaluated there): galloping from ``guess`` to a bracket, then bisection; O(log distance) evaluations."""
    guess = min(max(guess, lo), hi)
    step = 1
    if guess == hi or pred(guess):
        hi = guess
        while hi - step >= lo and pred(hi - step):
            hi -= step
            step *= 2
        lo = max(lo, hi - step + 1)
    else:
        lo = guess + 1
        while lo + step - 1 < hi and not pred(lo + step - 1):
            lo += step
            step *= 2
        hi = min(hi, lo + step - 1)
    while lo < hi:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


__all__ = [
    "binom_cdf",
    "binom_pmf",
    "binom_sf",
    "binomtest_pvalue",
    "poisson_cdf",
    "poisson_pmf",
    "poisson_quantile",
    "poisson_sf",
    "poisson_tails",
]
