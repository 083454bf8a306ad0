"""Standard normal distribution: CDF and upper tail via ``math.erfc``, quantile by Wichura's AS 241.

AS 241 (PPND16; Wichura 1988, Applied Statistics 37(3), 477-484) uses three rational approximations (central
region, tails, far tails) with relative error about 1e-16, so it is accurate as a starting point for iterations
and as a final answer alike.
"""

import math

from ivp.stats._numerics import check_probability


def norm_cdf(x: float) -> float:
    """Standard normal CDF."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def norm_sf(x: float) -> float:
    """Standard normal upper tail 1 - CDF, without cancellation for large x."""
    return 0.5 * math.erfc(x / math.sqrt(2.0))


_AS241 = (
    (3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
     45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727),
    (1.0, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077,
     21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561),
    (1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
     1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4),
    (1.0, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
     0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9),
    (6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
     0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7),
    (1.0, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
     7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15),
)


def _poly(coefs: tuple[float, ...], r: float) -> float:
    total = 0.0
    for c in reversed(coefs):
        total = total * r + c
    return total


def norm_ppf(p: float) -> float:
    """Standard normal quantile, Wichura's AS 241 (PPND16): rational approximations, relative error ~1e-16."""
    check_probability("p", p)
    if p == 0.0:
        return -math.inf
    if p == 1.0:
        return math.inf
    q = p - 0.5
    if abs(q) <= 0.425:
        r = 0.180625 - q * q
        return q * _poly(_AS241[0], r) / _poly(_AS241[1], r)
    r = math.sqrt(-math.log(p if q < 0 else 1.0 - p))
    if r <= 5.0:
        r -= 1.6
        z = _poly(_AS241[2], r) / _poly(_AS241[3], r)
    else:
        r -= 5.0
        z = _poly(_AS241[4], r) / _poly(_AS241[5], r)
    return -z if q < 0 else z
